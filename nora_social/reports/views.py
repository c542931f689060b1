"""The page "Årsrapport": choose the period and scope, start, follow the
progress and download the finished reports. Only the information officer
(``can_make_reports``); everyone else gets 403, an unknown report 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from nora_social.core.errors import ServiceError, add_to_form
from nora_social.reports import selectors, services, store
from nora_social.reports.forms import ReportForm
from nora_social.reports.permissions import can_make_reports


def _require(user) -> None:
    if not can_make_reports(user):
        raise PermissionDenied


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def index(request):
    _require(request.user)
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            adm = form.cleaned_data["administration"]
            try:
                manifest = services.report_start(
                    actor=request.user,
                    start=form.cleaned_data["start"],
                    end=form.cleaned_data["end"],
                    administration_id=adm.pk if adm else None,
                )
            except ServiceError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("Rapporten tas fram. Du får en notis när den är klar."))
                return redirect(reverse("reports:index") + f"#r-{manifest.token}")
        return _page(request, form, status=400)
    start, end = services.default_period()
    return _page(request, ReportForm(initial={"start": start, "end": end}))


def _page(request, form, status=200):
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "reports": selectors.reports_for(request.user),
        },
        status=status,
    )


@login_required
@never_cache
@require_safe
def download(request, token: str, kind: str):
    _require(request.user)
    manifest = selectors.report(request.user, token)
    if manifest is None or not manifest.done or kind not in store.FILES:
        raise Http404
    path = store.file_path(manifest, kind)
    if path is None:
        raise Http404
    name, content_type = store.FILES[kind]
    download_name = (
        f"{name.rsplit('.', 1)[0]}-{manifest.start}-{manifest.end}.{name.split('.', 1)[1]}"
    )
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=download_name,
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
