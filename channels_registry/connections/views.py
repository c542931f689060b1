"""Capture connections of an account: health, connect, disconnect.

Checks in order: anonymous → login; an account the person may not see → 404;
connecting when the role may not → 403. The token is never put on a page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.middleware import policy_gate_response
from accounts.stepup import is_stepped_up, step_up_redirect
from channels_registry.connections import oauth, providers, selectors, services
from channels_registry.connections.forms import ConnectForm, OAuthChoiceForm
from channels_registry.connections.models import ConnectorKind, PlatformConnection
from channels_registry.connections.permissions import can_connect
from channels_registry.permissions import get_account_for_user
from nora_social.core.errors import ServiceError, add_to_form


@login_required
@require_safe
def connection_list(request, pk: int):
    account = get_account_for_user(request.user, pk)
    return render(
        request,
        "channels_registry/connection_list.html",
        {
            "account": account,
            "connections": selectors.connections_of(account.pk),
            "events": selectors.connection_events(account.pk),
            "may_connect": can_connect(request.user, account),
            "providers": providers.enabled_providers(),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def connection_create(request, pk: int):
    account = get_account_for_user(request.user, pk)
    if not can_connect(request.user, account):
        raise PermissionDenied
    # A token is access to the account, like a deposited password (§3).
    if (gate := policy_gate_response(request)) is not None:
        return gate
    if not is_stepped_up(request):
        return step_up_redirect(request)
    form = ConnectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.connection_create(
                account_id=account.pk,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                external_id=form.cleaned_data["external_id"],
                external_name=form.cleaned_data["external_name"],
                access_token=form.cleaned_data["access_token"],
                refresh_token=form.cleaned_data["refresh_token"],
                token_expires_at=form.cleaned_data["token_expires_at"],
                scopes=form.cleaned_data["scopes"],
            )
        except ServiceError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request, _("Kontot är kopplat. Insamlingen börjar vid nästa hämtning.")
            )
            return redirect("channels_registry:connection_list", account.pk)
    return render(
        request, "channels_registry/connection_form.html", {"account": account, "form": form}
    )


@login_required
@require_POST
def connection_disconnect(request, pk: int, connection_pk: int):
    account = get_account_for_user(request.user, pk)
    connection = get_object_or_404(PlatformConnection, pk=connection_pk, account=account)
    if not can_connect(request.user, account):
        raise PermissionDenied
    try:
        services.connection_disconnect(connection_id=connection.pk, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Kopplingen är borttagen. Inget mer hämtas från kontot."))
    return redirect("channels_registry:connection_list", account.pk)


def _provider(slug: str) -> providers.Provider:
    """The provider of the URL, if its app is configured; else 404."""
    found = providers.provider(slug)
    if found is None or not found.enabled():
        raise Http404
    return found


def _oauth_refused(request, account_pk: int, provider: providers.Provider):
    oauth.forget(request.session)
    messages.error(
        request,
        _("%(platform)s godkände inte kopplingen. Inget har sparats. Försök igen.")
        % {"platform": provider.label},
    )
    return redirect("channels_registry:connection_list", account_pk)


@login_required
@never_cache
@require_safe
def connection_oauth_start(request, pk: int, provider: str):
    """Send the person to the platform's dialog to pick the account to connect."""
    account = get_account_for_user(request.user, pk)
    if not can_connect(request.user, account):
        raise PermissionDenied
    chosen = _provider(provider)
    if (gate := policy_gate_response(request)) is not None:
        return gate
    if not is_stepped_up(request):
        return step_up_redirect(request)
    return HttpResponseRedirect(
        oauth.start(request.session, provider=chosen, account_id=account.pk)
    )


@login_required
@never_cache
@require_safe
def connection_oauth_callback(request, provider: str):
    """The platform sends the person back here with a code (or an error). A
    state that is not the one this session sent is refused before anything
    is exchanged."""
    chosen = _provider(provider)
    data = oauth.pending(request.session, chosen)
    if data is None:
        raise Http404
    account = get_account_for_user(request.user, int(data["account"]))
    if not can_connect(request.user, account):
        raise PermissionDenied
    try:
        if request.GET.get("error"):
            raise oauth.OAuthFailed(request.GET.get("error", ""))
        oauth.finish(
            request.session,
            provider=chosen,
            state=request.GET.get("state", ""),
            code=request.GET.get("code", ""),
        )
    except oauth.OAuthFailed:
        return _oauth_refused(request, account.pk, chosen)
    return redirect("channels_registry:connection_oauth_choose", account.pk, chosen.slug)


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def connection_oauth_choose(request, pk: int, provider: str):
    account = get_account_for_user(request.user, pk)
    if not can_connect(request.user, account):
        raise PermissionDenied
    chosen = _provider(provider)
    data = oauth.pending(request.session, chosen)
    if data is None or int(data.get("account", 0)) != account.pk or not data.get("token"):
        raise Http404
    try:
        found = {f"{c.kind}:{c.external_id}": c for c in oauth.choices(request.session, chosen)}
    except oauth.OAuthFailed:
        return _oauth_refused(request, account.pk, chosen)
    labels = dict(ConnectorKind.choices)
    options = [(key, f"{labels[c.kind]}: {c.name} ({c.external_id})") for key, c in found.items()]
    form = OAuthChoiceForm(request.POST or None, options=options)
    if request.method == "POST" and form.is_valid():
        pick = found[form.cleaned_data["choice"]]
        try:
            services.connection_create(
                account_id=account.pk,
                actor=request.user,
                kind=pick.kind,
                external_id=pick.external_id,
                external_name=pick.name,
                access_token=pick.tokens.access_token,
                refresh_token=pick.tokens.refresh_token,
                token_expires_at=pick.tokens.expires_at,
                scopes=pick.tokens.scopes,
            )
        except ServiceError as exc:
            add_to_form(form, exc)
        else:
            oauth.forget(request.session)
            messages.success(
                request, _("Kontot är kopplat. Insamlingen börjar vid nästa hämtning.")
            )
            return redirect("channels_registry:connection_list", account.pk)
    return render(
        request,
        "channels_registry/connection_oauth_choose.html",
        {"account": account, "form": form, "none_found": not options, "provider": chosen},
    )
