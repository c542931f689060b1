"""The register of official accounts, for staff (§2–§5, §9, §10, §12).

Views are thin: they fetch what the person may see through ``permissions``,
collect input with ``forms`` and let ``services`` decide. A refused change
(``RegistryError``) is shown on the same page with every reason, answered 400,
and nothing is changed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.selectors import (
    qualifications,
)
from channels_registry import lifecycle_services, permissions, services
from channels_registry.escrow import permissions as escrow_permissions
from channels_registry.escrow.selectors import current_deposit
from channels_registry.forms import (
    AccountAddressForm,
    AccountCreateForm,
    AccountEditForm,
    AccountFilterForm,
    NamingOverrideForm,
    PlatformForm,
)
from channels_registry.imports.permissions import can_import_accounts
from channels_registry.models import (
    AccountMember,
    ChecklistItem,
    Platform,
    SocialAccount,
)
from channels_registry.permissions import MANAGE, get_account_for_user
from channels_registry.selectors import (
    accounts_visible_to,
    current_members_prefetch,
    required_checklist_items,
)
from channels_registry.services import RegistryError
from nora_social.core.errors import add_to_form

GET_POST = require_http_methods(["GET", "HEAD", "POST"])
ROLE_ORDER: dict[str, int] = {
    AccountMember.Role.OWNER: 0,
    AccountMember.Role.DEPUTY: 1,
    AccountMember.Role.ADMIN: 2,
}


# --- Helpers -----------------------------------------------------------------


def _refused(request, template: str, context: dict, error: RegistryError):
    """Render the page again with the service's reasons; nothing was changed.
    The summary gives the refusal and links to each field with a reason; a bound
    form shows the reasons themselves (``add_to_form``: by their field, the rest
    on the whole form), so each error appears once (WCAG 3.3.1)."""
    form = context.get("form")
    problems: list[str] = error.messages if error.errors else []
    on_fields = []
    if form is not None and form.is_bound and error.errors:
        add_to_form(form, error)
        problems = []
        on_fields = [field for field in form if field.errors]
    context = {
        **context,
        "error_message": error.message,
        "problems": problems,
        "error_fields": on_fields,
    }
    return render(request, template, context, status=400)


def _posted(request):
    """The POST data for a bound form (even when empty), or None on GET."""
    return request.POST if request.method == "POST" else None


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path on this site only: redirect() would take "abc" for a view name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _current_members(account: SocialAccount) -> list[AccountMember]:
    members = list(account.members.current(include_upcoming=True).select_related("user__unit"))
    members.sort(key=lambda m: (ROLE_ORDER.get(m.role, 9), m.starts_on, m.pk))
    slug = account.platform.slug
    quals = qualifications((m.user_id for m in members), slug)
    for member in members:
        member.acknowledgement = quals[member.user_id].acknowledgement
        member.competence = quals[member.user_id].competences.get(slug)
    return members


def _is_open(account: SocialAccount) -> bool:
    return account.status != SocialAccount.Status.CLOSED


# --- List and create -----------------------------------------------------------


@login_required
@require_safe
def account_list(request):
    """The accounts this person may see, filtered; a fixed number of queries."""
    form = AccountFilterForm(request.GET or None)
    qs = form.filter(accounts_visible_to(request.user)).prefetch_related(current_members_prefetch())
    accounts = list(qs.order_by("display_name", "pk"))
    for account in accounts:
        account.owner = next(
            (m.user for m in account.current_members if m.role == AccountMember.Role.OWNER), None
        )
    return render(
        request,
        "channels_registry/account_list.html",
        {
            "accounts": accounts,
            "filter_form": form,
            "can_register": permissions.can_register_accounts(request.user),
            "can_import": can_import_accounts(request.user),
        },
    )


@login_required
@GET_POST
def account_create(request):
    """The information officer enters an account as planned (§2–§3); one that
    existed before the policy gets 90 days to an approved plan."""
    if not permissions.can_register_accounts(request.user):
        raise PermissionDenied
    can_override = permissions.can_override_naming(request.user)
    form = AccountCreateForm(_posted(request), can_override=can_override)
    context = {"form": form, "creating": True}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "channels_registry/account_form.html", context, status=400)
        data = services.AccountData(**{name: form.cleaned_data[name] for name in form.Meta.fields})
        try:
            account = services.account_register(
                actor=request.user,
                data=data,
                is_pre_existing=form.cleaned_data["is_pre_existing"],
                override_reason=form.cleaned_data.get("override_reason", ""),
            )
        except RegistryError as error:
            return _refused(request, "channels_registry/account_form.html", context, error)
        messages.success(
            request,
            _("Kontot %(name)s är registrerat som planerat. Lägg nu till personerna.")
            % {"name": account.display_name},
        )
        return redirect("channels_registry:account_people", pk=account.pk)
    return render(request, "channels_registry/account_form.html", context)


@login_required
@require_safe
@never_cache
def name_check(request):
    """As-you-type check of a proposed name against §4, as JSON (no secrets): the
    one check behind the register's account form and the activity plan's form
    (static/js/name_check.js)."""
    account_pk = request.GET.get("account", "")
    exclude_pk = None
    platform: Platform | None
    if account_pk:
        if not (account_pk.isascii() and account_pk.isdigit() and len(account_pk) < 10):
            return JsonResponse({"error": _("Okänt konto.")}, status=400)
        account = get_account_for_user(request.user, int(account_pk), MANAGE)
        platform, exclude_pk = account.platform, account.pk
    else:
        if not permissions.can_check_names(request.user):
            raise PermissionDenied
        platform_pk = request.GET.get("platform", "")
        platform = (
            Platform.objects.filter(pk=int(platform_pk)).first()
            if platform_pk.isascii() and platform_pk.isdigit() and len(platform_pk) < 10
            else None
        )
        if platform is None:
            return JsonResponse({"error": _("Välj en plattform.")}, status=400)
    found = services.name_problem_details(
        platform=platform,
        display_name=request.GET.get("display_name", "")[:150],
        handle=request.GET.get("handle", "")[:100],
        exclude_pk=exclude_pk,
    )
    return JsonResponse(
        {"ok": not found, "problems": [{"rule": p.rule, "message": p.message} for p in found]},
        json_dumps_params={"ensure_ascii": False},
    )


# --- One account -----------------------------------------------------------------


@login_required
@require_safe
def account_detail(request, pk: int):
    account = get_account_for_user(request.user, pk)
    user = request.user
    can_manage = permissions.can_manage_account(user, account)
    is_open = _is_open(account)
    status = account.status
    confirmations = {c.item: c for c in account.checklist.select_related("confirmed_by")}
    labels = dict(ChecklistItem.choices)
    checklist = [
        {"item": item, "label": labels[item], "confirmation": confirmations.get(item)}
        for item in required_checklist_items(account)
    ]
    deposit = current_deposit(account)
    actions = {
        "edit": can_manage and is_open,
        "address": can_manage and is_open,
        "people": can_manage and is_open,
        "checklist": can_manage and is_open,
        "naming_override": permissions.can_override_naming(user) and is_open,
        "activate": can_manage and status == SocialAccount.Status.PLANNED,
        "start_closing": can_manage and status == SocialAccount.Status.ACTIVE,
        "close": status == SocialAccount.Status.CLOSING
        and permissions.can_confirm_closure(user, account),
        "history": permissions.can_view_history(user, account),
        "escrow": escrow_permissions.can_deposit(user, account)
        or escrow_permissions.can_hold_escrow(user)
        or escrow_permissions.can_request_access(user, account),
    }
    return render(
        request,
        "channels_registry/account_detail.html",
        {
            "account": account,
            "members": _current_members(account),
            "checklist": checklist,
            "checklist_done": all(row["confirmation"] for row in checklist),
            "deposit": deposit,
            "deposited_by": deposit.deposited_by if deposit else None,
            "findings": list(account.findings.filter(resolved_at__isnull=True)),
            "activation_problems": lifecycle_services.activation_problems(account)
            if status == SocialAccount.Status.PLANNED
            else [],
            "actions": actions,
        },
    )


@login_required
@GET_POST
def account_edit(request, pk: int):
    account = get_account_for_user(request.user, pk, MANAGE)
    form = AccountEditForm(
        _posted(request),
        instance=account,
        can_override=permissions.can_override_naming(request.user),
    )
    context = {"form": form, "account": account, "creating": False}
    if not _is_open(account):
        messages.error(request, _("Ett stängt konto kan inte ändras."))
        return redirect("channels_registry:account_detail", pk=account.pk)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "channels_registry/account_form.html", context, status=400)
        changes = form.changes()
        # The form has already written the values onto the instance: start over
        # from the database so a refusal leaves nothing half-applied.
        account.refresh_from_db()
        try:
            services.account_update(
                account_id=account.pk,
                actor=request.user,
                changes=changes,
                override_reason=form.cleaned_data.get("override_reason", ""),
            )
        except RegistryError as error:
            return _refused(request, "channels_registry/account_form.html", context, error)
        messages.success(request, _("Uppgifterna är sparade."))
        return redirect("channels_registry:account_detail", pk=account.pk)
    return render(request, "channels_registry/account_form.html", context)


@login_required
@GET_POST
def account_address(request, pk: int):
    """§4, §10: register the account's real address once it exists, proposed
    from the address the activity plan intended."""
    account = get_account_for_user(request.user, pk, MANAGE)
    if not _is_open(account):
        messages.error(request, _("Ett stängt konto kan inte ändras."))
        return redirect("channels_registry:account_detail", pk=account.pk)
    form = AccountAddressForm(_posted(request), initial={"url": account.url or account.planned_url})
    template = "channels_registry/account_address.html"
    context = {"account": account, "form": form}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, template, context, status=400)
        try:
            services.account_set_address(
                account_id=account.pk, actor=request.user, url=form.cleaned_data["url"]
            )
        except RegistryError as error:
            add_to_form(form, error)
            return render(request, template, context, status=400)
        messages.success(request, _("Kontots adress är registrerad."))
        return redirect("channels_registry:account_detail", pk=account.pk)
    return render(request, template, context)


# --- Checklist (§4) ----------------------------------------------------------------


def _checklist_context(account: SocialAccount) -> dict:
    confirmations = {c.item: c for c in account.checklist.select_related("confirmed_by")}
    labels = dict(ChecklistItem.choices)
    rows = [
        {"item": item, "label": labels[item], "confirmation": confirmations.get(item)}
        for item in required_checklist_items(account)
    ]
    return {"account": account, "rows": rows}


@login_required
@GET_POST
def account_checklist(request, pk: int):
    """§4: what the account itself shows, each item confirmed by a named person."""
    account = get_account_for_user(request.user, pk, MANAGE)
    template = "channels_registry/account_checklist.html"
    if request.method == "POST":
        action = request.POST.get("action", "")
        item = request.POST.get("item", "")
        try:
            if action == "confirm":
                services.checklist_confirm(
                    account_id=account.pk,
                    actor=request.user,
                    item=item,
                    note=request.POST.get("note", "")[:300],
                )
                messages.success(request, _("Punkten är bekräftad."))
            elif action == "withdraw":
                if item not in ChecklistItem.values:
                    raise RegistryError(_("Okänd punkt i checklistan."))
                services.checklist_withdraw(account_id=account.pk, actor=request.user, item=item)
                messages.success(request, _("Bekräftelsen är borttagen."))
            else:
                raise RegistryError(_("Okänd ändring."))
        except RegistryError as error:
            return _refused(request, template, _checklist_context(account), error)
        return redirect("channels_registry:account_checklist", pk=account.pk)
    return render(request, template, _checklist_context(account))


# --- Naming override (§4) -------------------------------------------------------------


@login_required
@GET_POST
def account_naming_override(request, pk: int):
    account = get_account_for_user(request.user, pk)
    if not permissions.can_override_naming(request.user):
        raise PermissionDenied
    form = NamingOverrideForm(_posted(request))
    context = {
        "account": account,
        "form": form,
        "naming_problems": services.name_problems(
            platform=account.platform,
            display_name=account.display_name,
            handle=account.handle,
            exclude_pk=account.pk,
        ),
    }
    template = "channels_registry/account_naming_override.html"
    if request.method == "POST":
        if not form.is_valid():
            return render(request, template, context, status=400)
        try:
            services.naming_override(
                account_id=account.pk, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except RegistryError as error:
            return _refused(request, template, context, error)
        messages.success(request, _("Undantaget från namnreglerna är registrerat."))
        return redirect("channels_registry:account_detail", pk=account.pk)
    return render(request, template, context)


# --- Platforms ---------------------------------------------------------------------------


def _require_platform_manager(user) -> None:
    if not permissions.can_manage_platforms(user):
        raise PermissionDenied


@login_required
@require_safe
def platform_list(request):
    _require_platform_manager(request.user)
    platforms = Platform.objects.annotate(account_count=Count("accounts")).order_by("name")
    return render(request, "channels_registry/platform_list.html", {"platforms": platforms})


def _platform_form_view(request, platform: Platform | None):
    _require_platform_manager(request.user)
    form = PlatformForm(_posted(request), instance=platform)
    template = "channels_registry/platform_form.html"
    context = {"form": form, "platform": platform}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, template, context, status=400)
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            saved = services.platform_save(
                actor=request.user,
                values=values,
                platform_id=platform.pk if platform else None,
            )
        except RegistryError as error:
            return _refused(request, template, context, error)
        messages.success(request, _("Plattformen %(name)s är sparad.") % {"name": saved.name})
        return redirect("channels_registry:platform_list")
    return render(request, template, context)


@login_required
@GET_POST
def platform_create(request):
    return _platform_form_view(request, None)


@login_required
@GET_POST
def platform_edit(request, pk: int):
    _require_platform_manager(request.user)
    platform = get_object_or_404(Platform, pk=pk)
    return _platform_form_view(request, platform)
