"""Facebook Pages and Instagram professional accounts (Meta Graph API).

Facebook: the page's posts (``/{page-id}/posts``), their comments and replies
in one stream (``/{post-id}/comments?filter=stream``, with ``is_hidden``), the
page's Messenger conversations where ``pages_messaging`` is granted, and Page
webhooks for ``feed`` and ``messages``. Instagram: the account's media, their
comments and replies (``hidden`` included), Instagram Direct where
``instagram_manage_messages`` is granted, and webhooks for ``comments`` and
``messages``.

Errors as Meta documents them: code 190 is an expired or revoked token; 10 and
200–299 a missing permission; 4, 17, 32, 613 and 80001–80014 throttling (also
HTTP 429); 100 with subcode 33 an object that no longer exists.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from channels_registry.connections.models import ConnectorKind, PlatformConnection
from moderation.capture.connectors.base import (
    CaptureFailure,
    Connector,
    Health,
    Item,
    MissingPermission,
    ObjectGone,
    RateLimited,
    Removal,
    TokenExpired,
    parse_time,
    register,
    scope_health,
)

RATE_LIMIT_CODES = {4, 17, 32, 613} | set(range(80001, 80015))
PAGE_SIZE = 100


def graph_url(path: str) -> str:
    return f"https://graph.facebook.com/{settings.CAPTURE_META_GRAPH_VERSION}/{path.lstrip('/')}"


def meta_error(response: requests.Response) -> CaptureFailure:
    try:
        error = response.json().get("error", {})
    except ValueError:
        error = {}
    code = error.get("code")
    subcode = error.get("error_subcode")
    # Meta's messages name the object or the permission, never the token.
    message = str(error.get("message", ""))[:300] or f"HTTP {response.status_code}"
    if code == 190:
        return TokenExpired(message, code=code)
    if code == 10 or (isinstance(code, int) and 200 <= code <= 299):
        return MissingPermission(message, code=code)
    if code in RATE_LIMIT_CODES or response.status_code == 429:
        return RateLimited(message, code=code)
    if code == 100 and subcode == 33:
        return ObjectGone(message, code=code)
    return CaptureFailure(message, code=code)


class MetaConnector(Connector):
    messaging_platform = "messenger"
    messaging_scope = "pages_messaging"

    def translate_error(self, response: requests.Response) -> CaptureFailure:
        return meta_error(response)

    def _get(self, path_or_url: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        url = path_or_url if path_or_url.startswith("https://") else graph_url(path_or_url)
        if url.startswith(graph_url("")) and "access_token=" not in url:
            params = {**(params or {}), "access_token": self.token}
        return self.http.get(url, params=params)

    def _pages(self, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every item of a cursor-paged edge: follows ``paging.next`` until absent."""
        answer = self._get(path, params)
        while True:
            yield from answer.get("data", [])
            next_url = answer.get("paging", {}).get("next")
            if not next_url:
                return
            answer = self._get(next_url)

    def messages(self, since: datetime.datetime | None) -> Iterator[Item]:
        if self.messaging_scope not in self.connection.scope_list():
            return
        params = {
            "platform": self.messaging_platform,
            "fields": "id,updated_time,messages{id,message,created_time,from}",
            "limit": 25,
        }
        for conversation in self._pages(f"{self.connection.external_id}/conversations", params):
            for raw in (conversation.get("messages") or {}).get("data", []):
                created = parse_time(raw.get("created_time"))
                if since is not None and created is not None and created < since:
                    continue
                author = raw.get("from") or {}
                yield Item(
                    kind="message",
                    platform_id=str(raw["id"]),
                    raw=raw,
                    text=raw.get("message", ""),
                    author_name=author.get("name", ""),
                    author_platform_id=str(author.get("id", "")),
                    published_at=created,
                    own=str(author.get("id", "")) == self.connection.external_id,
                )

    def discover(self) -> dict[str, str]:
        answer = self._get(self.connection.external_id, {"fields": "id,name,username"})
        return {"id": str(answer["id"]), "name": answer.get("name") or answer.get("username", "")}

    def health(self) -> Health:
        """The token works (a read of the account) and, where the app's id and
        secret are configured, its expiry and scopes from ``/debug_token``."""
        try:
            self.discover()
        except CaptureFailure as exc:
            return Health(False, exc.health, str(exc))
        expires_at = None
        scopes = self.connection.scope_list()
        if settings.CAPTURE_META_APP_ID and settings.CAPTURE_META_APP_SECRET:
            app_token = f"{settings.CAPTURE_META_APP_ID}|{settings.CAPTURE_META_APP_SECRET}"
            data = self.http.get(
                graph_url("debug_token"),
                params={"input_token": self.token, "access_token": app_token},
            ).get("data", {})
            if not data.get("is_valid", False):
                return Health(False, PlatformConnection.Health.TOKEN_EXPIRED, _("Ogiltig token."))
            if data.get("expires_at"):
                expires_at = parse_time(data["expires_at"])
            scopes = list(data.get("scopes", scopes))
        return scope_health(self.required_scopes, scopes, expires_at)


