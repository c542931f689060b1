"""Sign-on's pages: why sign-on was refused, and the information officer's
table of identity-provider groups (group → role, group → unit)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import GroupMapping, User
from accounts.permissions import can_manage_sign_on
from accounts.roles import Role
from accounts.sso import services
from accounts.sso.forms import GroupMappingForm
from nora_social.core.errors import ServiceError, add_to_form


def _information_officers():
    return [
        person
        for person in User.objects.filter(
            groups__name=Role.INFORMATION_OFFICER, is_active=True
        ).distinct()
        if person.is_current()
    ]


@require_safe
@never_cache
def sso_refused(request):
    """Sign-on did not let the person in: say why and whom to ask."""
    return _refused_page(request)


def _refused_page(request):
    reason = request.session.pop(services.REFUSAL_SESSION_KEY, "error")
    return render(
        request,
        "accounts/sso/refused.html",
        {
            "reason": reason,
            "officers": _information_officers(),
            "contact": settings.ACCESS_CONTACT,
        },
        status=403,
    )


def saml_failure(request, exception=None, status=403, **kwargs):
    """djangosaml2's ``SAML_ACS_FAILURE_RESPONSE_FUNCTION``: the same page."""
    request.session.setdefault(services.REFUSAL_SESSION_KEY, "error")
    request.session.pop(services.STEP_UP_PENDING_KEY, None)
    return _refused_page(request)


def _require_manager(user) -> None:
    if not can_manage_sign_on(user):
        raise PermissionDenied


@login_required
@require_safe
def mapping_list(request):
    _require_manager(request.user)
    return render(
        request,
        "accounts/sso/mappings.html",
        {
            "mappings": GroupMapping.objects.select_related("unit__administration"),
            "methods": services.settings_summary(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def mapping_edit(request, pk: int | None = None):
    _require_manager(request.user)
    mapping = get_object_or_404(GroupMapping, pk=pk) if pk else None
    initial = (
        {"idp_group": mapping.idp_group, "role": mapping.role, "unit": mapping.unit}
        if mapping
        else None
    )
    form = GroupMappingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.mapping_save(
                actor=request.user,
                idp_group=form.cleaned_data["idp_group"],
                role=form.cleaned_data["role"],
                unit=form.cleaned_data["unit"],
                mapping=mapping,
            )
        except ServiceError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Kopplingen är sparad. Den gäller från nästa inloggning."))
            return redirect("sso_mappings")
    return render(
        request,
        "accounts/sso/mapping_form.html",
        {"form": form, "mapping": mapping},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def mapping_remove(request, pk: int):
    _require_manager(request.user)
    mapping = get_object_or_404(GroupMapping, pk=pk)
    services.mapping_remove(actor=request.user, mapping=mapping)
    messages.success(
        request,
        _("Kopplingen för %(group)s är borttagen. Rollen försvinner vid nästa inloggning.")
        % {"group": mapping.idp_group},
    )
    return redirect("sso_mappings")
