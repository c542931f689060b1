"""LinkedIn organisation pages (Community Management API, versioned REST:
``LinkedIn-Version: YYYYMM`` and ``X-Restli-Protocol-Version: 2.0.0``).

The organisation's posts (``/rest/posts?q=author``, newest change first, paged
by ``start``/``count``), the comments on each (``/rest/socialActions/{urn}/
comments``) and the replies under a comment (the same resource with the
comment's URN). An edit is seen as changed ``commentary`` (posts) or
``message.text`` (comments); a deleted comment as one missing from a post's
list. The app needs the Community Management API product (reviewed by
LinkedIn) and a token with ``r_organization_social`` from an administrator of
the page.

Errors as LinkedIn documents them: 401 an expired or revoked token
(``EXPIRED_ACCESS_TOKEN``, ``REVOKED_ACCESS_TOKEN``), 403 a missing permission
(``ACCESS_DENIED``), 404 a deleted object, 429 a spent daily limit (reset at
midnight UTC).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import requests
from django.utils.translation import gettext as _

from channels_registry.connections.models import ConnectorKind
from channels_registry.connections.providers import LINKEDIN_API, linkedin_headers
from moderation.capture.connectors.base import (
    CaptureFailure,
    Connector,
    Item,
    MissingPermission,
    ObjectGone,
    RateLimited,
    TokenExpired,
    parse_time,
    register,
)

PAGE_SIZE = 50


def linkedin_error(response: requests.Response) -> CaptureFailure:
    try:
        body = response.json()
    except ValueError:
        body = {}
    code = body.get("code") or response.status_code
    message = str(body.get("message", ""))[:300] or f"HTTP {response.status_code}"
    if response.status_code == 401:
        return TokenExpired(message, code=code)
    if response.status_code == 429:
        tomorrow = datetime.datetime.now(tz=datetime.UTC).date() + datetime.timedelta(days=1)
        reset = datetime.datetime.combine(tomorrow, datetime.time(), tzinfo=datetime.UTC)
        return RateLimited(
            _("LinkedIn: dagens gräns för anrop är nådd (%(message)s).") % {"message": message},
            code=code,
            retry_at=reset,
        )
    if response.status_code == 403:
        return MissingPermission(message, code=code)
    if response.status_code in (404, 410):
        return ObjectGone(message, code=code)
    return CaptureFailure(message, code=code)


def _millis(value: Any) -> datetime.datetime | None:
    return parse_time(int(value) / 1000) if value else None


@register
class LinkedInConnector(Connector):
    kind = ConnectorKind.LINKEDIN
    required_scopes = ("r_organization_social",)
    can_capture = [
        _("organisationssidans inlägg med ändringar"),
        _("kommentarer och svar på sidans inlägg, med ändringar och raderingar"),
    ]
    cannot_capture = [
        _("meddelanden till sidan (inget API för organisationer)"),
        _("kommentatorernas namn (bara deras id; personprofiler kräver en annan behörighet)"),
        _("inlägg som andra skriver och där sidan nämns"),
        _("ett raderat inlägg (det syns bara som att det inte längre hämtas)"),
    ]

    @property
    def author_urn(self) -> str:
        return f"urn:li:organization:{self.connection.external_id}"

    def translate_error(self, response: requests.Response) -> CaptureFailure:
        return linkedin_error(response)

    def _get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.http.get(
            LINKEDIN_API + path, params=params, headers=linkedin_headers(self.token)
        )

    def _pages(self, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every element of a collection paged by ``start`` and ``count``."""
        start = 0
        while True:
            answer = self._get(path, {**params, "start": start, "count": PAGE_SIZE})
            elements = answer.get("elements", [])
            yield from elements
            paging = answer.get("paging") or {}
            start += len(elements)
            more = any(link.get("rel") == "next" for link in paging.get("links", []))
            total = paging.get("total")
            if not elements or not (more or (total is not None and start < int(total))):
                return

    def discover(self) -> dict[str, str]:
        org = self._get(f"organizations/{self.connection.external_id}")
        return {
            "id": str(org.get("id", self.connection.external_id)),
            "name": org.get("localizedName", ""),
        }

    def posts_since(self, since: datetime.datetime | None) -> Iterator[Item]:
        params = {"q": "author", "author": self.author_urn, "sortBy": "LAST_MODIFIED"}
        for raw in self._pages("posts", params):
            modified = _millis(raw.get("lastModifiedAt"))
            # Newest change first: a post last changed before the window and
            # everything after it were also published before it.
            if since is not None and modified is not None and modified < since:
                return
            if raw.get("lifecycleState") not in (None, "PUBLISHED", "PUBLISHED_EDITED"):
                continue
            edited = (raw.get("lifecycleStateInfo") or {}).get("isEditedByAuthor")
            urn = str(raw["id"])
            yield Item(
                kind="post",
                platform_id=urn,
                raw=raw,
                text=raw.get("commentary", ""),
                author_name=self.connection.external_name,
                author_platform_id=self.author_urn,
                published_at=_millis(raw.get("publishedAt") or raw.get("createdAt")),
                edited_at=modified if edited else None,
                permalink=f"https://www.linkedin.com/feed/update/{urn}/",
                own=raw.get("author") == self.author_urn,
            )

    def _comment(self, raw: dict[str, Any], parent: str, kind: str) -> Item:
        created = _millis((raw.get("created") or {}).get("time"))
        modified = _millis((raw.get("lastModified") or {}).get("time"))
        actor = str(raw.get("actor", ""))
        urn = str(raw.get("commentUrn") or raw["id"])
        return Item(
            kind=kind,
            platform_id=urn,
            raw=raw,
            text=(raw.get("message") or {}).get("text", ""),
            author_platform_id=actor,
            author_name=self.connection.external_name if actor == self.author_urn else "",
            published_at=created,
            edited_at=modified if modified and modified != created else None,
            parent_platform_id=parent,
            permalink=f"https://www.linkedin.com/feed/update/{raw.get('object', parent)}/",
            own=actor == self.author_urn,
        )

    def _comments_of(self, urn: str) -> Iterator[dict[str, Any]]:
        return self._pages(f"socialActions/{quote(urn, safe='')}/comments", {})

    def comments(self, post: Item) -> Iterator[Item]:
        try:
            comments = list(self._comments_of(post.platform_id))
        except ObjectGone:
            return  # the post is gone, or comments are off
        for raw in comments:
            comment = self._comment(raw, post.platform_id, "comment")
            yield comment
            summary = raw.get("commentsSummary") or {}
            if summary.get("totalFirstLevelComments") or summary.get("aggregatedTotalComments"):
                for reply in self._comments_of(comment.platform_id):
                    yield self._comment(reply, comment.platform_id, "reply")
