"""The information officer's import of the org tree: upload, preview, confirm."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from accounts.imports import org_tree
from accounts.permissions import can_import_org_tree
from nora_social.core.errors import ServiceError, add_to_form

SALT = "accounts.imports.org_tree"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fil (XLSX eller CSV)"),
        help_text=gettext_lazy("Utgå från mallen. CSV som Excel sparar den: semikolon."),
    )


def _require(user) -> None:
    if not can_import_org_tree(user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def org_import(request):
    _require(request.user)
    if request.method == "POST" and "payload" in request.POST:
        return _confirm(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = org_tree.parse(upload.name, upload.read())
        except ServiceError as exc:
            add_to_form(form, exc)
        else:
            plans = org_tree.plan(rows)
            context.update(
                plans=plans,
                problem_count=sum(len(p.problems) for p in plans),
                payload=signing.dumps(rows, salt=SALT, compress=True),
            )
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "accounts/imports/org_import.html", context, status=status)


def _confirm(request):
    try:
        rows = signing.loads(request.POST["payload"], salt=SALT, max_age=3600)
    except signing.BadSignature:
        messages.error(request, _("Förhandsgranskningen har gått ut. Ladda upp filen igen."))
        return redirect("accounts:org_import")
    try:
        count = org_tree.apply(actor=request.user, rows=rows)
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("accounts:org_import")
    messages.success(request, _("%(count)s rader är inlästa.") % {"count": count})
    return redirect("accounts:org_import")


@login_required
@require_safe
def org_import_template(request):
    _require(request.user)
    response = HttpResponse(org_tree.template_file(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="organisation-mall.xlsx"'
    return response
