"""Connecting a Facebook page or Instagram account through Meta's OAuth dialog
(Facebook Login for Business), instead of pasting a token.

The person is sent to Meta with a random ``state`` kept in their session; Meta
sends them back with a code, which is exchanged (with the app secret, server to
server) for a user token and then a long-lived one; ``/me/accounts`` lists the
pages they manage, each with its page token, and the Instagram professional
account linked to it. Between the callback and the person's choice the user
token waits in the session encrypted with the escrow keys, for at most
``PENDING_SECONDS``; it is never shown, logged or stored beyond that.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from django.conf import settings

from nora_social.core.crypto import decrypt, encrypt

SESSION_KEY = "capture_meta_oauth"
PENDING_SECONDS = 15 * 60
TIMEOUT = 20
SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_read_user_content",
    "pages_manage_metadata",
    "pages_messaging",
    "instagram_basic",
    "instagram_manage_comments",
    "instagram_manage_messages",
    "business_management",
)


class OAuthFailed(Exception):
    """Meta refused or the answer was not what was asked for."""


@dataclass(frozen=True)
class PageChoice:
    kind: str  # "facebook" or "instagram"
    external_id: str
    name: str
    token: str

    def __repr__(self) -> str:
        return f"PageChoice({self.kind}, {self.external_id})"


def enabled() -> bool:
    return bool(settings.CAPTURE_META_APP_ID and settings.CAPTURE_META_APP_SECRET)


def _graph(path: str) -> str:
    return f"https://graph.facebook.com/{settings.CAPTURE_META_GRAPH_VERSION}/{path}"


def start(session, *, account_id: int, redirect_uri: str) -> str:
    """Remember a fresh state for this account and return Meta's dialog URL."""
    state = secrets.token_urlsafe(32)
    session[SESSION_KEY] = {"state": state, "account": account_id, "at": int(time.time())}
    query = urlencode(
        {
            "client_id": settings.CAPTURE_META_APP_ID,
            "redirect_uri": redirect_uri,
            "state": state,
            "response_type": "code",
            "scope": ",".join(SCOPES),
        }
    )
    return f"https://www.facebook.com/{settings.CAPTURE_META_GRAPH_VERSION}/dialog/oauth?{query}"


def pending(session) -> dict | None:
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict) or int(time.time()) - int(data.get("at", 0)) > PENDING_SECONDS:
        return None
    return data


def _get(url: str, params: dict) -> dict:
    response = requests.get(url, params=params, timeout=TIMEOUT)
    try:
        body = response.json()
    except ValueError as exc:
        raise OAuthFailed(f"HTTP {response.status_code}") from exc
    if response.status_code >= 400 or "error" in body:
        message = (body.get("error") or {}).get("message", f"HTTP {response.status_code}")
        raise OAuthFailed(str(message)[:300])
    return body


def finish(session, *, state: str, code: str, redirect_uri: str) -> int:
    """Check the state, exchange the code for a long-lived user token and keep
    it (encrypted) in the session for the choice. Returns the account id."""
    data = pending(session)
    if data is None or not secrets.compare_digest(str(data.get("state", "")), state):
        raise OAuthFailed("state")
    secret = settings.CAPTURE_META_APP_SECRET
    short = _get(
        _graph("oauth/access_token"),
        {
            "client_id": settings.CAPTURE_META_APP_ID,
            "client_secret": secret,
            "redirect_uri": redirect_uri,
            "code": code,
        },
    )["access_token"]
    long_lived = _get(
        _graph("oauth/access_token"),
        {
            "grant_type": "fb_exchange_token",
            "client_id": settings.CAPTURE_META_APP_ID,
            "client_secret": secret,
            "fb_exchange_token": short,
        },
    )["access_token"]
    data["token"] = encrypt(long_lived)
    data["state"] = ""
    session[SESSION_KEY] = data
    return int(data["account"])


def choices(session) -> list[PageChoice]:
    """The pages (and their Instagram accounts) the person manages."""
    data = pending(session)
    if data is None or not data.get("token"):
        raise OAuthFailed("no token")
    answer = _get(
        _graph("me/accounts"),
        {
            "access_token": decrypt(data["token"]),
            "fields": "id,name,access_token,instagram_business_account{id,username}",
            "limit": 100,
        },
    )
    found = []
    for page in answer.get("data", []):
        found.append(
            PageChoice("facebook", str(page["id"]), page.get("name", ""), page["access_token"])
        )
        instagram = page.get("instagram_business_account")
        if instagram:
            found.append(
                PageChoice(
                    "instagram",
                    str(instagram["id"]),
                    instagram.get("username", ""),
                    page["access_token"],
                )
            )
    return found


def forget(session) -> None:
    session.pop(SESSION_KEY, None)
