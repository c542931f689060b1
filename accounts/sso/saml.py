"""SAML 2.0 (ADFS, federations) through djangosaml2 and pysaml2.

The service provider's configuration is built per request from the settings
(``config_loader``): the IdP's metadata from a URL or a file, our key and
certificate from files, signed requests and signed assertions required.
"""

from __future__ import annotations

import logging

import saml2
from django.conf import settings
from django.http import Http404
from django.urls import reverse
from djangosaml2 import views as saml_views
from djangosaml2.backends import Saml2Backend
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_PERSISTENT

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

XMLSEC1 = "/usr/bin/xmlsec1"

_GIVEN = ("givenName", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname")
_FAMILY = ("sn", "surname", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname")
_EMAIL = ("mail", "email", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress")
_USERNAME = ("uid", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn")


def _absolute(request, name: str) -> str:
    path = reverse(name)
    return request.build_absolute_uri(path) if request is not None else settings.SITE_URL + path


def config_loader(request=None) -> SPConfig:
    """djangosaml2's ``SAML_CONFIG_LOADER``."""
    if not settings.SAML_ENABLED:
        raise Http404
    metadata: dict = {}
    if settings.SAML_IDP_METADATA_URL:
        metadata["remote"] = [{"url": settings.SAML_IDP_METADATA_URL}]
    if settings.SAML_IDP_METADATA_FILE:
        metadata["local"] = [settings.SAML_IDP_METADATA_FILE]
    step_up = bool(request is not None and request.GET.get("stepup") == "1")
    config = {
        "entityid": settings.SAML_ENTITY_ID,
        "xmlsec_binary": XMLSEC1,
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "name": "Nora kommun sociala medier",
                "endpoints": {
                    "assertion_consumer_service": [
                        (_absolute(request, "saml2_acs"), saml2.BINDING_HTTP_POST)
                    ],
                },
                "name_id_format": NAMEID_FORMAT_PERSISTENT,
                "allow_unsolicited": False,
                "authn_requests_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": True,
                "force_authn": step_up,
            }
        },
        "metadata": metadata,
        "key_file": settings.SAML_SP_KEY_FILE,
        "cert_file": settings.SAML_SP_CERT_FILE,
        "encryption_keypairs": [
            {"key_file": settings.SAML_SP_KEY_FILE, "cert_file": settings.SAML_SP_CERT_FILE}
        ],
    }
    conf = SPConfig()
    conf.load(config)
    return conf


def _first(ava: dict, names: tuple[str, ...]) -> str:
    for name in names:
        values = ava.get(name)
        if values:
            return str(values[0])
    return ""


def sign_on_from_session_info(session_info: dict) -> SignOn:
    ava = session_info.get("ava") or {}
    name_id = session_info.get("name_id")
    if settings.SAML_SUBJECT_ATTRIBUTE:
        subject = _first(ava, (settings.SAML_SUBJECT_ATTRIBUTE,))
    elif name_id is not None and name_id.format == NAMEID_FORMAT_PERSISTENT:
        subject = str(name_id.text or "")
    else:
        # A transient or e-mail NameID changes or is reused: never a key.
        subject = ""
    contexts = [str(info[0]) for info in session_info.get("authn_info") or [] if info]
    acr = contexts[0] if contexts else ""
    groups = ava.get(settings.SAML_GROUPS_ATTRIBUTE) or []
    return SignOn(
        provider=ExternalIdentity.Provider.SAML,
        subject=subject,
        groups=tuple(str(g) for g in groups),
        assurance=Assurance(
            method=LoginEvent.Method.SAML,
            acr=acr,
            multi_factor=bool(set(contexts) & set(settings.SAML_MFA_AUTHN_CONTEXTS)),
        ),
        given_name=_first(ava, _GIVEN),
        family_name=_first(ava, _FAMILY),
        email=_first(ava, _EMAIL),
        username_hint=_first(ava, _USERNAME) or _first(ava, _EMAIL),
    )


class SAMLBackend(Saml2Backend):
    def authenticate(self, request, session_info=None, **kwargs):
        if request is None or session_info is None or not settings.SAML_ENABLED:
            return None
        try:
            return sign_on(request=request, claims=sign_on_from_session_info(session_info))
        except NoAccess as refusal:
            refusal_remember(request, refusal.reason)
            return None


class SAMLLoginView(saml_views.LoginView):
    """``?stepup=1``: the IdP must authenticate the person again (ForceAuthn)."""

    def get(self, request, *args, **kwargs):
        if not settings.SAML_ENABLED:
            raise Http404
        self._step_up = request.GET.get("stepup") == "1" and request.user.is_authenticated
        if self._step_up:
            request.session[STEP_UP_PENDING_KEY] = True
        else:
            request.session.pop(STEP_UP_PENDING_KEY, None)
        return super().get(request, *args, **kwargs)

    def should_prevent_auth(self, request) -> bool:
        return request.user.is_authenticated and not self._step_up


class SAMLAssertionConsumerView(saml_views.AssertionConsumerServiceView):
    def post(self, request, *args, **kwargs):
        if not settings.SAML_ENABLED:
            raise Http404
        step_up = bool(request.session.get(STEP_UP_PENDING_KEY))
        response = super().post(request, *args, **kwargs)
        if step_up and response.status_code == 302 and request.user.is_authenticated:
            from accounts.stepup import is_stepped_up

            if not is_stepped_up(request):
                from django.contrib import messages
                from django.http import HttpResponseRedirect
                from django.utils.translation import gettext as _

                messages.error(
                    request,
                    _(
                        "Inloggningen gjordes utan tvåfaktorsautentisering och räknas inte som "
                        "bekräftelse. Logga in med tvåfaktor hos kommunens inloggning."
                    ),
                )
                return HttpResponseRedirect(reverse("accounts:step_up"))
        return response


class SAMLMetadataView(saml_views.MetadataView):
    def get(self, request, *args, **kwargs):
        if not settings.SAML_ENABLED:
            raise Http404
        return super().get(request, *args, **kwargs)
