"""An account's connection to a platform's API and what happened to it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nora_social.core.crypto import EncryptedTextField


class ConnectorKind(models.TextChoices):
    FACEBOOK = "facebook", _("Facebooksida (Meta Graph API)")
    INSTAGRAM = "instagram", _("Instagram, professionellt konto (Meta Graph API)")
    YOUTUBE = "youtube", _("YouTube-kanal (YouTube Data API v3)")
    LINKEDIN = "linkedin", _("LinkedIn-sida (Community Management API)")
    X = "x", _("X-konto (X API v2)")


class PlatformConnection(models.Model):
    """One account's API connection. The token is encrypted at rest and this
    model has no history table: an old ciphertext must not outlive rotation.
    Health and quota are written by the capture as it runs."""

    class Health(models.TextChoices):
        UNKNOWN = "unknown", _("Inte kontrollerad ännu")
        OK = "ok", _("Arkiveras")
        TOKEN_EXPIRED = "token_expired", _("Token har gått ut eller återkallats")
        MISSING_PERMISSION = "missing_permission", _("Behörighet saknas")
        TOKEN_REVOKED = "token_revoked", _("Åtkomsten är återkallad: token kan inte förnyas")
        QUOTA_EXHAUSTED = "quota_exhausted", _("Kvoten är slut")
        FAILING = "failing", _("Plattformen svarar med fel")

    FAILING_HEALTH = (
        Health.TOKEN_EXPIRED,
        Health.TOKEN_REVOKED,
        Health.MISSING_PERMISSION,
        Health.QUOTA_EXHAUSTED,
        Health.FAILING,
    )

    account = models.ForeignKey(
        "channels_registry.SocialAccount",
        verbose_name=_("konto"),
        on_delete=models.PROTECT,
        related_name="connections",
    )
    kind = models.CharField(_("plattform"), max_length=20, choices=ConnectorKind.choices)
    external_id = models.CharField(
        _("kontots id hos plattformen"),
        max_length=100,
        help_text=_(
            "Sidans id, Instagramkontots id, kanalens id, LinkedIn-organisationens id "
            "eller X-kontots användar-id."
        ),
    )
    external_name = models.CharField(_("namn hos plattformen"), max_length=200, blank=True)
    access_token = EncryptedTextField(_("åtkomsttoken"))
    # Where the platform gives one (Google, LinkedIn for approved apps, X with
    # offline.access): escrowed like the access token, used only to renew it.
    refresh_token = EncryptedTextField(_("förnyelsetoken"), blank=True, default="")
    token_expires_at = models.DateTimeField(_("token gäller till"), null=True, blank=True)
    scopes = models.TextField(_("beviljade behörigheter"), blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    connected_at = models.DateTimeField(default=timezone.now)
    disconnected_at = models.DateTimeField(_("kopplades bort"), null=True, blank=True)
    health = models.CharField(
        _("hälsa"), max_length=20, choices=Health.choices, default=Health.UNKNOWN
    )
    health_message = models.TextField(_("senaste besked"), blank=True)
    health_checked_at = models.DateTimeField(null=True, blank=True)
    last_polled_at = models.DateTimeField(_("senast hämtad"), null=True, blank=True)
    # The first day of the current quota period: the day (YouTube's units) or
    # the month (X's cap on posts read).
    quota_day = models.DateField(null=True, blank=True)
    quota_used = models.PositiveIntegerField(_("använd kvot"), default=0)

    class Meta:
        verbose_name = _("plattformskoppling")
        verbose_name_plural = _("plattformskopplingar")
        ordering = ["account_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "external_id"],
                condition=Q(disconnected_at__isnull=True),
                name="one_current_connection_per_platform_account",
            )
        ]

    def __repr__(self) -> str:
        # Never the token.
        return f"<PlatformConnection {self.pk} {self.kind} account={self.account_id}>"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.external_name or self.external_id}"

    @property
    def is_current(self) -> bool:
        return self.disconnected_at is None

    @property
    def refreshable(self) -> bool:
        return bool(self.refresh_token)

    def scope_list(self) -> list[str]:
        return self.scopes.replace(",", " ").split()


class ConnectionEvent(models.Model):
    """Who connected, replaced or disconnected, and each change of health:
    the connection's history, with no token in it."""

    class Kind(models.TextChoices):
        CONNECTED = "connected", _("Kopplad")
        TOKEN_REPLACED = "token_replaced", _("Ny token")
        TOKEN_REFRESHED = "token_refreshed", _("Token förnyad")
        DISCONNECTED = "disconnected", _("Bortkopplad")
        HEALTH = "health", _("Hälsan ändrades")

    connection = models.ForeignKey(
        PlatformConnection, on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.connection_id} {self.at:%Y-%m-%d %H:%M}"