@register
class FacebookPageConnector(MetaConnector):
    kind = ConnectorKind.FACEBOOK
    required_scopes = ("pages_read_engagement", "pages_read_user_content")
    can_capture = [
        _("sidans inlägg med ändringar"),
        _("kommentarer och svar, även dolda"),
        _("Messenger-meddelanden till sidan (med pages_messaging)"),
        _("webhooks för feed och messages"),
    ]
    cannot_capture = [
        _("innehåll som raderats innan det hämtades"),
        _("reaktioner per person"),
        _("andras inlägg i grupper"),
        _("meddelanden äldre än plattformen visar"),
    ]

    def _post(self, raw: dict[str, Any]) -> Item:
        author = raw.get("from") or {}
        return Item(
            kind="post",
            platform_id=str(raw["id"]),
            raw=raw,
            text=raw.get("message", ""),
            author_name=author.get("name", ""),
            author_platform_id=str(author.get("id", "")),
            published_at=parse_time(raw.get("created_time")),
            edited_at=parse_time(raw.get("updated_time")),
            permalink=raw.get("permalink_url", ""),
            own=str(author.get("id", self.connection.external_id)) == self.connection.external_id,
        )

    def posts_since(self, since: datetime.datetime | None) -> Iterator[Item]:
        params: dict[str, Any] = {
            "fields": "id,message,created_time,updated_time,permalink_url,from",
            "limit": PAGE_SIZE,
        }
        if since is not None:
            params["since"] = int(since.timestamp())
        for raw in self._pages(f"{self.connection.external_id}/posts", params):
            yield self._post(raw)

    def _comment(self, raw: dict[str, Any], post_id: str) -> Item:
        author = raw.get("from") or {}
        parent = (raw.get("parent") or {}).get("id", "")
        return Item(
            kind="reply" if parent else "comment",
            platform_id=str(raw["id"]),
            raw=raw,
            text=raw.get("message", ""),
            author_name=author.get("name", ""),
            author_platform_id=str(author.get("id", "")),
            published_at=parse_time(raw.get("created_time")),
            parent_platform_id=parent or post_id,
            permalink=raw.get("permalink_url", ""),
            hidden=bool(raw.get("is_hidden", False)),
            own=str(author.get("id", "")) == self.connection.external_id,
        )

    def comments(self, post: Item) -> Iterator[Item]:
        params = {
            "fields": "id,message,created_time,from,is_hidden,parent{id},permalink_url",
            "filter": "stream",
            "limit": PAGE_SIZE,
        }
        for raw in self._pages(f"{post.platform_id}/comments", params):
            yield self._comment(raw, post.platform_id)

    def webhook_changes(self, payload: dict[str, Any]) -> list[Item | Removal]:
        """A Page webhook's ``feed`` changes and ``messaging`` events."""
        found: list[Item | Removal] = []
        for entry in payload.get("entry", []):
            for change in entry.get("changes", []):
                if change.get("field") != "feed":
                    continue
                value = change.get("value", {})
                found.extend(self._feed_change(value))
            for event in entry.get("messaging", []):
                message = event.get("message") or {}
                if not message.get("mid"):
                    continue
                sender = str((event.get("sender") or {}).get("id", ""))
                found.append(
                    Item(
                        kind="message",
                        platform_id=str(message["mid"]),
                        raw=event,
                        text=message.get("text", ""),
                        author_platform_id=sender,
                        published_at=parse_time((event.get("timestamp") or 0) / 1000),
                        own=sender == self.connection.external_id,
                    )
                )
        return found

    def _feed_change(self, value: dict[str, Any]) -> list[Item | Removal]:
        item, verb = value.get("item"), value.get("verb")
        if item == "comment":
            object_id = str(value.get("comment_id", ""))
        else:
            object_id = str(value.get("post_id", ""))
        if not object_id or item not in {"comment", "status", "post", "photo", "video"}:
            return []
        if verb == "remove":
            return [Removal(object_id, value)]
        author = value.get("from") or {}
        post_id = str(value.get("post_id", ""))
        parent = str(value.get("parent_id", "") or post_id)
        return [
            Item(
                kind=("reply" if parent != post_id else "comment") if item == "comment" else "post",
                platform_id=object_id,
                raw=value,
                text=value.get("message", ""),
                author_name=author.get("name", ""),
                author_platform_id=str(author.get("id", "")),
                published_at=parse_time(value.get("created_time")),
                parent_platform_id=parent if item == "comment" else "",
                hidden=verb == "hide",
                own=str(author.get("id", "")) == self.connection.external_id,
            )
        ]


