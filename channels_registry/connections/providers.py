"""The platforms' OAuth 2.0 apps: where each dialog is, how a code becomes a
token, how a token is renewed, and which accounts the person may connect.

One ``Provider`` per app (Meta for Facebook and Instagram, Google for YouTube,
LinkedIn, X). The standard authorization-code grant (RFC 6749 §4.1) and the
refresh grant (§6) are written once here; a provider only says where its
endpoints are, which scopes it asks for, whether it takes PKCE (RFC 7636) and
how it authenticates the client. Meta alone differs: its exchange is a GET and
a long-lived token is asked for in a second step, and its page tokens do not
expire, so it has no refresh.

No token or client secret ever goes into an exception's message or a log line:
the errors carry the platform's error code and its description only.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.utils import timezone

from channels_registry.connections.models import ConnectorKind

TIMEOUT = 20
LINKEDIN_API = "https://api.linkedin.com/rest/"
X_API = "https://api.x.com/2/"
YOUTUBE_API = "https://www.googleapis.com/youtube/v3/"


class OAuthFailed(Exception):
    """The platform refused, or its answer was not what was asked for."""

    def __init__(self, message: str, *, error: str = ""):
        super().__init__(message)
        self.error = error


class GrantRevoked(OAuthFailed):
    """``invalid_grant`` on a refresh: the refresh token is revoked or expired;
    only a new connection (the person through the dialog again) helps."""


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    refresh_token: str = ""
    expires_at: datetime.datetime | None = None
    scopes: str = ""

    def __repr__(self) -> str:
        return f"TokenSet(expires_at={self.expires_at}, scopes={self.scopes!r})"

    def dumps(self) -> str:
        expires = self.expires_at.isoformat() if self.expires_at else None
        return json.dumps([self.access_token, self.refresh_token, expires, self.scopes])

    @classmethod
    def loads(cls, text: str) -> TokenSet:
        access, refresh, expires, scopes = json.loads(text)
        at = datetime.datetime.fromisoformat(expires) if expires else None
        return cls(access, refresh, at, scopes)


@dataclass(frozen=True)
class AccountChoice:
    """An account the person may connect, with the token that reads it."""

    kind: str
    external_id: str
    name: str
    tokens: TokenSet

    def __repr__(self) -> str:
        return f"AccountChoice({self.kind}, {self.external_id})"


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError as exc:
        raise OAuthFailed(f"HTTP {response.status_code}") from exc
    if response.status_code >= 400 or (isinstance(body, dict) and "error" in body):
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict):  # Meta's error object
            raise OAuthFailed(str(error.get("message", ""))[:300], error=str(error.get("code")))
        code = str(error or body.get("status", response.status_code))
        description = body.get("error_description") or body.get("message") or code
        if code == "invalid_grant":
            raise GrantRevoked(str(description)[:300], error=code)
        raise OAuthFailed(str(description)[:300], error=code)
    return body


def _bearer_get(url: str, token: str, params: dict | None = None, **headers: str) -> dict:
    headers = {"Authorization": f"Bearer {token}", **headers}
    return _json(requests.get(url, params=params, headers=headers, timeout=TIMEOUT))


class Provider:
    """The standard authorization-code and refresh grants; a subclass names
    its endpoints, scopes, settings and how accounts are listed."""

    slug: ClassVar[str]
    label: ClassVar[str]
    kinds: ClassVar[tuple[str, ...]]
    token_url: ClassVar[str]
    scopes: ClassVar[tuple[str, ...]]
    scope_separator: ClassVar[str] = " "
    pkce: ClassVar[bool] = False
    extra_params: ClassVar[dict[str, str]] = {}
    client_id_setting: ClassVar[str]
    client_secret_setting: ClassVar[str]
    secret_required: ClassVar[bool] = True
    basic_auth: ClassVar[bool] = False  # the client authenticates with HTTP Basic

    def authorize_url(self) -> str:
        raise NotImplementedError

    def client_id(self) -> str:
        return str(getattr(settings, self.client_id_setting))

    def client_secret(self) -> str:
        return str(getattr(settings, self.client_secret_setting))

    def enabled(self) -> bool:
        return bool(self.client_id() and (self.client_secret() or not self.secret_required))

    def dialog_url(self, *, state: str, redirect_uri: str, challenge: str = "") -> str:
        params = {
            "response_type": "code",
            "client_id": self.client_id(),
            "redirect_uri": redirect_uri,
            "state": state,
            "scope": self.scope_separator.join(self.scopes),
            **self.extra_params,
        }
        if self.pkce:
            params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
        return f"{self.authorize_url()}?{urlencode(params)}"

    def _token_request(self, data: dict[str, str]) -> TokenSet:
        auth = None
        data = {**data, "client_id": self.client_id()}
        if self.client_secret():
            if self.basic_auth:
                auth = (self.client_id(), self.client_secret())
            else:
                data["client_secret"] = self.client_secret()
        body = _json(requests.post(self.token_url, data=data, auth=auth, timeout=TIMEOUT))
        if not body.get("access_token"):
            raise OAuthFailed("no access_token")
        expires_at = None
        if body.get("expires_in"):
            expires_at = timezone.now() + datetime.timedelta(seconds=int(body["expires_in"]))
        scopes = str(body.get("scope", "")).replace(",", " ")
        return TokenSet(
            str(body["access_token"]), str(body.get("refresh_token", "")), expires_at, scopes
        )

    def exchange(self, *, code: str, redirect_uri: str, verifier: str = "") -> TokenSet:
        data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        if self.pkce:
            data["code_verifier"] = verifier
        return self._token_request(data)

    def refresh(self, refresh_token: str) -> TokenSet:
        """A new access token. Where the platform does not rotate the refresh
        token (Google, LinkedIn), the one we hold is kept."""
        tokens = self._token_request(
            {"grant_type": "refresh_token", "refresh_token": refresh_token}
        )
        if not tokens.refresh_token:
            tokens = TokenSet(tokens.access_token, refresh_token, tokens.expires_at, tokens.scopes)
        return tokens

    def accounts(self, tokens: TokenSet) -> list[AccountChoice]:
        raise NotImplementedError


class MetaProvider(Provider):
    slug = "meta"
    label = "Meta (Facebook, Instagram)"
    kinds = (ConnectorKind.FACEBOOK, ConnectorKind.INSTAGRAM)
    scopes = (
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
    scope_separator = ","
    client_id_setting = "CAPTURE_META_APP_ID"
    client_secret_setting = "CAPTURE_META_APP_SECRET"  # noqa: S105 - a setting's name  # nosec B105

    def _graph(self, path: str) -> str:
        return f"https://graph.facebook.com/{settings.CAPTURE_META_GRAPH_VERSION}/{path}"

    def authorize_url(self) -> str:
        return f"https://www.facebook.com/{settings.CAPTURE_META_GRAPH_VERSION}/dialog/oauth"

    def exchange(self, *, code: str, redirect_uri: str, verifier: str = "") -> TokenSet:
        """Meta's exchange is a GET, and gives a short-lived user token that a
        second call turns into a long-lived one (about 60 days)."""
        app = {"client_id": self.client_id(), "client_secret": self.client_secret()}
        short = _json(
            requests.get(
                self._graph("oauth/access_token"),
                params={**app, "redirect_uri": redirect_uri, "code": code},
                timeout=TIMEOUT,
            )
        )["access_token"]
        long_lived = _json(
            requests.get(
                self._graph("oauth/access_token"),
                params={**app, "grant_type": "fb_exchange_token", "fb_exchange_token": short},
                timeout=TIMEOUT,
            )
        )["access_token"]
        return TokenSet(str(long_lived))

    def refresh(self, refresh_token: str) -> TokenSet:
        raise OAuthFailed("Meta's page tokens are not refreshed")

    def accounts(self, tokens: TokenSet) -> list[AccountChoice]:
        """The pages the person manages, each with its page token (which does
        not expire), and the Instagram professional account linked to each."""
        answer = _json(
            requests.get(
                self._graph("me/accounts"),
                params={
                    "access_token": tokens.access_token,
                    "fields": "id,name,access_token,instagram_business_account{id,username}",
                    "limit": "100",
                },
                timeout=TIMEOUT,
            )
        )
        found = []
        for page in answer.get("data", []):
            page_tokens = TokenSet(str(page["access_token"]))
            found.append(
                AccountChoice("facebook", str(page["id"]), page.get("name", ""), page_tokens)
            )
            instagram = page.get("instagram_business_account")
            if instagram:
                found.append(
                    AccountChoice(
                        "instagram",
                        str(instagram["id"]),
                        instagram.get("username", ""),
                        page_tokens,
                    )
                )
        return found


class GoogleProvider(Provider):
    slug = "google"
    label = "Google (YouTube)"
    kinds = (ConnectorKind.YOUTUBE,)
    token_url = "https://oauth2.googleapis.com/token"  # noqa: S105 - an address  # nosec B105
    scopes = ("https://www.googleapis.com/auth/youtube.readonly",)
    pkce = True
    # A refresh token is given only with offline access, and again only when
    # the person consents again (prompt=consent).
    extra_params = {"access_type": "offline", "prompt": "consent"}
    client_id_setting = "CAPTURE_GOOGLE_CLIENT_ID"
    client_secret_setting = "CAPTURE_GOOGLE_CLIENT_SECRET"  # noqa: S105 - a setting's name  # nosec B105

    def authorize_url(self) -> str:
        return "https://accounts.google.com/o/oauth2/v2/auth"

    def accounts(self, tokens: TokenSet) -> list[AccountChoice]:
        answer = _bearer_get(
            YOUTUBE_API + "channels", tokens.access_token, {"part": "snippet", "mine": "true"}
        )
        return [
            AccountChoice("youtube", str(c["id"]), c.get("snippet", {}).get("title", ""), tokens)
            for c in answer.get("items", [])
        ]


def linkedin_headers(token: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {token}",
        "LinkedIn-Version": settings.CAPTURE_LINKEDIN_VERSION,
        "X-Restli-Protocol-Version": "2.0.0",
    }


class LinkedInProvider(Provider):
    slug = "linkedin"
    label = "LinkedIn"
    kinds = (ConnectorKind.LINKEDIN,)
    token_url = "https://www.linkedin.com/oauth/v2/accessToken"  # noqa: S105 - an address  # nosec B105
    scopes = ("r_organization_social", "rw_organization_admin")
    client_id_setting = "CAPTURE_LINKEDIN_CLIENT_ID"
    client_secret_setting = "CAPTURE_LINKEDIN_CLIENT_SECRET"  # noqa: S105 - a setting's name  # nosec B105

    def authorize_url(self) -> str:
        return "https://www.linkedin.com/oauth/v2/authorization"

    def accounts(self, tokens: TokenSet) -> list[AccountChoice]:
        """The organisation pages the person administers."""
        headers = linkedin_headers(tokens.access_token)
        acls = _json(
            requests.get(
                LINKEDIN_API + "organizationAcls",
                params={"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"},
                headers=headers,
                timeout=TIMEOUT,
            )
        )
        found = []
        for acl in acls.get("elements", []):
            org_id = str(acl.get("organization", "")).rsplit(":", 1)[-1]
            if not org_id.isdigit():
                continue
            org = _json(
                requests.get(
                    f"{LINKEDIN_API}organizations/{org_id}", headers=headers, timeout=TIMEOUT
                )
            )
            found.append(AccountChoice("linkedin", org_id, org.get("localizedName", ""), tokens))
        return found


class XProvider(Provider):
    slug = "x"
    label = "X"
    kinds = (ConnectorKind.X,)
    token_url = X_API + "oauth2/token"
    scopes = ("tweet.read", "users.read", "offline.access")
    pkce = True
    client_id_setting = "CAPTURE_X_CLIENT_ID"
    client_secret_setting = "CAPTURE_X_CLIENT_SECRET"  # noqa: S105 - a setting's name  # nosec B105
    secret_required = False  # a public client proves itself by PKCE alone
    basic_auth = True

    def authorize_url(self) -> str:
        return "https://x.com/i/oauth2/authorize"

    def refresh(self, refresh_token: str) -> TokenSet:
        """X answers a spent or revoked refresh token with ``invalid_request``
        ("Value passed for the token was invalid"), not ``invalid_grant``."""
        try:
            return super().refresh(refresh_token)
        except GrantRevoked:
            raise
        except OAuthFailed as exc:
            if exc.error == "invalid_request":
                raise GrantRevoked(str(exc), error=exc.error) from None
            raise

    def accounts(self, tokens: TokenSet) -> list[AccountChoice]:
        """The one account the person signed in as."""
        user = _bearer_get(X_API + "users/me", tokens.access_token).get("data", {})
        if not user.get("id"):
            return []
        name = f"{user.get('name', '')} (@{user.get('username', '')})"
        return [AccountChoice("x", str(user["id"]), name, tokens)]


PROVIDERS: dict[str, Provider] = {
    p.slug: p for p in (MetaProvider(), GoogleProvider(), LinkedInProvider(), XProvider())
}


def provider(slug: str) -> Provider | None:
    return PROVIDERS.get(slug)


def provider_for_kind(kind: str) -> Provider | None:
    return next((p for p in PROVIDERS.values() if kind in p.kinds), None)


def enabled_providers() -> list[Provider]:
    return [p for p in PROVIDERS.values() if p.enabled()]
