"""Deposited access (§3, §8): the deposits, named roles on business accounts,
requests for access and the log of every use. Loaded through
``channels_registry.models`` (app label ``channels_registry``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from nora_social.core.crypto import EncryptedTextField


class EscrowDeposit(models.Model):
    """Access to an account, deposited with the information officer (§3).

    Municipality-owned access only. Secrets are encrypted at rest and excluded
    from history; a new deposit retires the previous one."""

    class Kind(models.TextChoices):
        SHARED_LOGIN = "shared_login", _("Gemensam inloggning")
        NAMED_ROLES = "named_roles", _("Namngivna roller på företagskonto")

    account = models.ForeignKey(
        "channels_registry.SocialAccount", on_delete=models.PROTECT, related_name="escrow_deposits"
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    login_name = EncryptedTextField(_("användarnamn"), blank=True, default="")
    password = EncryptedTextField(_("lösenord"), blank=True, default="")
    recovery_codes = EncryptedTextField(
        _("reservkoder för tvåstegsverifiering"), blank=True, default=""
    )
    bound_contact = EncryptedTextField(_("kopplad e-post eller telefon"), blank=True, default="")
    business_account = EncryptedTextField(
        _("företagskontot (id eller namn)"), blank=True, default=""
    )
    business_recovery = EncryptedTextField(
        _("företagskontots återställning"), blank=True, default=""
    )
    deposited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    deposited_at = models.DateTimeField(default=timezone.now)

    class RetiredReason(models.TextChoices):
        REPLACED = "replaced", _("Ersatt av en ny deponering")
        CLOSED = "closed", _("Kontot stängdes")

    retired_at = models.DateTimeField(_("avvecklad"), null=True, blank=True)
    retired_reason = models.CharField(
        _("skäl till avvecklingen"), max_length=200, blank=True, choices=RetiredReason.choices
    )

    SECRET_FIELDS = (
        "login_name",
        "password",
        "recovery_codes",
        "bound_contact",
        "business_account",
        "business_recovery",
    )

    class Meta:
        verbose_name = _("deponerad åtkomst")
        verbose_name_plural = _("deponerade åtkomster")
        ordering = ["-deposited_at"]
        permissions = [
            ("reveal_escrow", _("Visa deponerad åtkomst")),
            ("grant_escrow_access", _("Bevilja åtkomst")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["account"], condition=Q(retired_at__isnull=True), name="one_current_deposit"
            )
        ]

    def __repr__(self) -> str:
        return f"<EscrowDeposit {self.pk} account={self.account_id} kind={self.kind}>"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.deposited_at:%Y-%m-%d})"


class BusinessRole(models.Model):
    """A named person's role on a municipality-owned business account."""

    account = models.ForeignKey(
        "channels_registry.SocialAccount", on_delete=models.PROTECT, related_name="business_roles"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    platform_role = models.CharField(_("roll på plattformen"), max_length=80)
    starts_on = models.DateField(_("från"), default=timezone.localdate)
    ends_on = models.DateField(_("till och med"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return f"{self.user}: {self.platform_role}"


class AccessRequest(models.Model):
    """A covering manager asks for the escrowed access; the information officer or
    deputy grants it for a limited time (two people, both logged, §5)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar")
        GRANTED = "granted", _("Beviljad")
        DENIED = "denied", _("Avslagen")

    account = models.ForeignKey(
        "channels_registry.SocialAccount", on_delete=models.PROTECT, related_name="access_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("begärd av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("skäl"))
    requested_at = models.DateTimeField(_("begärd"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslutad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)
    decision_note = models.TextField(_("kommentar"), blank=True)
    valid_until = models.DateTimeField(_("gäller till"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.requested_by} → {self.account_id} ({self.status})"

    def is_valid_now(self) -> bool:
        return (
            self.status == self.Status.GRANTED
            and self.valid_until is not None
            and self.valid_until > timezone.now()
        )


class EscrowEvent(models.Model):
    """The log of every deposit, reveal, request, grant and retirement. Never holds
    a secret, only who, when, why."""

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("Deponerad")
        REVEAL = "reveal", _("Visad")
        REQUEST = "request", _("Begärd")
        GRANT = "grant", _("Beviljad")
        DENY = "deny", _("Avslagen")
        RETIRE = "retire", _("Avvecklad")
        ROTATE = "rotate", _("Omkrypterad")

    account = models.ForeignKey(
        "channels_registry.SocialAccount", on_delete=models.PROTECT, related_name="escrow_events"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    deposit = models.ForeignKey(
        EscrowDeposit, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    request = models.ForeignKey(
        AccessRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.account_id} {self.at:%Y-%m-%d %H:%M}"