@register
class InstagramConnector(MetaConnector):
    kind = ConnectorKind.INSTAGRAM
    required_scopes = ("instagram_basic", "instagram_manage_comments")
    messaging_platform = "instagram"
    messaging_scope = "instagram_manage_messages"
    can_capture = [
        _("kontots inlägg (bilder, filmer, karuseller) och bildtexter"),
        _("kommentarer och svar, även dolda"),
        _("direktmeddelanden (med instagram_manage_messages)"),
        _("webhooks för comments och messages"),
    ]
    cannot_capture = [
        _("stories efter 24 timmar om de inte hämtats innan"),
        _("ändringar av en kommentar (Instagram tillåter inga)"),
        _("kommentarer på inlägg där kontot bara är taggat"),
    ]

    def posts_since(self, since: datetime.datetime | None) -> Iterator[Item]:
        params: dict[str, Any] = {
            "fields": "id,caption,timestamp,permalink,username,media_type",
            "limit": PAGE_SIZE,
        }
        if since is not None:
            params["since"] = int(since.timestamp())
        for raw in self._pages(f"{self.connection.external_id}/media", params):
            yield Item(
                kind="post",
                platform_id=str(raw["id"]),
                raw=raw,
                text=raw.get("caption", ""),
                author_name=raw.get("username", ""),
                author_platform_id=self.connection.external_id,
                published_at=parse_time(raw.get("timestamp")),
                permalink=raw.get("permalink", ""),
                own=True,
            )

    def _comment(self, raw: dict[str, Any], parent_id: str, kind: str) -> Item:
        author = raw.get("from") or {}
        username = raw.get("username") or author.get("username", "")
        author_id = str(author.get("id", ""))
        return Item(
            kind=kind,
            platform_id=str(raw["id"]),
            raw=raw,
            text=raw.get("text", ""),
            author_name=username,
            author_platform_id=author_id,
            published_at=parse_time(raw.get("timestamp")),
            parent_platform_id=parent_id,
            hidden=bool(raw.get("hidden", False)),
            own=author_id == self.connection.external_id
            or (bool(username) and username == self.connection.external_name),
        )

    def comments(self, post: Item) -> Iterator[Item]:
        fields = (
            "id,text,timestamp,username,from,hidden,replies{id,text,timestamp,username,from,hidden}"
        )
        for raw in self._pages(f"{post.platform_id}/comments", {"fields": fields}):
            yield self._comment(raw, post.platform_id, "comment")
            for reply in (raw.get("replies") or {}).get("data", []):
                yield self._comment(reply, str(raw["id"]), "reply")

    def webhook_changes(self, payload: dict[str, Any]) -> list[Item | Removal]:
        found: list[Item | Removal] = []
        for entry in payload.get("entry", []):
            for change in entry.get("changes", []):
                if change.get("field") != "comments":
                    continue
                value = change.get("value", {})
                parent = str(value.get("parent_id") or (value.get("media") or {}).get("id", ""))
                kind = "reply" if value.get("parent_id") else "comment"
                found.append(self._comment(value, parent, kind))
        return found
