"""Recorded platform answers, in the shapes the platforms document (Meta Graph
API v21.0 page posts, comments with ``filter=stream`` and cursor paging, error
objects; YouTube Data API v3 list responses and error bodies). No token appears
in any of them: requests carry the test's dummy token, answers never do."""

from __future__ import annotations

from typing import Any

import responses
from responses import matchers

GRAPH = "https://graph.facebook.com/v21.0/"
YT = "https://www.googleapis.com/youtube/v3/"
PAGE_ID = "104857600000001"
IG_ID = "17841400000000001"
CHANNEL_ID = "UCnorakommun000000000001"


def meta_time(day: int, hour: int = 10, minute: int = 0) -> str:
    return f"2026-12-{day:02d}T{hour:02d}:{minute:02d}:00+0000"


def fb_post(post_id: str, message: str, day: int = 1, updated_day: int | None = None) -> dict:
    return {
        "id": f"{PAGE_ID}_{post_id}",
        "message": message,
        "created_time": meta_time(day),
        "updated_time": meta_time(updated_day or day),
        "permalink_url": f"https://www.facebook.com/norakommun/posts/{post_id}",
        "from": {"name": "Nora kommun", "id": PAGE_ID},
    }


def fb_comment(
    comment_id: str,
    message: str,
    *,
    name: str = "Anna Andersson",
    user_id: str = "5550001",
    day: int = 1,
    hour: int = 12,
    parent: str | None = None,
    hidden: bool = False,
) -> dict:
    comment: dict[str, Any] = {
        "id": comment_id,
        "message": message,
        "created_time": meta_time(day, hour),
        "from": {"name": name, "id": user_id},
        "is_hidden": hidden,
        "permalink_url": f"https://www.facebook.com/norakommun/posts/1?comment_id={comment_id}",
    }
    if parent:
        comment["parent"] = {"id": parent}
    return comment


def paged(items: list[dict], edge_url: str, size: int = 2) -> list[tuple[dict, dict | None]]:
    """Split items into Graph pages with ``cursors`` and ``next`` (no token in
    ``next``: Meta puts one there, the recording leaves it out)."""
    pages = [items[i : i + size] for i in range(0, len(items), size)] or [[]]
    out = []
    for n, chunk in enumerate(pages):
        body: dict[str, Any] = {
            "data": chunk,
            "paging": {"cursors": {"before": f"QVFIU{n}b", "after": f"QVFIU{n}a"}},
        }
        if n + 1 < len(pages):
            body["paging"]["next"] = f"{edge_url}?limit=100&after=QVFIU{n}a"
        match = {"after": f"QVFIU{n - 1}a"} if n else None
        out.append((body, match))
    return out


def add_paged(rsps: responses.RequestsMock, url: str, items: list[dict], size: int = 2) -> None:
    for body, after in paged(items, url, size):
        if after is None:
            # The first page: any request without an ``after`` cursor.
            rsps.add(
                responses.GET,
                url,
                json=body,
                match=[_without("after")],
            )
        else:
            rsps.add(
                responses.GET,
                url,
                json=body,
                match=[matchers.query_param_matcher(after, strict_match=False)],
            )


def _without(param: str):
    def match(request):
        from urllib.parse import parse_qs, urlsplit

        present = param in parse_qs(urlsplit(request.url).query)
        return (not present, f"{param} present" if present else "")

    return match


def facebook_page(
    rsps: responses.RequestsMock,
    posts: list[dict],
    comments: dict[str, list[dict]],
    conversations: list[dict] | None = None,
) -> None:
    add_paged(rsps, f"{GRAPH}{PAGE_ID}/posts", posts)
    for post in posts:
        add_paged(rsps, f"{GRAPH}{post['id']}/comments", comments.get(post["id"], []))
    if conversations is not None:
        add_paged(rsps, f"{GRAPH}{PAGE_ID}/conversations", conversations)


def meta_error(code: int, message: str, subcode: int | None = None, status: int = 400) -> dict:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEfGhIjK",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"status": status, "json": {"error": error}}


