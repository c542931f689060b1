import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from nora_social.core.fields import HttpsURLField
from nora_social.core.transitions import TransitionsMixin

if TYPE_CHECKING:
    from accounts.models import PlatformCompetence, PolicyAcknowledgement


class Platform(models.Model):
    """A social media service. How access is held differs: one shared login owned by
    the municipality, or named roles on a municipality-owned business account."""

    class AccessKind(models.TextChoices):
        SHARED_LOGIN = "shared_login", _("Gemensam inloggning som kommunen äger")
        NAMED_ROLES = "named_roles", _("Namngivna roller på kommunens företagskonto")

    name = models.CharField(_("namn"), max_length=80, unique=True)
    slug = models.SlugField(_("kortnamn"), max_length=40, unique=True)
    access_kind = models.CharField(_("åtkomst"), max_length=20, choices=AccessKind.choices)
    requires_public_without_login = models.BooleanField(
        _("ska vara läsbar utan inloggning"),
        default=False,
        help_text=_("§4: gäller t.ex. Facebook."),
    )
    base_url = HttpsURLField(_("webbadress"), blank=True)
    domains = models.CharField(
        _("domäner"),
        max_length=300,
        blank=True,
        help_text=_(
            "Plattformens egna domäner, åtskilda med mellanslag, t.ex. facebook.com fb.com. "
            "Ett kontos adress måste ligga på någon av dem (§4, §10)."
        ),
    )
    is_active = models.BooleanField(_("i bruk"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plattform")
        verbose_name_plural = _("plattformar")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def domain_list(self) -> list[str]:
        return self.domains.split()


class Period(models.TextChoices):
    WEEK = "week", _("vecka")
    MONTH = "month", _("månad")


class ClockKind(models.TextChoices):
    CALENDAR = "calendar", _("kalendertimmar")
    WORKING = "working", _("arbetstimmar (vardagar 8–17, ej helgdagar)")


class SocialAccount(TransitionsMixin, models.Model):
    """An official account of Nora kommun on a platform (§2–§5, §10)."""

    # Set on instances by the reads that need them, never stored:
    current_members: list["AccountMember"]  # selectors.current_members_prefetch (to_attr)
    public_url: str  # the checked link on the public list

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerat")
        ACTIVE = "active", _("Aktivt")
        CLOSING = "closing", _("Avvecklas")
        CLOSED = "closed", _("Stängt")

    TRANSITIONS = {
        Status.PLANNED: {Status.ACTIVE},
        Status.ACTIVE: {Status.CLOSING},
        Status.CLOSING: {Status.CLOSED, Status.ACTIVE},
        Status.CLOSED: set(),
    }

    class ClosureOutcome(models.TextChoices):
        DELETED = "deleted", _("Kontot är raderat på plattformen")
        HANDED_OVER = "handed_over", _("Kontot är överlämnat")

    platform = models.ForeignKey(
        Platform, verbose_name=_("plattform"), on_delete=models.PROTECT, related_name="accounts"
    )
    display_name = models.CharField(_("visningsnamn"), max_length=150)
    handle = models.CharField(_("användarnamn"), max_length=100)
    url = HttpsURLField(_("adress till kontot"), blank=True)
    # The address the approved activity plan intended; ``url`` is the real one,
    # registered once the account exists on the platform.
    planned_url = HttpsURLField(_("planerad adress"), blank=True)
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("enhet"),
        on_delete=models.PROTECT,
        related_name="social_accounts",
    )
    purpose = models.TextField(_("syfte"))
    target_audience = models.CharField(_("målgrupp"), max_length=300, blank=True)
    contact = models.CharField(
        _("kontakt"),
        max_length=200,
        help_text=_("Funktionsadress eller telefon som visas för allmänheten."),
    )
    posts_min = models.PositiveSmallIntegerField(_("minst antal inlägg"), default=1)
    posts_period = models.CharField(
        _("per"), max_length=10, choices=Period.choices, default=Period.WEEK
    )
    update_frequency_text = models.CharField(
        _("uppdateringstakt (visas för allmänheten)"),
        max_length=150,
        help_text=_('T.ex. "Ett par gånger i veckan".'),
    )
    response_hours = models.PositiveSmallIntegerField(_("svarstid i timmar"), default=24)
    response_clock = models.CharField(
        _("räknas i"), max_length=10, choices=ClockKind.choices, default=ClockKind.WORKING
    )
    response_time_text = models.CharField(
        _("svarstid (visas för allmänheten)"),
        max_length=150,
        help_text=_('T.ex. "Vi svarar inom en arbetsdag".'),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    planned_on = models.DateField(_("planerat"), default=timezone.localdate)
    activated_on = models.DateField(_("aktiverat"), null=True, blank=True)
    closing_on = models.DateField(_("avveckling påbörjad"), null=True, blank=True)
    closed_on = models.DateField(_("stängt"), null=True, blank=True)
    is_pre_existing = models.BooleanField(_("fanns före policyn"), default=False)
    plan_due_on = models.DateField(_("aktivitetsplan senast"), null=True, blank=True)
    closure_outcome = models.CharField(
        _("avslut"), max_length=20, choices=ClosureOutcome.choices, blank=True
    )
    closure_note = models.TextField(_("om avslutet"), blank=True)
    naming_override_reason = models.TextField(_("skäl för undantag från namnreglerna"), blank=True)
    naming_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undantag beslutat av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    naming_override_at = models.DateTimeField(_("undantag beslutat"), null=True, blank=True)
    # The exact name and handle the exception was granted for (§4): a renamed
    # account asks again, however the name was changed.
    naming_override_display_name = models.CharField(
        _("namnet som undantaget gäller"), max_length=150, blank=True
    )
    naming_override_handle = models.CharField(
        _("användarnamnet som undantaget gäller"), max_length=100, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerat av"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registrerat"), default=timezone.now)
    # Bumped on every save; the public list's ETag is built from it.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("konto")
        verbose_name_plural = _("konton")
        ordering = ["display_name"]
        permissions = [
            ("view_all_accounts", _("Se alla konton")),
            ("register_account", _("Registrera konton")),
            ("override_naming", _("Göra undantag från namnreglerna")),
            ("manage_platforms", _("Hantera plattformar")),
            ("view_account_history", _("Se kontots historik")),
        ]
        indexes = [models.Index(fields=["platform", "handle"])]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.platform})"

    @property
    def posts_promise_text(self) -> str:
        return self.update_frequency_text


class SocialAccountUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(SocialAccount, on_delete=models.CASCADE)


class SocialAccountGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(SocialAccount, on_delete=models.CASCADE)


class AccountMemberQuerySet(models.QuerySet["AccountMember"]):
    def current(
        self, on: datetime.date | None = None, *, include_upcoming: bool = False
    ) -> "AccountMemberQuerySet":
        """The memberships in force on ``on`` (today): started on or before it and
        not ended before it. ``include_upcoming`` keeps also those that start
        later: the people page shows them and the role changes take them into
        account."""
        on = on or timezone.localdate()
        not_ended = self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        return not_ended if include_upcoming else not_ended.filter(starts_on__lte=on)


class AccountMember(models.Model):
    """A person on an account for a period: owner (kontoansvarig), deputy (ersättare)
    or further admin; whether they hold the credentials (§3, §5)."""

    # Set on instances by the people page, never stored (views._current_members).
    acknowledgement: "PolicyAcknowledgement | None"
    competence: "PlatformCompetence | None"
    can_record_competence: bool

    class Role(models.TextChoices):
        OWNER = "owner", _("Kontoansvarig")
        DEPUTY = "deputy", _("Ersättare")
        ADMIN = "admin", _("Administratör")

    account = models.ForeignKey(SocialAccount, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="account_memberships",
    )
    role = models.CharField(_("roll"), max_length=10, choices=Role.choices)
    holds_credentials = models.BooleanField(_("har inloggningsuppgifter"), default=False)
    starts_on = models.DateField(_("från"), default=timezone.localdate)
    ends_on = models.DateField(_("till och med"), null=True, blank=True)
    history = HistoricalRecords()

    objects = AccountMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("person på konto")
        verbose_name_plural = _("personer på konto")
        ordering = ["role", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "user"],
                condition=Q(ends_on__isnull=True),
                name="one_current_membership_per_person",
            ),
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(ends_on__isnull=True, role="owner"),
                name="one_current_owner",
            ),
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(ends_on__isnull=True, role="deputy"),
                name="one_current_deputy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class ChecklistItem(models.TextChoices):
    """§4 and lag (1998:112) § 3: what the account itself must show."""

    LOGO_AND_NAME = "logo_and_name", _('Kommunens logotyp och texten "Nora kommun"')
    PURPOSE_OFFICIAL = (
        "purpose_official",
        _("Sidans syfte och att det är ett officiellt konto för Nora kommun"),
    )
    PART_OF_NORA = "part_of_nora", _("Att verksamheten är en del av Nora kommun")
    UPDATE_FREQUENCY = "update_frequency", _("Hur ofta kontot uppdateras")
    CONTACT_AND_LINK = (
        "contact_and_link",
        _("Kontaktuppgifter till de ansvariga och länk till www.nora.se"),
    )
    OPERATOR_NOTICE = (
        "operator_notice",
        _(
            "Vem som driver kontot, att inlägg är allmänna handlingar och att personuppgifter behandlas enligt GDPR"
        ),
    )
    COMMENT_RULES = "comment_rules", _("Kommentarsreglerna")
    PUBLIC_WITHOUT_LOGIN = "public_without_login", _("Sidan kan läsas utan inloggning")


