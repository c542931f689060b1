"""Writes of capture connections (§3: access to an account is escrowed; §10:
the account's records are kept).

A token is stored encrypted and never returned to a page, a log, a history row
or an error message; only ``connection_token`` decrypts it, for the capture.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from channels_registry.connections.models import (
    ConnectionEvent,
    ConnectorKind,
    PlatformConnection,
)
from channels_registry.connections.permissions import can_connect
from channels_registry.connections.providers import GrantRevoked, OAuthFailed, provider_for_kind
from channels_registry.models import SocialAccount
from nora_social.core.crypto import Secret
from nora_social.core.errors import ServiceError

# What a disconnected connection keeps instead of its token (not a secret).
RETIRED_TOKEN = "-"  # noqa: S105 - a placeholder, not a secret  # nosec B105


def quota_of(kind: str) -> tuple[str, int] | None:
    """The platform's allowance as (period, limit): YouTube Data API v3 grants
    10,000 units a day per project by default; X's plan caps the posts read
    a month (``CAPTURE_X_MONTHLY_POST_CAP``). Others count nothing."""
    if kind == ConnectorKind.YOUTUBE:
        return ("day", 10_000)
    if kind == ConnectorKind.X:
        return ("month", settings.CAPTURE_X_MONTHLY_POST_CAP)
    return None


class ConnectionRefused(ServiceError):
    """A refused change of a capture connection."""


def _refuse_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ConnectionRefused(next(iter(errors.values()))[0], errors)


@transaction.atomic
def connection_create(
    *,
    account_id: int,
    actor: User,
    kind: str,
    external_id: str,
    access_token: str,
    refresh_token: str = "",
    external_name: str = "",
    token_expires_at: datetime.datetime | None = None,
    scopes: str = "",
) -> PlatformConnection:
    """Connect an account to its platform's API with a token the municipality's
    own app was given. A current connection of the same kind is replaced (its
    token goes with it); the same platform account cannot be connected twice."""
    account = SocialAccount.objects.select_for_update().get(pk=account_id)
    if not can_connect(actor, account):
        raise ConnectionRefused(_("Du kan inte koppla det här kontot till plattformen."))
    errors: dict[str, list[str]] = {}
    external_id = external_id.strip()
    if kind not in ConnectorKind.values:
        errors.setdefault("kind", []).append(_("Välj en plattform som kan arkiveras."))
    if not external_id:
        errors.setdefault("external_id", []).append(_("Ange kontots id hos plattformen."))
    if not access_token.strip():
        errors.setdefault("access_token", []).append(_("Klistra in åtkomsttoken."))
    if token_expires_at is not None and token_expires_at <= timezone.now():
        errors.setdefault("token_expires_at", []).append(_("Token har redan gått ut."))
    taken = PlatformConnection.objects.filter(
        kind=kind, external_id=external_id, disconnected_at__isnull=True
    ).exclude(account_id=account.pk)
    if external_id and taken.exists():
        errors.setdefault("external_id", []).append(
            _("Plattformskontot är redan kopplat till ett annat konto i registret.")
        )
    _refuse_if(errors)
    now = timezone.now()
    replaced = list(
        PlatformConnection.objects.select_for_update().filter(
            account=account, kind=kind, disconnected_at__isnull=True
        )
    )
    for old in replaced:
        old.disconnected_at = now
        old.save(update_fields=["disconnected_at"])
        ConnectionEvent.objects.create(
            connection=old, kind=ConnectionEvent.Kind.TOKEN_REPLACED, actor=actor, at=now
        )
    connection = PlatformConnection.objects.create(
        account=account,
        kind=kind,
        external_id=external_id,
        external_name=external_name.strip(),
        access_token=access_token.strip(),
        refresh_token=refresh_token.strip(),
        token_expires_at=token_expires_at,
        scopes=scopes.strip(),
        connected_by=actor,
        connected_at=now,
    )
    ConnectionEvent.objects.create(
        connection=connection, kind=ConnectionEvent.Kind.CONNECTED, actor=actor, at=now
    )
    return connection


@transaction.atomic
def connection_disconnect(*, connection_id: int, actor: User) -> PlatformConnection:
    """Stop capturing: the token is overwritten (it is not needed again) and the
    connection kept as a fact of who captured what, when."""
    connection = (
        PlatformConnection.objects.select_for_update()
        .select_related("account")
        .get(pk=connection_id)
    )
    if not can_connect(actor, connection.account):
        raise ConnectionRefused(_("Du kan inte koppla bort det här kontot."))
    if connection.disconnected_at is not None:
        raise ConnectionRefused(_("Kopplingen är redan borttagen."))
    connection.disconnected_at = timezone.now()
    connection.access_token = RETIRED_TOKEN
    connection.refresh_token = ""  # an emptied token, not a secret  # nosec B105
    connection.save(update_fields=["disconnected_at", "access_token", "refresh_token"])
    ConnectionEvent.objects.create(
        connection=connection, kind=ConnectionEvent.Kind.DISCONNECTED, actor=actor
    )
    return connection


def connection_token(connection: PlatformConnection) -> Secret:
    """The decrypted token, for the capture's requests only."""
    return Secret(connection.access_token)


