"""Connecting an account through its platform's OAuth dialog, instead of
pasting a token: one flow for every provider in ``providers``.

The person is sent to the platform with a random ``state`` (and, where the
platform takes PKCE, a code challenge whose verifier never leaves the server),
both kept in their session with the account and the provider. The platform
sends them back to ``SITE_URL`` + the provider's callback address, which must
be registered with the app exactly. A wrong or stale state is refused before
anything is exchanged. The code is exchanged server to server; the tokens
wait in the session encrypted with the escrow keys, for at most
``PENDING_SECONDS``, until the person picks the account to connect. They are
never shown, logged or stored beyond that.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time

from django.conf import settings
from django.urls import reverse

from channels_registry.connections.providers import (
    AccountChoice,
    OAuthFailed,
    Provider,
    TokenSet,
)
from nora_social.core.crypto import decrypt, encrypt

SESSION_KEY = "capture_oauth"
PENDING_SECONDS = 15 * 60

__all__ = ["OAuthFailed", "choices", "finish", "forget", "pending", "redirect_uri", "start"]


def redirect_uri(provider: Provider) -> str:
    """The address the platform sends the person back to: register it with the
    platform's app as it is (docs/platforms.md)."""
    path = reverse("channels_registry:connection_oauth_callback", args=[provider.slug])
    return settings.SITE_URL.rstrip("/") + path


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def start(session, *, provider: Provider, account_id: int) -> str:
    """Remember a fresh state (and PKCE verifier) for this account and return
    the platform's dialog URL."""
    state = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64) if provider.pkce else ""
    session[SESSION_KEY] = {
        "provider": provider.slug,
        "state": state,
        "verifier": encrypt(verifier) if verifier else "",
        "account": account_id,
        "at": int(time.time()),
    }
    return provider.dialog_url(
        state=state,
        redirect_uri=redirect_uri(provider),
        challenge=_challenge(verifier) if verifier else "",
    )


def pending(session, provider: Provider | None = None) -> dict | None:
    """The dialog under way in this session (of ``provider``, if given)."""
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict) or int(time.time()) - int(data.get("at", 0)) > PENDING_SECONDS:
        return None
    if provider is not None and data.get("provider") != provider.slug:
        return None
    return data


def finish(session, *, provider: Provider, state: str, code: str) -> int:
    """Check the state, exchange the code and keep the tokens (encrypted) in
    the session for the choice. Returns the account id."""
    data = pending(session, provider)
    if data is None or not data.get("state") or not code:
        raise OAuthFailed("state")
    if not secrets.compare_digest(str(data["state"]), state):
        raise OAuthFailed("state")
    data["state"] = ""  # used once, whatever the platform answers
    session[SESSION_KEY] = data
    verifier = decrypt(data["verifier"]) if data.get("verifier") else ""
    tokens = provider.exchange(code=code, redirect_uri=redirect_uri(provider), verifier=verifier)
    data["token"] = encrypt(tokens.dumps())
    data["verifier"] = ""
    session[SESSION_KEY] = data
    return int(data["account"])


def choices(session, provider: Provider) -> list[AccountChoice]:
    """The accounts at the platform the person may connect."""
    data = pending(session, provider)
    if data is None or not data.get("token"):
        raise OAuthFailed("no token")
    return provider.accounts(TokenSet.loads(decrypt(data["token"])))


def forget(session) -> None:
    session.pop(SESSION_KEY, None)
