"""The published list of accounts (§10: "En förteckning ... ska också publiceras
på www.nora.se"): HTML, JSON for nora.se and an embeddable widget.

Only public fields leave here: never people, escrow or findings. Each response
carries an ETag built from one cheap aggregate, so a conditional request is
answered 304 before anything is rendered. The list itself is one query, however
many accounts there are.

The stamp and the rendered JSON, widget and list part of the page are cached
(channels_registry/public_cache.py: rendering 2,000 accounts costs far more than
sending them, and the stamp's query more than a cache read), so a busy nora.se
page costs no database query. Any saved account drops the stamp at once.
"""

import hashlib
import json
from functools import wraps
from itertools import groupby
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from channels_registry.addresses import account_address_problems
from channels_registry.models import SocialAccount
from channels_registry.public.cache import cached_body, list_stamp
from channels_registry.public.selectors import public_accounts

PUBLIC_MAX_AGE = 300
_LIST_MARK = "<!--nora-public-list-->"
_CSRF_MARK = "nora-public-list-csrf-token"  # HTML-safe, so the tag prints it as is

# The keys of one account in /konton.json; documented in the README. Adding a
# key here is publishing a field: it must be public by nature (§4, §10).
PUBLIC_ACCOUNT_FIELDS = (
    "id",
    "platform",
    "platform_slug",
    "name",
    "handle",
    "url",
    "purpose",
    "unit",
    "update_frequency",
    "response_time",
    "contact",
    "active_since",
)


def _list_stamp(request) -> str:
    """Changes whenever any account is saved (any state: closing one removes it).
    Read once per request: the ETag check and the body cache share it."""
    if not hasattr(request, "_nora_list_stamp"):
        request._nora_list_stamp = f"{list_stamp()}|{get_language()}|{request.path}"
    return request._nora_list_stamp


def _cached(request, build, variant: str = ""):
    """The body for this list stamp, built once per process on a miss."""
    return cached_body(_etag(f"{_list_stamp(request)}|{variant}"), build)


def _etag(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _data_etag(request, *args, **kwargs) -> str:
    return _etag(_list_stamp(request))


def _page_etag(request, *args, **kwargs) -> str:
    """For pages in base.html: they carry the visitor's CSRF token (language
    switch) and login state, so a 304 must not hand back another session's page."""
    csrf = request.META.get("CSRF_COOKIE", "")
    return _etag(f"{_list_stamp(request)}|{csrf}|{request.user.pk}")


def public_url(url: str) -> str:
    """Only http(s) links are published: a javascript: or data: URL never
    becomes a link on nora.se, whatever was stored."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    return url if scheme in {"http", "https"} else ""


def account_as_public_dict(account: SocialAccount) -> dict:
    return {
        "id": account.pk,
        "platform": account.platform.name,
        "platform_slug": account.platform.slug,
        "name": account.display_name,
        "handle": account.handle,
        "url": public_url(account.url),
        "purpose": account.purpose,
        "unit": account.unit.name,
        "update_frequency": account.update_frequency_text,
        "response_time": account.response_time_text,
        "contact": account.contact,
        "active_since": account.activated_on.isoformat() if account.activated_on else None,
    }


def _grouped() -> list[dict]:
    """The published accounts by administration. An active account whose address
    is missing or not its own is left out until it is fixed (the sweep's
    ``account_address`` finding tells its people): citizens use the list to check
    that an account is the real one, so a row must always link to the account on
    the platform's own domain, never to nothing or to a look-alike."""
    accounts = [a for a in public_accounts() if not account_address_problems(a)]
    for account in accounts:
        account.public_url = public_url(account.url)
    return [
        {"administration": name, "accounts": list(items)}
        for name, items in groupby(accounts, key=lambda a: a.unit.administration.name)
    ]


def _framable_by_embed_origins(view):
    """Outermost, so a 304 from the ETag check carries the same framing headers
    as the page: a revalidated copy must stay framable on nora.se.

    X-Frame-Options cannot name an origin, so it is left off here and CSP
    frame-ancestors lists NORA_EMBED_ORIGINS instead."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.xframe_options_exempt = True
        response._csp_replace = {"frame-ancestors": list(settings.NORA_EMBED_ORIGINS) or ["'none'"]}
        return response

    return wrapped


@require_safe
@cache_control(private=True, max_age=PUBLIC_MAX_AGE)
@condition(etag_func=_page_etag)
def public_list(request):
    if _is_shared_page(request):
        # The same bytes for every such visitor but the CSRF token, which is
        # put in where the cached page has its marker: no rendering at all.
        parts = _cached(request, lambda: _page(request, csrf_token=_CSRF_MARK), variant="page")
        return HttpResponse(get_token(request).encode().join(parts))
    (page,) = _page(request)
    return HttpResponse(page)


def _is_shared_page(request) -> bool:
    """An anonymous visitor's page without a query string (echoed in the
    language switch) or a pending message is one page for all of them."""
    return (
        not request.META.get("QUERY_STRING")
        and not request.user.is_authenticated
        and not len(get_messages(request))
    )


def _page(request, **context) -> list[bytes]:
    """The page, split where ``context["csrf_token"]`` (a marker) was.

    The list part is cached on its own and spliced in as bytes where the page
    has its marker, so a cache hit neither renders nor re-encodes the 2,000 rows."""
    groups_html = _cached(
        request,
        lambda: render_to_string(
            "channels_registry/_public_groups.html", {"groups": _grouped()}, request=request
        ).encode(),
    )
    page = render_to_string(
        "channels_registry/public_list.html",
        {"groups_html": mark_safe(_LIST_MARK), **context},  # noqa: S308 - a constant  # nosec B308 B703
        request=request,
    ).encode()
    head, tail = page.split(_LIST_MARK.encode(), 1)
    page = head + groups_html + tail
    return page.split(context["csrf_token"].encode()) if context else [page]


@require_safe
@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
@condition(etag_func=_data_etag)
def public_list_json(request):
    response = HttpResponse(
        _cached(request, lambda: _json_body().encode()), content_type="application/json"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _json_body() -> str:
    groups = [
        {
            "administration": g["administration"],
            "accounts": [account_as_public_dict(a) for a in g["accounts"]],
        }
        for g in _grouped()
    ]
    return json.dumps(
        {
            "publisher": "Nora kommun",
            "policy": "Policy för sociala medier, KF 2014-11-12 § 145",
            "count": sum(len(g["accounts"]) for g in groups),
            "administrations": groups,
        },
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
    )


@_framable_by_embed_origins
@require_safe
@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
@condition(etag_func=_data_etag)
def public_embed(request):
    # Language-dependent but not visitor-dependent: the whole body is cached.
    body = _cached(
        request,
        lambda: render_to_string(
            "channels_registry/public_embed.html", {"groups": _grouped()}, request=request
        ).encode(),
    )
    return HttpResponse(body)
