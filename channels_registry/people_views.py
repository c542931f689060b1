"""People on an account, for staff (§3, §5, §9, §12): who owns, stands in for
and administers it, who holds the credentials, and each person's §9 competence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import CompetenceForm
from accounts.models import User
from accounts.selectors import current_acknowledgement, with_platform_names
from accounts.services import competence_record
from channels_registry import member_services, permissions
from channels_registry.forms import MemberAddForm
from channels_registry.models import AccountMember, Platform, SocialAccount
from channels_registry.permissions import MANAGE, get_account_for_user
from channels_registry.services import RegistryError
from channels_registry.views import (
    GET_POST,
    _current_members,
    _posted,
    _refused,
    _safe_next,
)

# --- People on an account (§3, §5, §9, §12) ---------------------------------------


def _people_context(request, account: SocialAccount, form: MemberAddForm | None = None) -> dict:
    members = _current_members(account)
    if form is None:
        form = _member_form(account)
    for member in members:
        member.can_record_competence = permissions.can_record_competence(request.user, member.user)
    return {"account": account, "members": members, "form": form}


def _member_form(account: SocialAccount, data=None) -> MemberAddForm:
    return MemberAddForm(data, platform=account.platform.slug)


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
            member_services.member_add(
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
            member_services.member_end(member_id=member.pk, actor=request.user)
            messages.success(request, _("%(name)s har lämnat kontot.") % {"name": member.user})
        elif action == "credentials":
            holds = request.POST.get("holds_credentials") == "yes"
            member_services.member_update(
                member_id=member.pk, actor=request.user, holds_credentials=holds
            )
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