class ChecklistConfirmation(models.Model):
    account = models.ForeignKey(SocialAccount, on_delete=models.PROTECT, related_name="checklist")
    item = models.CharField(_("punkt"), max_length=30, choices=ChecklistItem.choices)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bekräftad av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("bekräftad"), default=timezone.now)
    note = models.CharField(_("kommentar"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["item"]
        constraints = [
            models.UniqueConstraint(fields=["account", "item"], name="one_confirmation_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.item}"


class BlockedAbbreviation(models.Model):
    """§4: "Inga förkortningar t.ex. norakm". Matched after removing separators."""

    term = models.CharField(_("förkortning"), max_length=40, unique=True)
    note = models.CharField(_("anteckning"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("förbjuden förkortning")
        verbose_name_plural = _("förbjudna förkortningar")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term


# The models of the sub-packages belong to this app (label ``channels_registry``);
# Django loads them from here.
from channels_registry.compliance.models import (  # noqa: E402
    Digest,
    DigestItem,
    Finding,
    SweepRun,
)
from channels_registry.escrow.models import (  # noqa: E402
    AccessRequest,
    BusinessRole,
    EscrowDeposit,
    EscrowEvent,
)
from channels_registry.imports.models import AccountImportRun  # noqa: E402

__all__ = [
    "AccessRequest",
    "AccountImportRun",
    "AccountMember",
    "BlockedAbbreviation",
    "BusinessRole",
    "ChecklistConfirmation",
    "ChecklistItem",
    "ClockKind",
    "Digest",
    "DigestItem",
    "EscrowDeposit",
    "EscrowEvent",
    "Finding",
    "Period",
    "Platform",
    "SocialAccount",
    "SocialAccountGroupObjectPermission",
    "SocialAccountUserObjectPermission",
    "SweepRun",
]
# Capture connections (issue 17).
from channels_registry.connections.models import (  # noqa: E402
    ConnectionEvent as ConnectionEvent,
)
from channels_registry.connections.models import (  # noqa: E402
    PlatformConnection as PlatformConnection,
)
