"""Retention decisions, holds, disposal entries and two-person purges."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from nora_social.core.transitions import TransitionsMixin

# --- Retention, disposal (gallring), holds and purges (DESIGN.md "Records") ---


class DisposableType(models.TextChoices):
    """The kinds of record a retention decision may cover (app label.Model)."""

    MODERATION_ACTION = "moderation.ModerationAction", _("Modereringsåtgärder")
    QUESTION = "moderation.Question", _("Inkomna frågor och synpunkter")
    POST = "moderation.Post", _("Kontots egna inlägg")
    SNAPSHOT = "archive.Snapshot", _("Ögonblicksbilder av konton")
    ACTIVITY_PLAN = "activity_plans.ActivityPlan", _("Aktivitetsplaner för konton")


class RetentionDecision(models.Model):
    """A retention decision (gallringsbeslut): which body decided, when, under
    which paragraph of the document plan, and what it says about one kind of
    record. Disposal only ever happens under one of these."""

    class Rule(models.TextChoices):
        KEEP = "keep", _("Bevaras")
        AFTER_YEARS = "after_years", _("Gallras efter ett antal år")
        NOT_CURRENT = "not_current", _("Gallras när den inte längre är aktuell")

    record_type = models.CharField(
        _("slags handling"), max_length=60, choices=DisposableType.choices
    )
    rule = models.CharField(_("beslut"), max_length=12, choices=Rule.choices)
    years = models.PositiveSmallIntegerField(
        _("antal år"),
        null=True,
        blank=True,
        help_text=_("Räknas från det datum handlingen kom in eller upprättades."),
    )
    decided_by_body = models.CharField(_("beslutande organ"), max_length=200)
    decided_on = models.DateField(_("beslutsdatum"))
    plan_paragraph = models.CharField(
        _("punkt i dokumenthanteringsplanen"),
        max_length=100,
        help_text=_("T.ex. 3.4.2."),
    )
    decision_reference = models.CharField(_("beslutets diarienummer"), max_length=50, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gallringsbeslut")
        verbose_name_plural = _("gallringsbeslut")
        ordering = ["-decided_on", "-pk"]
        permissions = [("dispose_records", _("Gallra handlingar enligt gallringsbeslut"))]
        constraints = [
            models.CheckConstraint(
                name="after_years_has_years",
                condition=~Q(rule="after_years") | Q(years__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.decided_by_body} {self.decided_on:%Y-%m-%d} ({self.plan_paragraph})"


class Hold(models.Model):
    """A stop on disposal (an open records request or an appeal), placed and
    lifted by the registrar: on one record, or on everything of an account."""

    class Kind(models.TextChoices):
        RECORDS_REQUEST = "records_request", _("Begäran om allmän handling")
        APPEAL = "appeal", _("Överklagande")

    kind = models.CharField(_("skäl"), max_length=20, choices=Kind.choices)
    reference = models.CharField(
        _("diarienummer eller beteckning"), max_length=100, help_text=_("T.ex. KS 2026/31.")
    )
    note = models.CharField(_("kommentar"), max_length=300, blank=True)
    account = models.ForeignKey(
        "channels_registry.SocialAccount",
        verbose_name=_("konto"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="holds",
    )
    record_type = models.CharField(
        _("slags handling"), max_length=60, choices=DisposableType.choices, blank=True
    )
    record_id = models.PositiveBigIntegerField(_("postens nummer"), null=True, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gallringsstopp")
        verbose_name_plural = _("gallringsstopp")
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="hold_covers_account_or_record",
                condition=Q(account__isnull=False)
                | (~Q(record_type="") & Q(record_id__isnull=False)),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class DisposalEntry(models.Model):
    """What one disposal run removed, under which decision, by whom and when.
    No content: type, reference and counts only."""

    # Set by ``disposal_run`` on the entry it returns: records left in place because
    # another record still points to them (they come up again in the next run).
    kept_back: int

    decision = models.ForeignKey(
        RetentionDecision, on_delete=models.PROTECT, related_name="disposals"
    )
    record_type = models.CharField(max_length=60, choices=DisposableType.choices)
    record_count = models.PositiveIntegerField(default=0)
    history_row_count = models.PositiveIntegerField(default=0)
    file_count = models.PositiveIntegerField(default=0)
    skipped_held = models.PositiveIntegerField(default=0)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    performed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("gallringsanteckning")
        verbose_name_plural = _("gallringsanteckningar")
        ordering = ["-performed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.record_type} × {self.record_count} ({self.performed_at:%Y-%m-%d})"


class DisposedRecord(models.Model):
    """One record a disposal removed: its type, number and register reference."""

    entry = models.ForeignKey(DisposalEntry, on_delete=models.PROTECT, related_name="records")
    record_type = models.CharField(max_length=60)
    record_id = models.PositiveBigIntegerField()
    reference = models.CharField(max_length=60, blank=True)
    record_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.reference or f"{self.record_type} {self.record_id}"


class PurgeEntry(TransitionsMixin, models.Model):
    """A purge of material that must not be kept: proposed by the registrar with
    a reason, confirmed by the security coordinator (another person). After the
    removal only this metadata remains."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Föreslagen")
        CONFIRMED = "confirmed", _("Rensad")
        REFUSED = "refused", _("Avslagen")

    TRANSITIONS = {
        Status.PROPOSED: {Status.CONFIRMED, Status.REFUSED},
        Status.CONFIRMED: set(),
        Status.REFUSED: set(),
    }

    record_type = models.CharField(
        _("slags handling"), max_length=60, choices=DisposableType.choices
    )
    record_id = models.PositiveBigIntegerField(_("postens nummer"))
    reference = models.CharField(_("diarienummer"), max_length=60, blank=True)
    reason = models.TextField(
        _("skäl"),
        help_text=_("Varför materialet inte får bevaras. Skriv inte av innehållet."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("kommentar"), max_length=300, blank=True)
    history_row_count = models.PositiveIntegerField(default=0)
    file_count = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rensning")
        verbose_name_plural = _("rensningar")
        ordering = ["-proposed_at", "-pk"]
        permissions = [
            ("propose_purge", _("Föreslå rensning av material som inte får bevaras")),
            ("confirm_purge", _("Bekräfta rensning av material som inte får bevaras")),
            ("export_archive", _("Exportera till arkivmyndigheten")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id"],
                condition=Q(status="proposed"),
                name="one_open_purge_per_record",
            )
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.record_type} {self.record_id}"