@transaction.atomic
def connection_record_health(
    *, connection_id: int, health: str, message: str = "", polled: bool = False
) -> PlatformConnection:
    """What the capture learnt of the token and quota. A change of health is
    an event; the compliance rule reads the health on its next sweep."""
    connection = PlatformConnection.objects.select_for_update().get(pk=connection_id)
    now = timezone.now()
    changed = connection.health != health
    connection.health = health
    connection.health_message = message[:1000]
    connection.health_checked_at = now
    fields = ["health", "health_message", "health_checked_at"]
    if polled:
        connection.last_polled_at = now
        fields.append("last_polled_at")
    connection.save(update_fields=fields)
    if changed:
        ConnectionEvent.objects.create(
            connection=connection,
            kind=ConnectionEvent.Kind.HEALTH,
            note=f"{connection.get_health_display()}: {message}"[:1000],
        )
    return connection


@transaction.atomic
def connection_spend_quota(*, connection_id: int, units: int) -> int:
    """Count ``units`` against the connection's allowance for the period (the
    day or the month; Pacific midnight is YouTube's reset and X counts from
    the plan's billing day, so the local calendar is close enough to warn).
    Returns the units left, or -1 for a platform without a unit quota."""
    connection = PlatformConnection.objects.select_for_update().get(pk=connection_id)
    quota = quota_of(connection.kind)
    today = timezone.localdate()
    start = today.replace(day=1) if quota and quota[0] == "month" else today
    if connection.quota_day != start:
        connection.quota_day = start
        connection.quota_used = 0
    connection.quota_used += units
    connection.save(update_fields=["quota_day", "quota_used"])
    return -1 if quota is None else max(quota[1] - connection.quota_used, 0)


class TokenRenewalFailed(ServiceError):
    """The platform would not renew the token; ``revoked`` when only a new
    connection helps (``invalid_grant``)."""

    def __init__(self, message: str, *, revoked: bool):
        super().__init__(message)
        self.revoked = revoked


def renewal_due(connection: PlatformConnection, now: datetime.datetime) -> bool:
    """A token that would expire before the next poll has run is renewed now."""
    if not connection.refreshable or connection.token_expires_at is None:
        return False
    margin = settings.CAPTURE_POLL_MINUTES + settings.CAPTURE_TOKEN_REFRESH_MARGIN_MINUTES
    return connection.token_expires_at <= now + datetime.timedelta(minutes=margin)


def connection_renew_token(*, connection_id: int) -> PlatformConnection:
    """Renew the access token with the escrowed refresh token before it
    expires (§10: the capture must not stop). The new tokens are escrowed
    like the first; the event names no token. The row is locked through the
    exchange: X rotates its refresh tokens, so two workers renewing at once
    would leave one of them holding a spent one. A refusal is the
    connection's health: ``invalid_grant`` is a revoked access
    ("Kontot arkiveras inte"), anything else a failing platform."""
    with transaction.atomic():
        connection = PlatformConnection.objects.select_for_update().get(pk=connection_id)
        provider = provider_for_kind(connection.kind)
        if (
            provider is None
            or not provider.enabled()
            or not renewal_due(connection, timezone.now())
        ):
            return connection
        try:
            tokens = provider.refresh(connection.refresh_token)
        except OAuthFailed as exc:
            failure = exc
        else:
            connection.access_token = tokens.access_token
            connection.refresh_token = tokens.refresh_token
            connection.token_expires_at = tokens.expires_at
            if tokens.scopes:
                connection.scopes = tokens.scopes
            connection.save(
                update_fields=["access_token", "refresh_token", "token_expires_at", "scopes"]
            )
            ConnectionEvent.objects.create(
                connection=connection, kind=ConnectionEvent.Kind.TOKEN_REFRESHED
            )
            return connection
    revoked = isinstance(failure, GrantRevoked)
    if revoked:
        message = _(
            "%(platform)s nekade förnyelsen av token (invalid_grant): åtkomsten har "
            "återkallats, lösenordet bytts eller förnyelsetoken gått ut. Koppla kontot på nytt."
        ) % {"platform": provider.label}
        health = PlatformConnection.Health.TOKEN_REVOKED
    else:
        message = _("%(platform)s kunde inte förnya token: %(reason)s") % {
            "platform": provider.label,
            "reason": str(failure),
        }
        health = PlatformConnection.Health.FAILING
    connection_record_health(connection_id=connection_id, health=health, message=message)
    raise TokenRenewalFailed(message, revoked=revoked)
