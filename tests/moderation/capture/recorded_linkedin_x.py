"""Recorded answers of LinkedIn's Community Management API (REST, Rest.li 2.0:
``elements`` and ``paging`` with ``start``, ``count``, ``links`` and
``total``; error bodies with ``status``, ``serviceErrorCode``, ``code`` and
``message``), X API v2 (``data``, ``includes.users``, ``meta.next_token``,
problem bodies with ``title``, ``detail`` and ``type``) and the OAuth token
endpoints (RFC 6749 §5.1 and §5.2). No real token appears in any of them."""

from __future__ import annotations

import datetime
from typing import Any

LI = "https://api.linkedin.com/rest/"
ORG_ID = "5515715"
ORG_URN = f"urn:li:organization:{ORG_ID}"
X = "https://api.x.com/2/"
X_USER = "1230000000000000001"
GOOGLE_TOKEN = "https://oauth2.googleapis.com/token"  # noqa: S105 - an address
LINKEDIN_TOKEN = "https://www.linkedin.com/oauth/v2/accessToken"  # noqa: S105 - an address
X_TOKEN = f"{X}oauth2/token"

DEC_1 = 1_796_119_200_000  # 2026-12-01T10:00:00Z in milliseconds


def li_paged(elements: list[dict], start: int = 0, total: int | None = None) -> dict:
    total = len(elements) if total is None else total
    links = []
    if start + len(elements) < total:
        links.append(
            {"type": "application/json", "rel": "next", "href": f"/rest/posts?start={start + 50}"}
        )
    return {
        "elements": elements,
        "paging": {"start": start, "count": 50, "links": links, "total": total},
    }


def li_post(share_id: str, text: str, *, hours: int = 0, edited_hours: int | None = None) -> dict:
    created = DEC_1 + hours * 3_600_000
    modified = DEC_1 + (edited_hours if edited_hours is not None else hours) * 3_600_000
    return {
        "id": f"urn:li:share:{share_id}",
        "author": ORG_URN,
        "commentary": text,
        "visibility": "PUBLIC",
        "lifecycleState": "PUBLISHED",
        "lifecycleStateInfo": {"isEditedByAuthor": edited_hours is not None},
        "distribution": {"feedDistribution": "MAIN_FEED"},
        "createdAt": created,
        "publishedAt": created,
        "lastModifiedAt": modified,
        "isReshareDisabledByAuthor": False,
    }


def li_comment(
    activity: str,
    comment_id: str,
    text: str,
    *,
    actor: str = "urn:li:person:A1b2C3d4",
    parent: str | None = None,
    replies: int = 0,
    edited: bool = False,
) -> dict:
    created = DEC_1 + 7_200_000
    comment: dict[str, Any] = {
        "actor": actor,
        "commentUrn": f"urn:li:comment:(urn:li:activity:{activity},{comment_id})",
        "id": comment_id,
        "created": {"actor": actor, "time": created},
        "lastModified": {"actor": actor, "time": created + (3_600_000 if edited else 0)},
        "message": {"attributes": [], "text": text},
        "object": parent or f"urn:li:activity:{activity}",
        "commentsSummary": {
            "selectedComments": [],
            "aggregatedTotalComments": replies,
            "totalFirstLevelComments": replies,
        },
    }
    if parent:
        comment["parentComment"] = parent
    return comment


def li_error(status: int, code: str, service_code: int, message: str) -> dict:
    return {
        "status": status,
        "json": {
            "status": status,
            "serviceErrorCode": service_code,
            "code": code,
            "message": message,
        },
    }


def x_post(
    post_id: str,
    text: str,
    *,
    author: str = X_USER,
    history: list[str] | None = None,
    conversation: str | None = None,
    replied_to: str | None = None,
    days_ago: int = 1,
) -> dict:
    # Relative to now: X's recent search sees seven days, and the capture
    # judges a reply gone only on a post younger than that.
    when = datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=days_ago)
    created = when.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    post: dict[str, Any] = {
        "id": post_id,
        "text": text,
        "author_id": author,
        "created_at": created,
        "conversation_id": conversation or post_id,
        "edit_history_tweet_ids": history or [post_id],
    }
    if replied_to:
        post["referenced_tweets"] = [{"type": "replied_to", "id": replied_to}]
    return post


def x_page(posts: list[dict], next_token: str | None = None, users: list[dict] = ()) -> dict:
    meta: dict[str, Any] = {"result_count": len(posts)}
    if posts:
        meta |= {"newest_id": posts[0]["id"], "oldest_id": posts[-1]["id"]}
    if next_token:
        meta["next_token"] = next_token
    answer: dict[str, Any] = {"data": posts, "meta": meta}
    if users:
        answer["includes"] = {"users": list(users)}
    return answer


def token_answer(access: str, *, refresh: str | None = None, expires_in: int = 3599) -> dict:
    body: dict[str, Any] = {
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": expires_in,
    }
    if refresh:
        body["refresh_token"] = refresh
    return body


INVALID_GRANT = {
    "status": 400,
    "json": {"error": "invalid_grant", "error_description": "Token has been expired or revoked."},
}
