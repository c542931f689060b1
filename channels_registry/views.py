"""The register of official accounts, for staff (§2–§5, §9, §10, §12).

Views are thin: they fetch what the person may see through ``permissions``,
collect input with ``forms`` and let ``services`` decide. A refused change
(``RegistryError``) is shown on the same page with every reason, answered 400,
and nothing is changed.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.forms import CompetenceForm
from accounts.models import PlatformCompetence, User
from accounts.selectors import (
    current_acknowledgement,
    current_acknowledgements,
    with_platform_names,
)
from accounts.services import competence_record
from channels_registry import permissions, services
from channels_registry.addresses import account_address_problems
from channels_registry.forms import (
    AccountAddressForm,
    AccountCreateForm,
    AccountEditForm,
    AccountFilterForm,
    CloseForm,
    MemberAddForm,
    NamingOverrideForm,
    PlatformForm,
    StartClosingForm,
    candidate_people,
)
from channels_registry.models import (
    AccessRequest,
    AccountMember,
    BusinessRole,
    ChecklistConfirmation,
    ChecklistItem,
    EscrowDeposit,
    EscrowEvent,
    Platform,
    SocialAccount,
)
from channels_registry.permissions import MANAGE, get_account_for_user
from channels_registry.selectors import (
    accounts_visible_to,
    closure_receipt,
    current_deposit,
    current_members_prefetch,
    required_checklist_items,
)
from channels_registry.services import RegistryError

GET_POST = require_http_methods(["GET", "HEAD", "POST"])
ROLE_ORDER: dict[str, int] = {
    AccountMember.Role.OWNER: 0,
    AccountMember.Role.DEPUTY: 1,
    AccountMember.Role.ADMIN: 2,
}


# --- Helpers -----------------------------------------------------------------


def _refused(request, template: str, context: dict, error: RegistryError):
    """Render the page again with the service's reasons; nothing was changed.
    A reason already shown by its field is not repeated in the summary, which
    links to that field instead (each error once, WCAG 3.3.1)."""
    form = context.get("form")
    on_fields = []
    problems = list(error.problems)
    if form is not None and form.is_bound:
        shown: set[str] = set()
        for field in form:
            if field.errors:
                on_fields.append(field)
                shown.update(str(e) for e in field.errors)
        problems = [p for p in problems if str(p) not in shown]
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


def qualifications(user_ids, platform_slug: str) -> dict[int, tuple]:
    """Each person's §12 acknowledgement and §9 competence on one platform, in two
    queries: ``{user_id: (acknowledgement or None, competence or None)}``."""
    user_ids = list(user_ids)
    acks = current_acknowledgements(user_ids)
    comps = {
        c.user_id: c
        for c in PlatformCompetence.objects.filter(user_id__in=user_ids, platform=platform_slug)
    }
    return {pk: (acks.get(pk), comps.get(pk)) for pk in user_ids}


def _current_members(account: SocialAccount) -> list[AccountMember]:
    today = timezone.localdate()
    members = list(
        account.members.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)).select_related(
            "user__unit"
        )
    )
    members.sort(key=lambda m: (ROLE_ORDER.get(m.role, 9), m.starts_on, m.pk))
    quals = qualifications((m.user_id for m in members), account.platform.slug)
    for member in members:
        member.acknowledgement, member.competence = quals.get(member.user_id, (None, None))
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
        },
    )


def _attach_naming_problems(form, platform, display_name: str, handle: str) -> None:
    """Tie each naming problem to the field it is about (WCAG: errors by their field)."""
    field_of = {"display_name": "display_name", "handle": "handle", "duplicate": "handle"}
    for problem in services.name_problem_details(
        platform=platform, display_name=display_name, handle=handle
    ):
        field = field_of.get(problem.rule)
        if field and field in form.fields and problem.message not in form.errors.get(field, []):
            form.add_error(field, problem.message)


def _attach_address_problems(form, error: RegistryError) -> None:
    """A refused address is shown on its field too (WCAG: errors by their field)."""
    if error.message == services.address_refusal():
        for problem in error.problems:
            form.add_error("url", problem)


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
            _attach_naming_problems(form, data.platform, data.display_name, data.handle)
            _attach_address_problems(form, error)
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
    """As-you-type check of a proposed name against §4, as JSON (no secrets)."""
    account_pk = request.GET.get("account", "")
    exclude_pk = None
    platform: Platform | None
    if account_pk:
        if not (account_pk.isascii() and account_pk.isdigit() and len(account_pk) < 10):
            return JsonResponse({"error": _("Okänt konto.")}, status=400)
        account = get_account_for_user(request.user, int(account_pk), MANAGE)
        platform, exclude_pk = account.platform, account.pk
    else:
        if not permissions.can_register_accounts(request.user):
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
        "escrow": permissions.can_deposit(user, account)
        or permissions.can_hold_escrow(user)
        or permissions.can_request_access(user, account),
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
            "activation_problems": services.activation_problems(account)
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
            _attach_address_problems(form, error)
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
            for problem in error.problems:
                form.add_error("url", problem)
            return render(request, template, context, status=400)
        messages.success(request, _("Kontots adress är registrerad."))
        return redirect("channels_registry:account_detail", pk=account.pk)
    return render(request, template, context)


# --- People on an account (§3, §5, §9, §12) ---------------------------------------


def _people_context(request, account: SocialAccount, form: MemberAddForm | None = None) -> dict:
    members = _current_members(account)
    if form is None:
        form = _member_form(account)
    for member in members:
        member.can_record_competence = permissions.can_record_competence(request.user, member.user)
    return {"account": account, "members": members, "form": form}


def _member_form(account: SocialAccount, data=None) -> MemberAddForm:
    quals = qualifications(candidate_people().values_list("pk", flat=True), account.platform.slug)
    return MemberAddForm(data, qualifications=quals)


@login_required
@GET_POST
def account_people(request, pk: int):
    """Who owns, stands in for and administers the account, and who holds the
    credentials; each person's §12 acknowledgement and §9 competence shown."""
    account = get_account_for_user(request.user, pk, MANAGE)
    template = "channels_registry/account_people.html"
    if request.method == "POST":
        form = _member_form(account, request.POST)
        if not form.is_valid():
            return render(request, template, _people_context(request, account, form), status=400)
        try:
            services.member_add(
                account_id=account.pk,
                actor=request.user,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                holds_credentials=form.cleaned_data["holds_credentials"],
                starts_on=form.cleaned_data["starts_on"],
            )
        except RegistryError as error:
            return _refused(request, template, _people_context(request, account, form), error)
        messages.success(
            request,
            _("%(name)s är tillagd på kontot.") % {"name": form.cleaned_data["user"]},
        )
        return redirect("channels_registry:account_people", pk=account.pk)
    return render(request, template, _people_context(request, account))


