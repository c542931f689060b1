"""The published list of accounts (§10: "En förteckning ... ska också publiceras
på www.nora.se"): HTML, JSON for nora.se and an embeddable widget.

Only public fields leave here: never people, escrow or findings. Each response
carries an ETag built from one cheap aggregate, so a conditional request is
answered 304 before anything is rendered.
"""

import hashlib
from itertools import groupby

from django.conf import settings
from django.db.models import Count, Max, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import condition, require_GET

from channels_registry.models import SocialAccount
from channels_registry.selectors import public_accounts

PUBLIC_MAX_AGE = 300


def _list_etag(request, *args, **kwargs) -> str:
    """Changes whenever any account is saved (any state: closing one removes it)."""
    stamp = SocialAccount.objects.aggregate(
        changed=Max("updated_at"), active=Count("pk", filter=Q(status=SocialAccount.Status.ACTIVE))
    )
    raw = f"{stamp['changed']}|{stamp['active']}|{get_language()}|{request.path}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def account_as_public_dict(account: SocialAccount) -> dict:
    return {
        "id": account.pk,
        "platform": account.platform.name,
        "platform_slug": account.platform.slug,
        "name": account.display_name,
        "handle": account.handle,
        "url": account.url,
        "purpose": account.purpose,
        "unit": account.unit.name,
        "update_frequency": account.update_frequency_text,
        "response_time": account.response_time_text,
        "contact": account.contact,
        "active_since": account.activated_on.isoformat() if account.activated_on else None,
    }


def _grouped() -> list[dict]:
    accounts = list(public_accounts())
    return [
        {"administration": name, "accounts": list(items)}
        for name, items in groupby(accounts, key=lambda a: a.unit.administration.name)
    ]


_public = [
    require_GET,
    cache_control(public=True, max_age=PUBLIC_MAX_AGE),
    condition(etag_func=_list_etag),
]


def _apply(view, decorators):
    for decorator in reversed(decorators):
        view = decorator(view)
    return view


def _public_list(request):
    return render(request, "channels_registry/public_list.html", {"groups": _grouped()})


def _public_list_json(request):
    groups = [
        {
            "administration": g["administration"],
            "accounts": [account_as_public_dict(a) for a in g["accounts"]],
        }
        for g in _grouped()
    ]
    response = JsonResponse(
        {
            "publisher": "Nora kommun",
            "policy": "Policy för sociala medier, KF 2014-11-12 § 145",
            "count": sum(len(g["accounts"]) for g in groups),
            "administrations": groups,
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _public_embed(request):
    response = render(request, "channels_registry/public_embed.html", {"groups": _grouped()})
    # Framable by nora.se only (CSP frame-ancestors); X-Frame-Options cannot
    # name an origin, so it is left off for this one view.
    response._csp_replace = {"frame-ancestors": list(settings.NORA_EMBED_ORIGINS) or ["'none'"]}
    return response


public_list = _apply(_public_list, _public)
public_list_json = _apply(_public_list_json, _public)
public_embed = _apply(xframe_options_exempt(_public_embed), _public)
