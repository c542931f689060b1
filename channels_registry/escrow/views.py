"""The credential escrow (§3, §5, §8): overview, deposit, reveal, access requests.

Order of checks in every view: anonymous → login; an account the person may not
see → 404; an action their role may never take here → 403; then step-up where
the action touches a secret. The rules themselves are in ``services.py``.
Secrets reach a template only on the reveal page, which is never cached.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.middleware import policy_gate_response
from accounts.stepup import is_stepped_up, step_up_redirect
from channels_registry import services
from channels_registry.escrow import services as escrow_services
from channels_registry.escrow.forms import (
    AccessDecisionForm,
    AccessRequestForm,
    BusinessRoleForm,
    EndRoleForm,
    RevealForm,
    deposit_form_class,
)
from channels_registry.escrow.permissions import (
    active_grant,
    can_deposit,
    can_hold_escrow,
    can_request_access,
    can_reveal,
)
from channels_registry.escrow.selectors import current_deposit, escrow_is_stale, escrow_rotation_due
from channels_registry.models import (
    AccessRequest,
    BusinessRole,
    EscrowDeposit,
    Platform,
    SocialAccount,
)
from channels_registry.permissions import can_manage_account, get_account_for_user

EVENT_LIMIT = 200


def no_store(view):
    """Nothing on these pages may be kept by a browser or a proxy."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = never_cache(view)(request, *args, **kwargs)
        response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        response["Pragma"] = "no-cache"
        # Not "no-referrer": with it Chromium sends "Origin: null" on the form's POST
        # and Django's CSRF origin check refuses every deposit and reveal.
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapper


def _escrow_account(user, pk: int) -> SocialAccount:
    """The information officer and their deputy hold every account's escrow, so
    they reach any account here; everyone else only the accounts they may see."""
    if can_hold_escrow(user):
        return get_object_or_404(
            SocialAccount.objects.select_related("platform", "unit__administration"), pk=pk
        )
    return get_account_for_user(user, pk)


def _overview_url(account: SocialAccount) -> str:
    return reverse("channels_registry:escrow_overview", args=[account.pk])


# --- Overview ------------------------------------------------------------------