@login_required
@require_POST
def member_change(request, pk: int, member_pk: int):
    """End a person's time on the account, or change whether they hold the credentials."""
    account = get_account_for_user(request.user, pk, MANAGE)
    member = get_object_or_404(
        AccountMember.objects.select_related("user"), pk=member_pk, account=account
    )
    action = request.POST.get("action", "")
    try:
        if action == "end":
            services.member_end(member_id=member.pk, actor=request.user)
            messages.success(request, _("%(name)s har lämnat kontot.") % {"name": member.user})
        elif action == "credentials":
            holds = request.POST.get("holds_credentials") == "yes"
            services.member_update(member_id=member.pk, actor=request.user, holds_credentials=holds)
            messages.success(
                request,
                (
                    _("%(name)s har nu inloggningsuppgifterna.")
                    if holds
                    else _("%(name)s har inte längre inloggningsuppgifterna.")
                )
                % {"name": member.user},
            )
        else:
            raise RegistryError(_("Okänd ändring."))
    except RegistryError as error:
        return _refused(
            request,
            "channels_registry/account_people.html",
            _people_context(request, account),
            error,
        )
    return redirect("channels_registry:account_people", pk=account.pk)


@login_required
@GET_POST
def person_competence(request, user_pk: int):
    """§9: the person's manager, head of administration or the information
    officer records which platforms the person knows."""
    if not permissions.records_competence(request.user):
        raise PermissionDenied
    person = get_object_or_404(User.objects.select_related("unit"), pk=user_pk)
    if not permissions.can_record_competence(request.user, person):
        raise Http404  # outside the manager's line: the same answer as a missing person
    choices = [(p.slug, p.name) for p in Platform.objects.filter(is_active=True)]
    form = CompetenceForm(
        _posted(request),
        platform_choices=choices,
        initial={"platform": request.GET.get("platform", ""), "achieved_on": timezone.localdate()},
    )
    back = _safe_next(request, "")
    context = {
        "person": person,
        "form": form,
        "next": back,
        "competences": with_platform_names(
            person.platform_competences.select_related("recorded_by")
        ),
        "acknowledgement": current_acknowledgement(person),
        "platform_names": dict(choices),
    }
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "channels_registry/person_competence.html", context, status=400)
        competence_record(
            user=person,
            platform=form.cleaned_data["platform"],
            actor=request.user,
            achieved_on=form.cleaned_data["achieved_on"],
            how=form.cleaned_data["how"],
        )
        messages.success(
            request,
            _("Plattformskunskapen för %(name)s är registrerad.") % {"name": person},
        )
        return HttpResponseRedirect(back or request.path)
    return render(request, "channels_registry/person_competence.html", context)


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


