"""An account's life, for staff (§3–§5): activation, closing, the closing
receipt, and the history of every change with who and when."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from channels_registry import lifecycle_services, permissions
from channels_registry.addresses import account_address_problems
from channels_registry.forms import CloseForm, StartClosingForm
from channels_registry.models import SocialAccount
from channels_registry.permissions import MANAGE, get_account_for_user
from channels_registry.selectors import account_history_entries, closure_receipt
from channels_registry.services import RegistryError
from channels_registry.views import (
    GET_POST,
    _posted,
    _refused,
)

# --- Lifecycle (§3, §4, §5) --------------------------------------------------------------


@login_required
@GET_POST
def account_activate(request, pk: int):
    """Activation shows every unmet precondition at once."""
    account = get_account_for_user(request.user, pk, MANAGE)
    template = "channels_registry/account_activate.html"
    if request.method == "POST":
        try:
            lifecycle_services.account_activate(account_id=account.pk, actor=request.user)
        except RegistryError as error:
            return _refused(request, template, {"account": account, "unmet": []}, error)
        messages.success(request, _("Kontot är aktivt och visas i den publika förteckningen."))
        return redirect("channels_registry:account_detail", pk=account.pk)
    unmet = (
        lifecycle_services.activation_problems(account)
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
            lifecycle_services.account_start_closing(
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
            lifecycle_services.account_close(
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
