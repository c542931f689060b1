"""The connector interface and the HTTP client every connector uses.

A connector discovers the account, fetches posts since a time, the comments and
replies of a post and messages where the platform allows, reads a webhook's
changes, and reports the token's health. It states what it can and cannot
capture. It never scrapes a page: only the platform's documented API.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import requests
from django.utils import timezone
from django.utils.translation import gettext as _

from channels_registry.connections.models import PlatformConnection

TIMEOUT = 20


class CaptureFailure(Exception):
    """The platform refused; ``health`` is how the connection's health reads."""

    health = PlatformConnection.Health.FAILING

    def __init__(self, message: str, *, code: Any = None):
        super().__init__(message)
        self.code = code


class TokenExpired(CaptureFailure):
    health = PlatformConnection.Health.TOKEN_EXPIRED


class TokenRevoked(CaptureFailure):
    """The refresh token was refused: only a new connection helps."""

    health = PlatformConnection.Health.TOKEN_REVOKED


class MissingPermission(CaptureFailure):
    health = PlatformConnection.Health.MISSING_PERMISSION


class RateLimited(CaptureFailure):
    """HTTP 429 or the platform's own throttling codes: try later, not a fault
    of the token, but the account is not archived meanwhile. ``retry_at`` is
    when the platform said the window resets, where it says."""

    health = PlatformConnection.Health.QUOTA_EXHAUSTED

    def __init__(self, message: str, *, code: Any = None, retry_at=None):
        super().__init__(message, code=code)
        self.retry_at = retry_at


class ObjectGone(CaptureFailure):
    """The object is deleted on the platform (or no longer visible to us)."""


@dataclass
class Item:
    """A captured object as the platform returned it, normalised."""

    kind: str  # CapturedObject.Kind
    platform_id: str
    raw: dict[str, Any]
    text: str = ""
    author_name: str = ""
    author_platform_id: str = ""
    published_at: datetime.datetime | None = None
    edited_at: datetime.datetime | None = None
    parent_platform_id: str = ""
    permalink: str = ""
    hidden: bool = False
    own: bool = False


@dataclass
class Removal:
    """A webhook said an object was removed; the capture records it as gone."""

    platform_id: str
    raw: dict[str, Any]


@dataclass
class Health:
    ok: bool
    health: str
    message: str = ""
    expires_at: datetime.datetime | None = None
    scopes: list[str] = field(default_factory=list)


class Http:
    """``requests`` with the connection's WARC log and quota count. The token
    goes in a header or parameter that the WARC writer redacts."""

    def __init__(self, connection: PlatformConnection, translate_error):
        self.connection = connection
        self.session = requests.Session()
        self._translate_error = translate_error
        self.units = 0

    def get(self, url: str, params: dict[str, Any] | None = None, *, units: int = 1, **kw):
        from moderation.capture.warc import record_exchange

        response = self.session.get(url, params=params, timeout=TIMEOUT, **kw)
        self.units += units
        record_exchange(self.connection.pk, response)
        if response.status_code >= 400:
            raise self._translate_error(response)
        return response.json()


class Connector:
    """The interface. Subclasses set ``kind`` and the capability statements."""

    kind: ClassVar[str]
    can_capture: ClassVar[list[str]]
    cannot_capture: ClassVar[list[str]]
    required_scopes: ClassVar[tuple[str, ...]] = ()

    def __init__(self, connection: PlatformConnection, token: str):
        self.connection = connection
        self.token = token
        self.http = Http(connection, self.translate_error)

    def translate_error(self, response: requests.Response) -> CaptureFailure:
        raise NotImplementedError

    def discover(self) -> dict[str, str]:
        """The account's id and name as the platform knows them."""
        raise NotImplementedError

    def posts_since(self, since: datetime.datetime | None) -> Iterator[Item]:
        raise NotImplementedError

    def comments(self, post: Item) -> Iterator[Item]:
        raise NotImplementedError

    def messages(self, since: datetime.datetime | None) -> Iterator[Item]:
        return iter(())

    def comments_complete(self, post: Item) -> bool:
        """Whether ``comments(post)`` returns every comment the post still has,
        so that one missing from it is gone. False where the platform shows
        only a recent window (X's search: the last seven days)."""
        return True

    def webhook_changes(self, payload: dict[str, Any]) -> list[Item | Removal]:
        return []

    def health(self) -> Health:
        """The token reads the account, and no required scope is missing from
        those granted (as far as they are known)."""
        try:
            self.discover()
        except CaptureFailure as exc:
            return Health(False, exc.health, str(exc))
        return scope_health(
            self.required_scopes, self.connection.scope_list(), self.connection.token_expires_at
        )


def scope_health(
    required: tuple[str, ...], scopes: list[str], expires_at: datetime.datetime | None = None
) -> Health:
    """OK, or the required scopes missing from those granted; with no grant
    known, nothing is missing."""
    missing = [s for s in required if scopes and s not in scopes]
    if missing:
        return Health(
            False,
            PlatformConnection.Health.MISSING_PERMISSION,
            _("Behörighet saknas: %(scopes)s") % {"scopes": ", ".join(missing)},
            expires_at,
            scopes,
        )
    return Health(True, PlatformConnection.Health.OK, "", expires_at, scopes)


_CONNECTORS: dict[str, type[Connector]] = {}


def register(cls: type[Connector]) -> type[Connector]:
    _CONNECTORS[cls.kind] = cls
    return cls


def connector_class(kind: str) -> type[Connector]:
    from moderation.capture.connectors import linkedin, meta, x, youtube  # noqa: F401 - registers

    return _CONNECTORS[kind]


def connector_for(connection: PlatformConnection) -> Connector:
    """The connection's connector, with a token that outlives the poll: one
    about to expire is renewed first. A refused renewal is a CaptureFailure."""
    from channels_registry.connections.services import (
        TokenRenewalFailed,
        connection_renew_token,
        connection_token,
        renewal_due,
    )

    if renewal_due(connection, timezone.now()):
        try:
            connection = connection_renew_token(connection_id=connection.pk)
        except TokenRenewalFailed as exc:
            raise (TokenRevoked if exc.revoked else CaptureFailure)(exc.message) from None
    return connector_class(connection.kind)(connection, connection_token(connection))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def retry_time(value: Any) -> datetime.datetime | None:
    """A reset time given as Unix seconds (X's ``x-rate-limit-reset``)."""
    try:
        return datetime.datetime.fromtimestamp(int(value), tz=datetime.UTC)
    except (TypeError, ValueError):
        return None


def parse_time(value: Any) -> datetime.datetime | None:
    """ISO 8601 (``2026-12-01T10:00:00+0000`` or ``...Z``) or a Unix time."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float):
        return datetime.datetime.fromtimestamp(value, tz=datetime.UTC)
    text = str(value).replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":
        text = text[:-2] + ":" + text[-2:]
    return datetime.datetime.fromisoformat(text)
