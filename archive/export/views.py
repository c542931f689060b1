"""Writing an archive package (E-ARK SIP) for the registrar, streamed as a
download; anyone else gets 403."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from archive.export import permissions as export_permissions
from archive.export import writer
from archive.export.forms import ExportForm


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
@require_safe
def export_package(request):
    """The form, or with a valid choice the zip for the archive authority."""
    _require(export_permissions.can_export(request.user))
    form = ExportForm(request.GET or None)
    if form.is_bound and form.is_valid():
        scope = writer.Scope(
            administration=form.cleaned_data["administration"],
            account=form.cleaned_data["account"],
            year=form.cleaned_data["year"],
        )
        package = writer.build_package(scope=scope, actor=request.user)
        stamp = timezone.localdate().isoformat()
        response = FileResponse(
            package,
            as_attachment=True,
            filename=f"arkivexport-{scope.slug}-{stamp}.zip",
            content_type="application/zip",
        )
        response["Cache-Control"] = "private, no-store"
        return response
    return render(
        request,
        "archive/export_form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )
