"""Bilaga 1, the activity plan, and its written approval chain (§2, §3)."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from channels_registry.models import ClockKind, Period
from nora_social.core.append_only import AppendOnlyModel
from nora_social.core.fields import HttpsURLField
from nora_social.core.transitions import TransitionsMixin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Step(models.TextChoices):
    """The approvals a plan needs, in order (DESIGN.md "Lifecycles")."""

    MANAGER = "manager", _("Närmaste chef")
    ADMINISTRATION = "administration", _("Förvaltningschef")
    INFORMATION_OFFICER = "information_officer", _("Informationsansvarig (kommunchef)")


class ActivityPlan(TransitionsMixin, models.Model):
    """An activity plan. Content is editable only as a draft by its author; each
    submission freezes a ``PlanRevision``; a rejection returns it to the author
    as the next revision. ``account`` is the account it created, or the account
    an amendment (or a pre-existing account's plan) is for."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SUBMITTED = "submitted", _("Inskickad, väntar på närmaste chef")
        APPROVED_BY_MANAGER = (
            "approved_by_manager",
            _("Godkänd av chef, väntar på förvaltningschef"),
        )
        APPROVED_BY_ADMINISTRATION = (
            "approved_by_administration",
            _("Godkänd av förvaltningen, väntar på informationsansvarig"),
        )
        APPROVED = "approved", _("Godkänd")
        WITHDRAWN = "withdrawn", _("Återkallad")

    # Reject goes back to DRAFT (as a new revision); withdraw ends the plan.
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.SUBMITTED: {Status.APPROVED_BY_MANAGER, Status.DRAFT, Status.WITHDRAWN},
        Status.APPROVED_BY_MANAGER: {
            Status.APPROVED_BY_ADMINISTRATION,
            Status.DRAFT,
            Status.WITHDRAWN,
        },
        Status.APPROVED_BY_ADMINISTRATION: {Status.APPROVED, Status.DRAFT, Status.WITHDRAWN},
        Status.APPROVED: set(),
        Status.WITHDRAWN: set(),
    }
    # Which approval each waiting state needs, and where that approval leads.
    PENDING_STEP = {
        Status.SUBMITTED: (Step.MANAGER, Status.APPROVED_BY_MANAGER),
        Status.APPROVED_BY_MANAGER: (Step.ADMINISTRATION, Status.APPROVED_BY_ADMINISTRATION),
        Status.APPROVED_BY_ADMINISTRATION: (Step.INFORMATION_OFFICER, Status.APPROVED),
    }

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("upprättad av"),
        on_delete=models.PROTECT,
        related_name="activity_plans",
    )
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="plans"
    )
    account = models.ForeignKey(
        "channels_registry.SocialAccount",
        verbose_name=_("konto"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activity_plans",
    )
    amends = models.ForeignKey(
        "self",
        verbose_name=_("ändrar planen"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    revision = models.PositiveSmallIntegerField(_("version"), default=1)

    # The account (§2, §4).
    platform = models.ForeignKey(
        "channels_registry.Platform",
        verbose_name=_("plattform"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    display_name = models.CharField(
        _("visningsnamn"),
        max_length=150,
        blank=True,
        help_text=_('Ska innehålla "Nora kommun", t.ex. "Nora kommun Näringsliv" (§4).'),
    )
    handle = models.CharField(
        _("användarnamn"),
        max_length=100,
        blank=True,
        help_text=_('Ska innehålla "norakommun", inga förkortningar (§4).'),
    )
    planned_url = HttpsURLField(
        _("planerad adress till kontot"),
        blank=True,
        help_text=_(
            "Kontots tänkta adress på plattformen, med https://, t.ex. "
            "https://www.facebook.com/norakommunnaringsliv eller "
            "https://www.youtube.com/@norakommunfilm (§4, §10)."
        ),
    )
    contact = models.CharField(
        _("kontakt som visas för allmänheten"),
        max_length=200,
        blank=True,
        help_text=_("Funktionsadress eller telefon, t.ex. naringsliv@nora.se."),
    )
    # Why and for whom (§2).
    purpose = models.TextField(_("syfte"), blank=True)
    target_audience = models.TextField(_("målgrupp"), blank=True)
    goals = models.TextField(_("mål"), blank=True)
    evaluation = models.TextField(_("hur målen utvärderas"), blank=True)
    content_kind = models.TextField(_("typ av innehåll"), blank=True)
    posts_min = models.PositiveSmallIntegerField(_("minst antal inlägg"), null=True, blank=True)
    posts_period = models.CharField(
        _("per"), max_length=10, choices=Period.choices, default=Period.WEEK
    )
    update_frequency_text = models.CharField(
        _("uppdateringstakt (visas för allmänheten)"),
        max_length=150,
        blank=True,
        help_text=_('T.ex. "Ett par gånger i veckan".'),
    )
    # Resources (§3).
    hours_per_week = models.DecimalField(
        _("avsatt tid per vecka (timmar)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    who_does_it = models.TextField(_("vem som gör arbetet"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kontoansvarig"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ersättare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fler administratörer"),
        blank=True,
        related_name="+",
    )
    # Questions and moderation (§3, §5, §6).
    questions_routine = models.TextField(_("hur frågor besvaras"), blank=True)
    response_hours = models.PositiveSmallIntegerField(_("svarstid i timmar"), null=True, blank=True)
    response_clock = models.CharField(
        _("räknas i"), max_length=10, choices=ClockKind.choices, default=ClockKind.WORKING
    )
    response_time_text = models.CharField(
        _("svarstid (visas för allmänheten)"),
        max_length=150,
        blank=True,
        help_text=_('T.ex. "Vi svarar inom en arbetsdag".'),
    )
    moderation_routine = models.TextField(
        _("rutin för bevakning och moderering"),
        blank=True,
        help_text=_("Hur ofta kontot bevakas och vem som tar bort olämpliga inlägg (§5)."),
    )
    holiday_cover = models.TextField(
        _("bevakning under semester och ledighet"),
        blank=True,
        help_text=_("§3: kontot får inte lämnas obevakat."),
    )
    comment_rules = models.TextField(_("kommentarsregler som publiceras på kontot"), blank=True)
    # The website comes first (§2).
    nora_se_relation = models.TextField(_("hur kontot förhåller sig till nora.se"), blank=True)
    nora_se_up_to_date = models.BooleanField(
        _("Enhetens sidor på nora.se är aktuella"), default=False
    )
    # The end (§5).
    closure_plan = models.TextField(_("när och hur kontot avslutas"), blank=True)

    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    pdf = models.FileField(_("godkänd plan (PDF/A)"), upload_to="activity_plans/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    history = HistoricalRecords(m2m_fields=[admins])

    class Meta:
        verbose_name = _("aktivitetsplan")
        verbose_name_plural = _("aktivitetsplaner")
        ordering = ["-created_at"]
        permissions = [("view_all_plans", _("Se alla aktivitetsplaner"))]

    def __str__(self) -> str:
        name = self.display_name or _("Namnlös")
        return f"{name} ({_('version')} {self.revision})"

    def get_absolute_url(self) -> str:
        return reverse("activity_plans:plan_detail", args=[self.pk])

    @property
    def name_in_messages(self) -> "StrOrPromise":
        """The name notifications and mails use for the plan."""
        return self.display_name or _("aktivitetsplan utan namn")

    @property
    def administration(self):
        return self.unit.administration

    @property
    def is_amendment(self) -> bool:
        return self.account_id is not None

    def pending_step(self) -> str | None:
        step = self.PENDING_STEP.get(self.Status(self.status))
        return step[0] if step else None

    def pending_step_label(self) -> "StrOrPromise":
        step = self.pending_step()
        return Step(step).label if step else ""

    def is_pending(self) -> bool:
        return self.status in self.PENDING_STEP


class PlanRevision(AppendOnlyModel):
    """The plan's content as submitted, frozen: rejected versions stay readable."""

    plan = models.ForeignKey(ActivityPlan, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("version"))
    # A list of [field name, label, display value], in form order.
    content = models.JSONField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_row_per_plan_revision")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"


class Decision(AppendOnlyModel):
    """One recorded step: submitted, approved, rejected or withdrawn. Who, in which
    role, on whose behalf (a substitute), when, and the comment. Written once."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Inskickad")
        APPROVED = "approved", _("Godkänd")
        REJECTED = "rejected", _("Återvisad")
        WITHDRAWN = "withdrawn", _("Återkallad")

    plan = models.ForeignKey(ActivityPlan, on_delete=models.PROTECT, related_name="decisions")
    revision = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(_("beslut"), max_length=20, choices=Kind.choices)
    step = models.CharField(_("roll"), max_length=30, choices=Step.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("av"),
        on_delete=models.PROTECT,
        related_name="plan_decisions",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("för"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("tid"), default=timezone.now)
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("beslut om aktivitetsplan")
        verbose_name_plural = _("beslut om aktivitetsplaner")
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.plan_id} v{self.revision}"
