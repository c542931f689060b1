"""Reads of capture connections: the current ones, what is failing."""

import datetime

from django.db.models import Q, QuerySet

from channels_registry.connections.models import ConnectionEvent, PlatformConnection


def current_connections() -> QuerySet[PlatformConnection]:
    return PlatformConnection.objects.filter(disconnected_at__isnull=True)


def connections_of(account_id: int) -> QuerySet[PlatformConnection]:
    return current_connections().filter(account_id=account_id).order_by("kind", "pk")


def connection_events(account_id: int, limit: int = 50) -> list[ConnectionEvent]:
    return list(
        ConnectionEvent.objects.filter(connection__account_id=account_id)
        .select_related("connection", "actor")
        .order_by("-at", "-pk")[:limit]
    )


def failing_connections(now: datetime.datetime) -> QuerySet[PlatformConnection]:
    """Current connections that capture nothing now: a failing health reported
    by the capture, or a token past its expiry whatever the last check said."""
    return current_connections().filter(
        Q(health__in=PlatformConnection.FAILING_HEALTH) | Q(token_expires_at__lte=now)
    )
