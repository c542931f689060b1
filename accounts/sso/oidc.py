"""OpenID Connect (authorization code with PKCE) through mozilla-django-oidc.

The library wants each endpoint as a setting; they come from the provider's
discovery document instead (``OIDC_ISSUER``), read when first needed and kept
for an hour. The ID token's issuer and audience are checked here (the library
checks signature, expiry and nonce only).
"""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from accounts.models import ExternalIdentity, LoginEvent
from accounts.sso.services import (
    STEP_UP_PENDING_KEY,
    Assurance,
    NoAccess,
    SignOn,
    refusal_remember,
    sign_on,
)

logger = logging.getLogger(__name__)

_ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",  # a discovery key, not a password  # nosec B105
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def discovery() -> dict:
    """The provider's metadata (OpenID Connect Discovery 1.0)."""
    issuer = settings.OIDC_ISSUER
    key = f"oidc-discovery:{issuer}"
    found = cache.get(key)
    if found is None:
        response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
        response.raise_for_status()
        found = response.json()
        if found.get("issuer", "").rstrip("/") != issuer:
            raise SuspiciousOperation("The discovery document names another issuer.")
        cache.set(key, found, 3600)
    return found


def _setting(attr: str, *default):
    if attr in _ENDPOINTS:
        return discovery()[_ENDPOINTS[attr]]
    return getattr(settings, attr, *default)


def assurance_of(claims: dict) -> Assurance:
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    amr = tuple(str(value) for value in amr)
    acr = str(claims.get("acr") or "")
    mfa = bool(set(amr) & set(settings.OIDC_MFA_AMR_VALUES)) or (
        bool(acr) and acr in settings.OIDC_MFA_ACR_VALUES
    )
    return Assurance(method=LoginEvent.Method.OIDC, acr=acr, amr=amr, multi_factor=mfa)


def sign_on_from_claims(claims: dict) -> SignOn:
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    return SignOn(
        provider=ExternalIdentity.Provider.OIDC,
        subject=str(claims.get(settings.OIDC_SUBJECT_CLAIM) or ""),
        groups=tuple(str(g) for g in groups),
        assurance=assurance_of(claims),
        given_name=str(claims.get("given_name") or ""),
        family_name=str(claims.get("family_name") or ""),
        email=str(claims.get("email") or ""),
        username_hint=str(
            claims.get("preferred_username") or claims.get("upn") or claims.get("email") or ""
        ),
    )


class OIDCBackend(OIDCAuthenticationBackend):
    """Answers only the provider's callback; every other login passes it by
    without a network call (the library's constructor would read the endpoints)."""

    get_settings = staticmethod(_setting)

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED or request is None or "code" not in request.GET:
            return None
        if "nonce" not in kwargs:
            return None
        try:
            for attr in _ENDPOINTS:
                if attr != "OIDC_OP_AUTHORIZATION_ENDPOINT":
                    setattr(self, attr, _setting(attr))
        except (requests.RequestException, ValueError, KeyError):
            logger.warning("OIDC discovery failed for %s", settings.OIDC_ISSUER)
            refusal_remember(request, "error")
            return None
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, ValueError) as exc:
            logger.warning("OIDC sign-on failed: %s", type(exc).__name__)
            refusal_remember(request, "error")
            return None

    def get_or_create_user(self, access_token, id_token, payload):
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss", "").rstrip("/") != settings.OIDC_ISSUER:
            raise SuspiciousOperation("ID token from another issuer")
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        user_info = self.get_userinfo(access_token, id_token, payload)
        if user_info.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about another subject")
        # The ID token's claims (oid, acr, amr) over the userinfo's.
        claims = {**user_info, **payload}
        try:
            return sign_on(request=self.request, claims=sign_on_from_claims(claims))
        except NoAccess as refusal:
            refusal_remember(self.request, refusal.reason)
            return None


class OIDCLoginView(OIDCAuthenticationRequestView):
    """Off to the provider; ``?stepup=1`` asks it to authenticate the person
    again now (``prompt=login``, ``max_age=0``) for the escrow's step-up."""

    get_settings = staticmethod(_setting)

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = _setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except (requests.RequestException, ValueError, KeyError):
            refusal_remember(request, "error")
            return HttpResponseRedirect(reverse("sso_refused"))
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        step_up = request.GET.get("stepup") == "1" and request.user.is_authenticated
        if step_up:
            request.session[STEP_UP_PENDING_KEY] = True
        else:
            request.session.pop(STEP_UP_PENDING_KEY, None)
        self._step_up = step_up
        return super().get(request)

    def get_extra_params(self, request):
        if self._step_up:
            return {"prompt": "login", "max_age": "0"}
        return {}


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(_setting)

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().get(request)

    def login_success(self):
        # Always log in, also the same person again at step-up, so that every
        # sign-on is recorded with its assurance (accounts.sso.signals).
        step_up = bool(self.request.session.get(STEP_UP_PENDING_KEY))
        auth.login(self.request, self.user, backend="accounts.sso.oidc.OIDCBackend")
        if step_up:
            return self._after_step_up()
        return HttpResponseRedirect(self.success_url)

    def _after_step_up(self):
        from accounts.stepup import is_stepped_up

        if not is_stepped_up(self.request):
            messages.error(
                self.request,
                _(
                    "Inloggningen gjordes utan tvåfaktorsautentisering och räknas inte som "
                    "bekräftelse. Logga in med tvåfaktor hos kommunens inloggning."
                ),
            )
            return HttpResponseRedirect(reverse("accounts:step_up"))
        return HttpResponseRedirect(self.success_url)

    def login_failure(self):
        self.request.session.pop(STEP_UP_PENDING_KEY, None)
        return HttpResponseRedirect(reverse("sso_refused"))
