"""YouTube channels (YouTube Data API v3, OAuth with ``youtube.readonly``, or
``youtube.force-ssl`` to see comments held for review).

Videos through the channel's uploads playlist (``playlistItems``, 1 unit a
page, never ``search`` at 100), comment threads (``commentThreads``, 1 unit a
page) and the replies past the five a thread carries (``comments?parentId``).
Every call is counted against the project's 10,000 units a day; the capture
stops before the quota is spent rather than after.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import requests
from django.utils.translation import gettext as _

from channels_registry.connections.models import ConnectorKind, PlatformConnection
from channels_registry.connections.services import connection_spend_quota
from moderation.capture.connectors.base import (
    CaptureFailure,
    Connector,
    Health,
    Item,
    MissingPermission,
    ObjectGone,
    RateLimited,
    TokenExpired,
    parse_time,
    register,
)

API = "https://www.googleapis.com/youtube/v3/"
TOKENINFO = "https://oauth2.googleapis.com/tokeninfo"
QUOTA_REASONS = {
    "quotaExceeded",
    "dailyLimitExceeded",
    "rateLimitExceeded",
    "userRateLimitExceeded",
}
PERMISSION_REASONS = {"insufficientPermissions", "forbidden", "channelNotFound"}
HIDDEN_STATES = {"heldForReview", "likelySpam", "rejected"}


def youtube_error(response: requests.Response) -> CaptureFailure:
    try:
        error = response.json().get("error", {})
    except ValueError:
        error = {}
    reasons = {e.get("reason") for e in error.get("errors", [])}
    message = str(error.get("message", ""))[:300] or f"HTTP {response.status_code}"
    if response.status_code == 401:
        return TokenExpired(message, code=401)
    if response.status_code == 429 or reasons & QUOTA_REASONS:
        return RateLimited(message, code=response.status_code)
    if "commentsDisabled" in reasons or response.status_code == 404:
        return ObjectGone(message, code=response.status_code)
    if reasons & PERMISSION_REASONS or response.status_code == 403:
        return MissingPermission(message, code=response.status_code)
    return CaptureFailure(message, code=response.status_code)


@register
class YouTubeConnector(Connector):
    kind = ConnectorKind.YOUTUBE
    can_capture = [
        _("kanalens uppladdade filmer med titel och beskrivning, och ändringar av dem"),
        _("kommentarer och svar, även de som väntar på granskning"),
    ]
    cannot_capture = [
        _("meddelanden (YouTube har inga)"),
        _("communityinlägg (inget API)"),
        _("livechatt efter att sändningen avslutats"),
    ]

    def translate_error(self, response: requests.Response) -> CaptureFailure:
        return youtube_error(response)

    def _get(self, endpoint: str, params: dict[str, Any]) -> dict[str, Any]:
        # Counted before the call: a spent quota stops the capture, not the platform.
        if connection_spend_quota(connection_id=self.connection.pk, units=1) == 0:
            raise RateLimited(_("Dagens kvot på 10 000 enheter är slut."))
        headers = {"Authorization": f"Bearer {self.token}"}
        return self.http.get(API + endpoint, params=params, headers=headers)

    def _pages(self, endpoint: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        token = None
        while True:
            answer = self._get(endpoint, {**params, **({"pageToken": token} if token else {})})
            yield from answer.get("items", [])
            token = answer.get("nextPageToken")
            if not token:
                return

    def _channel(self, part: str) -> dict[str, Any]:
        answer = self._get("channels", {"part": part, "id": self.connection.external_id})
        items = answer.get("items", [])
        if not items:
            raise MissingPermission(_("Kanalen syns inte med den här token."))
        return items[0]

    def discover(self) -> dict[str, str]:
        channel = self._channel("snippet")
        return {"id": channel["id"], "name": channel["snippet"].get("title", "")}

    def health(self) -> Health:
        try:
            self.discover()
        except CaptureFailure as exc:
            return Health(False, exc.health, str(exc))
        info = self.http.get(TOKENINFO, params={"access_token": self.token}, units=0)
        scopes = str(info.get("scope", "")).split()
        expires_at = None
        if info.get("expires_in"):
            expires_at = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(
                seconds=int(info["expires_in"])
            )
        if not any(
            s.endswith(("youtube.readonly", "youtube.force-ssl", "youtube")) for s in scopes
        ):
            return Health(
                False,
                PlatformConnection.Health.MISSING_PERMISSION,
                _("Behörighet saknas: youtube.readonly"),
                expires_at,
                scopes,
            )
        return Health(True, PlatformConnection.Health.OK, "", expires_at, scopes)

    def posts_since(self, since: datetime.datetime | None) -> Iterator[Item]:
        uploads = self._channel("contentDetails")["contentDetails"]["relatedPlaylists"]["uploads"]
        # The uploads playlist is newest first: stop at the first older video.
        for raw in self._pages(
            "playlistItems",
            {"part": "snippet,contentDetails", "playlistId": uploads, "maxResults": 50},
        ):
            published = parse_time(raw["contentDetails"].get("videoPublishedAt"))
            if since is not None and published is not None and published < since:
                return
            snippet = raw["snippet"]
            video_id = raw["contentDetails"]["videoId"]
            text = snippet.get("title", "")
            if snippet.get("description"):
                text = f"{text}\n\n{snippet['description']}"
            yield Item(
                kind="post",
                platform_id=video_id,
                raw=raw,
                text=text,
                author_name=snippet.get("channelTitle", ""),
                author_platform_id=self.connection.external_id,
                published_at=published,
                permalink=f"https://www.youtube.com/watch?v={video_id}",
                own=True,
            )

    def _comment(self, raw: dict[str, Any], parent_id: str, kind: str) -> Item:
        snippet = raw["snippet"]
        author_id = (snippet.get("authorChannelId") or {}).get("value", "")
        published = parse_time(snippet.get("publishedAt"))
        updated = parse_time(snippet.get("updatedAt"))
        return Item(
            kind=kind,
            platform_id=raw["id"],
            raw=raw,
            text=snippet.get("textOriginal") or snippet.get("textDisplay", ""),
            author_name=snippet.get("authorDisplayName", ""),
            author_platform_id=author_id,
            published_at=published,
            edited_at=updated if updated != published else None,
            parent_platform_id=parent_id,
            permalink=f"https://www.youtube.com/watch?v={snippet.get('videoId', '')}&lc={raw['id']}",
            hidden=snippet.get("moderationStatus") in HIDDEN_STATES,
            own=author_id == self.connection.external_id,
        )

    def comments(self, post: Item) -> Iterator[Item]:
        params = {
            "part": "snippet,replies",
            "videoId": post.platform_id,
            "maxResults": 100,
            "textFormat": "plainText",
        }
        try:
            threads = list(self._pages("commentThreads", params))
        except ObjectGone:
            return  # comments disabled on the video
        for thread in threads:
            top = thread["snippet"]["topLevelComment"]
            yield self._comment(top, post.platform_id, "comment")
            replies = (thread.get("replies") or {}).get("comments", [])
            if thread["snippet"].get("totalReplyCount", 0) > len(replies):
                replies = list(
                    self._pages(
                        "comments",
                        {"part": "snippet", "parentId": top["id"], "maxResults": 100},
                    )
                )
            for reply in replies:
                yield self._comment(reply, top["id"], "reply")