EXPIRED_TOKEN = meta_error(
    190,
    "Error validating access token: Session has expired on Monday, 07-Dec-26 04:00:00 PST.",
    subcode=463,
)
PAGE_RATE_LIMIT = meta_error(32, "Page request limit reached")
APP_RATE_LIMIT = meta_error(4, "Application request limit reached", status=403)
CUSTOM_RATE_LIMIT = meta_error(613, "Calls to this api have exceeded the rate limit.")
NO_PERMISSION = meta_error(
    10, "(#10) This endpoint requires the 'pages_read_engagement' permission", status=403
)
DELETED_OBJECT = meta_error(
    100,
    "Unsupported get request. Object with ID '1_2' does not exist, cannot be loaded due to "
    "missing permissions, or does not support this operation.",
    subcode=33,
)


def ig_media(media_id: str, caption: str, day: int = 1) -> dict:
    return {
        "id": media_id,
        "caption": caption,
        "timestamp": meta_time(day),
        "permalink": f"https://www.instagram.com/p/{media_id}/",
        "username": "norakommun",
        "media_type": "IMAGE",
    }


def ig_comment(comment_id: str, text: str, *, username="anna.a", replies=(), hidden=False):
    body: dict[str, Any] = {
        "id": comment_id,
        "text": text,
        "timestamp": meta_time(2, 9),
        "username": username,
        "from": {"id": f"ig-{username}", "username": username},
        "hidden": hidden,
    }
    if replies:
        body["replies"] = {"data": list(replies)}
    return body


# YouTube ----------------------------------------------------------------------


def yt_channel() -> dict:
    return {
        "kind": "youtube#channelListResponse",
        "items": [
            {
                "kind": "youtube#channel",
                "id": CHANNEL_ID,
                "snippet": {"title": "Nora kommun"},
                "contentDetails": {"relatedPlaylists": {"uploads": "UU" + CHANNEL_ID[2:]}},
            }
        ],
    }


def yt_upload(video_id: str, title: str, day: int = 1) -> dict:
    return {
        "kind": "youtube#playlistItem",
        "id": f"pl-{video_id}",
        "snippet": {
            "publishedAt": f"2026-12-{day:02d}T08:00:00Z",
            "channelId": CHANNEL_ID,
            "title": title,
            "description": "Från kommunfullmäktige.",
            "channelTitle": "Nora kommun",
            "resourceId": {"kind": "youtube#video", "videoId": video_id},
        },
        "contentDetails": {"videoId": video_id, "videoPublishedAt": f"2026-12-{day:02d}T08:00:00Z"},
    }


def yt_comment(
    comment_id: str,
    text: str,
    *,
    video_id: str,
    author: str = "Anna Andersson",
    author_channel: str = "UCanna",
    updated: str | None = None,
    parent: str | None = None,
) -> dict:
    snippet: dict[str, Any] = {
        "videoId": video_id,
        "textDisplay": text,
        "textOriginal": text,
        "authorDisplayName": author,
        "authorChannelId": {"value": author_channel},
        "likeCount": 0,
        "publishedAt": "2026-12-02T09:00:00Z",
        "updatedAt": updated or "2026-12-02T09:00:00Z",
    }
    if parent:
        snippet["parentId"] = parent
    return {"kind": "youtube#comment", "id": comment_id, "snippet": snippet}


def yt_thread(top: dict, replies: list[dict], total: int | None = None) -> dict:
    thread: dict[str, Any] = {
        "kind": "youtube#commentThread",
        "id": top["id"],
        "snippet": {
            "videoId": top["snippet"]["videoId"],
            "topLevelComment": top,
            "totalReplyCount": len(replies) if total is None else total,
            "canReply": True,
            "isPublic": True,
        },
    }
    if replies:
        thread["replies"] = {"comments": replies}
    return thread


def yt_error(status: int, reason: str, message: str) -> dict:
    return {
        "status": status,
        "json": {
            "error": {
                "code": status,
                "message": message,
                "errors": [{"message": message, "domain": "youtube.quota", "reason": reason}],
            }
        },
    }