# --- Lifecycle (§3, §4, §5) --------------------------------------------------------------


@login_required
@GET_POST
def account_activate(request, pk: int):
    """Activation shows every unmet precondition at once."""
    account = get_account_for_user(request.user, pk, MANAGE)
    template = "channels_registry/account_activate.html"
    if request.method == "POST":
        try:
            services.account_activate(account_id=account.pk, actor=request.user)
        except RegistryError as error:
            return _refused(request, template, {"account": account, "unmet": []}, error)
        messages.success(request, _("Kontot är aktivt och visas i den publika förteckningen."))
        return redirect("channels_registry:account_detail", pk=account.pk)
    unmet = (
        services.activation_problems(account)
        if account.status == SocialAccount.Status.PLANNED
        else []
    )
    address_unmet = bool(unmet) and bool(account_address_problems(account))
    return render(
        request, template, {"account": account, "unmet": unmet, "address_unmet": address_unmet}
    )


@login_required
@GET_POST
def account_start_closing(request, pk: int):
    account = get_account_for_user(request.user, pk, MANAGE)
    form = StartClosingForm(_posted(request))
    template = "channels_registry/account_start_closing.html"
    context = {"account": account, "form": form}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, template, context, status=400)
        try:
            services.account_start_closing(
                account_id=account.pk, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except RegistryError as error:
            return _refused(request, template, context, error)
        messages.success(
            request,
            _(
                "Avvecklingen är påbörjad. Kontot visas inte längre i förteckningen. "
                "Personerna på kontot har ombetts att ladda upp skärmdumpar till den "
                "slutliga ögonblicksbilden."
            ),
        )
        return redirect("channels_registry:account_detail", pk=account.pk)
    return render(request, template, context)


@login_required
@GET_POST
def account_close(request, pk: int):
    """§5: the owner confirms the platform account was deleted or handed over."""
    account = get_account_for_user(request.user, pk)
    if not permissions.can_confirm_closure(request.user, account):
        raise PermissionDenied
    form = CloseForm(_posted(request))
    template = "channels_registry/account_close.html"
    context = {"account": account, "form": form}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, template, context, status=400)
        try:
            services.account_close(
                account_id=account.pk,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except RegistryError as error:
            return _refused(request, template, context, error)
        messages.success(request, _("Kontot är stängt. Historiken finns kvar."))
        # Closing ended the owner's membership, so the account page is no
        # longer theirs: they get the receipt, which they may still see.
        return redirect("channels_registry:account_closed", pk=account.pk)
    return render(request, template, context)


@login_required
@require_safe
def account_closed(request, pk: int):
    """The receipt of a closed account: what was closed, retired and archived."""
    account = get_object_or_404(
        SocialAccount.objects.select_related("platform", "unit"),
        pk=pk,
        status=SocialAccount.Status.CLOSED,
    )
    if not permissions.can_view_closure_receipt(request.user, account):
        raise Http404
    return render(
        request,
        "channels_registry/account_closed.html",
        {
            "account": account,
            "receipt": closure_receipt(account),
            "can_view_account": permissions.can_view_account(request.user, account),
        },
    )


# History: the simple-history rows of the account and what hangs on it. EscrowDeposit
# has no history table by design (its secrets must not outlive key rotation); its log
# (EscrowEvent) holds only who, when and why.
_HIDDEN_HISTORY_FIELDS = {"id", "account", "updated_at"}


def _history_sources(account: SocialAccount):
    return [
        (_("Kontot"), SocialAccount, SocialAccount.history.filter(id=account.pk)),
        (_("Person på kontot"), AccountMember, AccountMember.history.filter(account_id=account.pk)),
        (
            _("Checklistan"),
            ChecklistConfirmation,
            ChecklistConfirmation.history.filter(account_id=account.pk),
        ),
        (
            _("Begäran om åtkomst"),
            AccessRequest,
            AccessRequest.history.filter(account_id=account.pk),
        ),
        (
            _("Roll på företagskontot"),
            BusinessRole,
            BusinessRole.history.filter(account_id=account.pk),
        ),
    ]


def _display(field, value, related: dict) -> str:
    """A history value as a person reads it: names for people, the choice's label,
    ja/nej, and times in Swedish local time to the minute (stored in UTC)."""
    if value in (None, ""):
        return "–"
    if field.is_relation:
        return str(related.get((field.related_model, value), value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "Y-m-d")
    return str(value)


def _event_reason(event: EscrowEvent) -> str:
    # A retirement's reason is a code (replaced, closed); the others are what a
    # person wrote.
    if event.kind == EscrowEvent.Kind.RETIRE:
        return (
            str(EscrowDeposit.RetiredReason(event.reason).label)
            if event.reason in (EscrowDeposit.RetiredReason.values)
            else event.reason
        )
    return event.reason


def account_history_entries(account: SocialAccount) -> list[dict]:
    """Each history row with who, when, what kind of change and which fields, newest first."""
    kinds = {"+": _("Skapad"), "~": _("Ändrad"), "-": _("Borttagen")}
    loaded = []
    wanted: dict = {}
    for label, model, qs in _history_sources(account):
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in _HIDDEN_HISTORY_FIELDS
            and f.name not in getattr(model, "SECRET_FIELDS", ())
        ]
        rows = list(qs.select_related("history_user").order_by("history_date", "history_id"))
        for row in rows:
            for f in fields:
                if f.is_relation:
                    value = getattr(row, f.attname)
                    if value is not None:
                        wanted.setdefault(f.related_model, set()).add(value)
        loaded.append((label, model, fields, rows))
    related = {
        (rel_model, pk): obj
        for rel_model, pks in wanted.items()
        for pk, obj in rel_model._default_manager.in_bulk(pks).items()
    }
    entries = []
    for label, model, fields, rows in loaded:
        previous: dict = {}
        for row in rows:
            values = {f.name: getattr(row, f.attname) for f in fields}
            before = previous.get(row.id)
            if row.history_type == "+" or before is None:
                changed = [f for f in fields if values[f.name] not in (None, "")]
            elif row.history_type == "~":
                changed = [f for f in fields if values[f.name] != before[f.name]]
            else:
                changed = []
            previous[row.id] = values
            if model is AccountMember:
                subject = _display(
                    fields[[f.name for f in fields].index("user")], values["user"], related
                )
            elif model is ChecklistConfirmation:
                subject = dict(ChecklistItem.choices).get(values["item"], values["item"])
            else:
                subject = ""
            entries.append(
                {
                    "at": row.history_date,
                    "who": row.history_user,
                    "what": label,
                    "subject": subject,
                    "kind": kinds.get(row.history_type, row.history_type),
                    "changes": [
                        (f.verbose_name, _display(f, values[f.name], related)) for f in changed
                    ],
                }
            )
    for event in EscrowEvent.objects.filter(account=account).select_related("actor"):
        entries.append(
            {
                "at": event.at,
                "who": event.actor,
                "what": _("Deponerad åtkomst (logg)"),
                "subject": "",
                "kind": event.get_kind_display(),
                "changes": [(_("skäl"), _event_reason(event))] if event.reason else [],
            }
        )
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries


@login_required
@require_safe
def account_history(request, pk: int):
    """Every change to the account, its people, checklist and access requests,
    with who and when. Deposited secrets have no history and never appear."""
    account = get_account_for_user(request.user, pk)
    if not permissions.can_view_history(request.user, account):
        raise PermissionDenied
    return render(
        request,
        "channels_registry/account_history.html",
        {"account": account, "entries": account_history_entries(account)},
    )


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
