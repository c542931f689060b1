"""X accounts (X API v2, OAuth 2.0 user context with ``tweet.read`` and
``users.read``; ``offline.access`` for a refresh token).

The account's posts (``/2/users/:id/tweets``, paged by ``pagination_token``)
and the replies to each (``/2/tweets/search/recent`` with
``conversation_id:``, paged by ``next_token``). An edit on X is a new post id
listed in ``edit_history_tweet_ids``, oldest first: the first id is the
object, each later text a new version of it. Recent search sees the last
seven days only, so a reply is judged gone only while its post is younger.

Every post read counts against the plan's monthly cap: the capture counts
the posts each answer carries and stops before the cap (the connection's
``quota_used``, ``CAPTURE_X_MONTHLY_POST_CAP``), and X's own
``UsageCapExceeded`` reads the same. HTTP 429 carries ``x-rate-limit-reset``
(Unix seconds), the end of the 15-minute window.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from channels_registry.connections.models import ConnectorKind
from channels_registry.connections.providers import X_API
from channels_registry.connections.services import connection_spend_quota
from moderation.capture.connectors.base import (
    CaptureFailure,
    Connector,
    Item,
    MissingPermission,
    ObjectGone,
    RateLimited,
    TokenExpired,
    bearer,
    parse_time,
    register,
    retry_time,
)

SEARCH_WINDOW = datetime.timedelta(days=7)
TWEET_FIELDS = "created_at,author_id,conversation_id,edit_history_tweet_ids,referenced_tweets"


def x_error(response: requests.Response) -> CaptureFailure:
    try:
        body = response.json()
    except ValueError:
        body = {}
    title = str(body.get("title", ""))
    message = str(body.get("detail") or title)[:300] or f"HTTP {response.status_code}"
    if response.status_code == 401:
        return TokenExpired(message, code=401)
    if title == "UsageCapExceeded":
        return RateLimited(
            _("X-planens månadstak för lästa inlägg är nått (%(message)s).") % {"message": message},
            code=title,
        )
    if response.status_code == 429:
        reset = retry_time(response.headers.get("x-rate-limit-reset"))
        when = timezone.localtime(reset).strftime("%Y-%m-%d %H:%M") if reset else "?"
        return RateLimited(
            _("X begränsar anropen (HTTP 429); nästa försök efter %(when)s.") % {"when": when},
            code=429,
            retry_at=reset,
        )
    if response.status_code == 403:
        return MissingPermission(message, code=body.get("reason") or 403)
    if response.status_code == 404:
        return ObjectGone(message, code=404)
    return CaptureFailure(message, code=response.status_code)


@register
class XConnector(Connector):
    kind = ConnectorKind.X
    required_scopes = ("tweet.read", "users.read")
    can_capture = [
        _("kontots inlägg och svar, med ändringar (X:s redigeringshistorik)"),
        _("svar från andra i kontots trådar, de senaste sju dagarna"),
    ]
    cannot_capture = [
        _("svar äldre än sju dagar som inte hämtades i tid (sökningen ser en vecka bakåt)"),
        _("raderade svar på inlägg äldre än sju dagar"),
        _("direktmeddelanden (kräver en dyrare nivå och dm.read)"),
        _("mer än planens månadstak för lästa inlägg"),
    ]

    def translate_error(self, response: requests.Response) -> CaptureFailure:
        return x_error(response)

    def _get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """One call; the posts it returns are counted against the monthly cap,
        and none is made once the cap is reached."""
        if connection_spend_quota(connection_id=self.connection.pk, units=0) == 0:
            raise RateLimited(
                _("Månadens tak på %(cap)s lästa inlägg hos X är nått.")
                % {"cap": settings.CAPTURE_X_MONTHLY_POST_CAP}
            )
        answer = self.http.get(X_API + path, params=params, headers=bearer(self.token))
        data = answer.get("data")
        if isinstance(data, list) and data:
            connection_spend_quota(connection_id=self.connection.pk, units=len(data))
        return answer

    def _pages(self, path: str, params: dict[str, Any], cursor: str) -> Iterator[dict[str, Any]]:
        """Every post of a paged answer, with the users it includes by id in
        ``_author`` (X pages by ``pagination_token`` or ``next_token``)."""
        token = None
        while True:
            answer = self._get(path, {**params, **({cursor: token} if token else {})})
            users = {u["id"]: u for u in (answer.get("includes") or {}).get("users", [])}
            for raw in answer.get("data", []):
                yield {**raw, "_author": users.get(raw.get("author_id"), {})}
            token = (answer.get("meta") or {}).get("next_token")
            if not token:
                return

    def discover(self) -> dict[str, str]:
        answer = self._get(f"users/{self.connection.external_id}")
        user = answer.get("data")
        if not user:
            raise ObjectGone(str((answer.get("errors") or [{}])[0].get("detail", "not found")))
        return {"id": str(user["id"]), "name": user.get("username") or user.get("name", "")}

    def _item(self, raw: dict[str, Any], kind: str, parent: str = "") -> Item:
        history = _history(raw)
        author = raw.get("_author") or {}
        author_id = str(raw.get("author_id", ""))
        created = parse_time(raw.get("created_at"))
        stored = {k: v for k, v in raw.items() if k != "_author"}
        if author:
            stored["author"] = author
        return Item(
            kind=kind,
            platform_id=history[0],
            raw=stored,
            text=raw.get("text", ""),
            author_name=author.get("username", ""),
            author_platform_id=author_id,
            published_at=created,
            edited_at=created if len(history) > 1 else None,
            parent_platform_id=parent,
            permalink=f"https://x.com/i/web/status/{raw['id']}",
            own=author_id == self.connection.external_id,
        )

    def posts_since(self, since: datetime.datetime | None) -> Iterator[Item]:
        params: dict[str, Any] = {"max_results": 100, "tweet.fields": TWEET_FIELDS}
        if since is not None:
            params["start_time"] = since.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        path = f"users/{self.connection.external_id}/tweets"
        for raw in self._pages(path, params, "pagination_token"):
            yield self._item(raw, "post")

    def comments_complete(self, post: Item) -> bool:
        published = post.published_at
        margin = datetime.timedelta(minutes=settings.CAPTURE_POLL_MINUTES)
        return published is not None and timezone.now() - published < SEARCH_WINDOW - margin

    def comments(self, post: Item) -> Iterator[Item]:
        """The replies in the post's conversation: to the post itself a
        comment, to a reply a reply (each edit's id maps to its first id)."""
        conversation = str(post.raw.get("conversation_id") or post.platform_id)
        params = {
            "query": f"conversation_id:{conversation}",
            "max_results": 100,
            "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id",
            "user.fields": "username,name",
        }
        found = list(self._pages("tweets/search/recent", params, "next_token"))
        first_id = {h: _history(r)[0] for r in found for h in _history(r)}
        first_id |= dict.fromkeys(_history(post.raw) + [post.platform_id], post.platform_id)
        for raw in found:
            replied = next(
                (
                    str(r["id"])
                    for r in raw.get("referenced_tweets", [])
                    if r["type"] == "replied_to"
                ),
                post.platform_id,
            )
            parent = first_id.get(replied, post.platform_id)
            yield self._item(raw, "comment" if parent == post.platform_id else "reply", parent)


def _history(raw: dict[str, Any]) -> list[str]:
    """A post's ids, first to latest (an unedited post has only its own)."""
    return [str(h) for h in raw.get("edit_history_tweet_ids") or [raw["id"]]]
