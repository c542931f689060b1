"""Writing an archive package (E-ARK SIP) for the registrar, streamed as a
download, and the log of packages written and checked; anyone else gets 403.
Writing is a POST: each package is validated and entered in the log."""

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from archive.export import permissions as export_permissions
from archive.export import selectors, services, writer
from archive.export.forms import ExportForm
from archive.export.models import ArchiveExport


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def export_package(request):
    """The form and the log of past packages, or with a valid choice (POST) the
    zip for the archive authority, recorded in the log before it is sent."""
    _require(export_permissions.can_export(request.user))
    form = ExportForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        scope = writer.Scope(
            administration=form.cleaned_data["administration"],
            account=form.cleaned_data["account"],
            year=form.cleaned_data["year"],
        )
        # Returned open to FileResponse, which streams and closes it.
        out = tempfile.SpooledTemporaryFile(max_size=32 << 20)  # noqa: SIM115
        export = services.export_package(
            scope=scope, actor=request.user, out=out, channel=ArchiveExport.Channel.WEB
        )
        response = FileResponse(
            out,
            as_attachment=True,
            filename=f"{export.objid}.zip",
            content_type="application/zip",
        )
        response["Cache-Control"] = "private, no-store"
        return response
    return render(
        request,
        "archive/export_form.html",
        {"form": form, "exports": selectors.recent_exports()},
        status=400 if form.is_bound else 200,
    )
