"""Writes of capture connections (§3: access to an account is escrowed; §10:
the account's records are kept).

A token is stored encrypted and never returned to a page, a log, a history row
or an error message; only ``connection_token`` decrypts it, for the capture.
"""

import datetime

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
from channels_registry.models import SocialAccount
from nora_social.core.crypto import Secret
from nora_social.core.errors import ServiceError

# YouTube Data API v3 grants 10,000 units a day per project by default.
# What a disconnected connection keeps instead of its token (not a secret).
RETIRED_TOKEN = "-"  # noqa: S105 - a placeholder, not a secret  # nosec B105

DAILY_QUOTA = {ConnectorKind.YOUTUBE: 10_000}


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
    connection.save(update_fields=["disconnected_at", "access_token"])
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
    """Count ``units`` against the connection's daily quota (Pacific midnight
    is the platforms' reset; the local day is close enough to warn). Returns the
    units left, or -1 for a platform without a unit quota."""
    connection = PlatformConnection.objects.select_for_update().get(pk=connection_id)
    today = timezone.localdate()
    if connection.quota_day != today:
        connection.quota_day = today
        connection.quota_used = 0
    connection.quota_used += units
    connection.save(update_fields=["quota_day", "quota_used"])
    limit = DAILY_QUOTA.get(ConnectorKind(connection.kind))
    return -1 if limit is None else max(limit - connection.quota_used, 0)