def _overview_context(request, account: SocialAccount, role_form=None, problems=None) -> dict:
    user = request.user
    today = timezone.localdate()
    deposit = (
        account.escrow_deposits.filter(retired_at__isnull=True)
        .defer(*EscrowDeposit.SECRET_FIELDS)
        .select_related("deposited_by")
        .first()
    )
    may_manage = can_manage_account(user, account)
    roles = list(account.business_roles.select_related("user").order_by("-starts_on", "pk"))
    rotation_due = escrow_rotation_due(deposit.deposited_at) if deposit is not None else None
    is_holder = can_hold_escrow(user)
    requests = account.access_requests.select_related("requested_by", "decided_by")
    if not is_holder:
        requests = requests.filter(requested_by=user)
    return {
        "account": account,
        "deposit": deposit,
        "rotation_due": rotation_due,
        "rotation_overdue": deposit is not None
        and escrow_is_stale(deposit.deposited_at, timezone.now()),
        "named_roles": account.platform.access_kind == Platform.AccessKind.NAMED_ROLES,
        "current_roles": [r for r in roles if r.ends_on is None or r.ends_on >= today],
        "past_roles": [r for r in roles if r.ends_on is not None and r.ends_on < today],
        "events": account.escrow_events.select_related("actor")[:EVENT_LIMIT],
        "requests": requests[:50],
        "grant": active_grant(user, account),
        "may_deposit": can_deposit(user, account) and account.status != SocialAccount.Status.CLOSED,
        "may_reveal": deposit is not None and can_reveal(user, account),
        "may_request": deposit is not None
        and can_request_access(user, account)
        and not is_holder
        and account.status in (SocialAccount.Status.ACTIVE, SocialAccount.Status.CLOSING),
        "may_manage_roles": may_manage and account.status != SocialAccount.Status.CLOSED,
        "is_holder": is_holder,
        "role_form": role_form or BusinessRoleForm(),
        "problems": problems,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def escrow_overview(request, pk: int):
    """Who deposited what kind of access and when, every event on it, and the
    named roles on a business account. Never a secret."""
    account = _escrow_account(request.user, pk)
    if request.method == "POST":
        return _change_roles(request, account)
    return render(
        request, "channels_registry/escrow_overview.html", _overview_context(request, account)
    )


def _change_roles(request, account: SocialAccount):
    if not can_manage_account(request.user, account):
        raise PermissionDenied
    action = request.POST.get("action")
    if action == "end_role":
        chosen = EndRoleForm(request.POST)
        if not chosen.is_valid():
            context = _overview_context(request, account, problems=[_("Okänd roll.")])
            return render(request, "channels_registry/escrow_overview.html", context, status=400)
        role = get_object_or_404(BusinessRole, pk=chosen.cleaned_data["role"], account=account)
        try:
            escrow_services.business_role_end(role_id=role.pk, actor=request.user)
        except services.RegistryError as error:
            context = _overview_context(request, account, problems=error.messages)
            return render(request, "channels_registry/escrow_overview.html", context, status=400)
        messages.success(request, _("Rollen för %(person)s är avslutad.") % {"person": role.user})
        return redirect(_overview_url(account))
    if action != "add_role":
        context = _overview_context(request, account, problems=[_("Okänd åtgärd.")])
        return render(request, "channels_registry/escrow_overview.html", context, status=400)
    form = BusinessRoleForm(request.POST)
    if form.is_valid():
        try:
            role = escrow_services.business_role_add(
                account_id=account.pk,
                actor=request.user,
                user=form.cleaned_data["user"],
                platform_role=form.cleaned_data["platform_role"],
                starts_on=form.cleaned_data["starts_on"],
            )
        except services.RegistryError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(person)s har rollen %(role)s.")
                % {"person": role.user, "role": role.platform_role},
            )
            return redirect(_overview_url(account))
    context = _overview_context(request, account, role_form=form)
    return render(request, "channels_registry/escrow_overview.html", context, status=400)


# --- Deposit -------------------------------------------------------------------


@login_required
@no_store
@require_http_methods(["GET", "HEAD", "POST"])
def escrow_deposit(request, pk: int):
    """Owner, deputy, managers or the information officer deposit the access,
    after step-up. The form follows the platform's kind of access."""
    account = _escrow_account(request.user, pk)
    if not can_deposit(request.user, account):
        raise PermissionDenied
    if (gate := policy_gate_response(request)) is not None:
        return gate
    if not is_stepped_up(request):
        return step_up_redirect(request)
    form_class = deposit_form_class(account.platform)
    form = form_class(request.POST or None)
    problems = []
    if account.status == SocialAccount.Status.CLOSED:
        problems = [_("Ett stängt konto har ingen åtkomst att deponera.")]
    elif request.method == "POST" and form.is_valid():
        try:
            escrow_services.escrow_deposit(
                account_id=account.pk,
                actor=request.user,
                kind=form.kind,
                secrets=form.secrets(),
            )
        except services.RegistryError as error:
            problems = error.messages
        else:
            messages.success(request, _("Åtkomsten är deponerad hos informationsansvarig."))
            return redirect(_overview_url(account))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "channels_registry/escrow_deposit.html",
        {
            "account": account,
            "form": form,
            "problems": problems,
            "replaces": current_deposit(account),
            "named_roles": form_class.kind == Platform.AccessKind.NAMED_ROLES,
        },
        status=status,
    )


# --- Reveal --------------------------------------------------------------------


@login_required
@no_store
@require_http_methods(["GET", "HEAD", "POST"])
def escrow_reveal(request, pk: int):
    """The information officer, their deputy or a manager with a valid grant sees
    the access after step-up, with a reason; logged, and the owner is told."""
    account = _escrow_account(request.user, pk)
    if not can_reveal(request.user, account):
        raise PermissionDenied
    if (gate := policy_gate_response(request)) is not None:
        return gate
    if not is_stepped_up(request):
        return step_up_redirect(request)
    form = RevealForm(request.POST or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            deposit = escrow_services.escrow_reveal(
                account_id=account.pk, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except services.RegistryError as error:
            problems = error.messages
        else:
            return render(
                request,
                "channels_registry/escrow_reveal.html",
                {
                    "account": account,
                    "deposit": deposit,
                    "grant": active_grant(request.user, account),
                },
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "channels_registry/escrow_reveal_reason.html",
        {"account": account, "form": form, "problems": problems},
        status=status,
    )


# --- Access requests (§5) -----------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def access_request_create(request, pk: int):
    """A manager covering the account asks the information officer for access."""
    account = _escrow_account(request.user, pk)
    if not can_request_access(request.user, account):
        raise PermissionDenied
    form = AccessRequestForm(request.POST or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            escrow_services.access_request_create(
                account_id=account.pk, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except services.RegistryError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                _("Din begäran är skickad till informationsansvarig och ersättaren."),
            )
            return redirect(_overview_url(account))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "channels_registry/access_request_form.html",
        {"account": account, "form": form, "problems": problems},
        status=status,
    )


@login_required
@require_safe
def access_requests(request):
    """For the information officer and deputy: requests waiting, then the latest decided."""
    if not can_hold_escrow(request.user):
        raise PermissionDenied
    base = AccessRequest.objects.select_related(
        "account__platform", "account__unit", "requested_by", "decided_by"
    )
    pending = base.filter(status=AccessRequest.Status.PENDING).order_by("requested_at")
    now = timezone.now()
    decided = base.exclude(status=AccessRequest.Status.PENDING).order_by("-decided_at")[:50]
    active = base.filter(status=AccessRequest.Status.GRANTED, valid_until__gt=now)
    return render(
        request,
        "channels_registry/access_requests.html",
        {
            "pending": list(pending),
            "decided": list(decided),
            "active_ids": set(active.values_list("pk", flat=True)),
            "now": now,
        },
    )


@login_required
@no_store
@require_http_methods(["GET", "HEAD", "POST"])
def access_request_decide(request, request_pk: int):
    """Grant for a limited time, or deny. Never one's own request (two people)."""
    if not can_hold_escrow(request.user):
        raise PermissionDenied
    access_request = get_object_or_404(
        AccessRequest.objects.select_related("account__platform", "requested_by", "decided_by"),
        pk=request_pk,
    )
    own = access_request.requested_by_id == request.user.pk
    if own and request.method == "POST":
        raise PermissionDenied
    pending = access_request.status == AccessRequest.Status.PENDING
    if pending and not own and not is_stepped_up(request):
        return step_up_redirect(request)
    form = AccessDecisionForm(request.POST or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        grant = form.cleaned_data["decision"] == AccessDecisionForm.GRANT
        try:
            escrow_services.access_request_decide(
                request_id=access_request.pk,
                actor=request.user,
                grant=grant,
                hours=form.cleaned_data.get("hours") or 0,
                note=form.cleaned_data.get("note") or "",
            )
        except services.RegistryError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                _("Åtkomst är beviljad.") if grant else _("Begäran är avslagen."),
            )
            return HttpResponseRedirect(reverse("channels_registry:access_requests"))
    status = 400 if request.method == "POST" else 200
    earlier = (
        AccessRequest.objects.filter(Q(account=access_request.account) & ~Q(pk=access_request.pk))
        .select_related("requested_by", "decided_by")
        .order_by("-requested_at")[:10]
    )
    return render(
        request,
        "channels_registry/access_request_decide.html",
        {
            "access_request": access_request,
            "account": access_request.account,
            "form": form,
            "problems": problems,
            "own": own,
            "pending": pending,
            "earlier": earlier,
            "max_hours": settings.ESCROW_GRANT_MAX_HOURS,
        },
        status=status,
    )
