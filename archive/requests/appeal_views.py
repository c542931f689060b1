"""The registrar's appeal pages: register an appeal (with its letter), the
appeal page (timeliness, the letter, the package to kammarrätten, the
forwarding) and the package's download. Only the registrar: 404 for a request
one may not see, 403 for one one may see but not handle."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from archive.requests import appeal_package, decisions
from archive.requests.forms import AppealForm, LetterForm
from archive.requests.models import Decision
from archive.requests.views import _handled, _private, _refused
from nora_social.core.errors import ServiceError, add_to_form


@login_required
@require_POST
def appeal(request, pk: int):
    records_request = _handled(request, pk)
    form = AppealForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            decisions.register_appeal(
                actor=request.user, request=records_request, **form.cleaned_data
            )
        except ServiceError as error:
            return _refused(request, records_request, error, appeal_form=form)
        messages.success(request, _("Överklagandet är registrerat."))
        return redirect("archive:request_detail", pk=pk)
    return _refused(request, records_request, ServiceError(_("Ange datumen.")), appeal_form=form)


def _act(request, found, action: str, letter_form: LetterForm) -> str:
    """One of the appeal page's steps; the message to show when it is done."""
    if action == "letter":
        if not letter_form.is_valid():
            raise ServiceError(_("Välj filen med överklagandeskrivelsen."))
        appeal_package.attach_letter(
            actor=request.user, appeal=found, upload=letter_form.cleaned_data["letter"]
        )
        return _("Överklagandeskrivelsen är registrerad.")
    if action == "prepare":
        appeal_package.prepare_package(actor=request.user, appeal=found)
        return _("Paketet till kammarrätten är förberett.")
    if action == "forward":
        decisions.forward_appeal(actor=request.user, appeal=found)
        return _("Överlämnandet till kammarrätten är registrerat.")
    raise Http404


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def appeal_package_page(request, pk: int, appeal_pk: int):
    """What goes to kammarrätten: the appeal letter, the package (a ZIP of
    PDF/A parts with its checksum) and recording the forwarding."""
    records_request = _handled(request, pk)
    found = get_object_or_404(records_request.appeals, pk=appeal_pk)
    letter_form = LetterForm()
    status = 200
    if request.method == "POST":
        letter_form = LetterForm(request.POST, request.FILES)
        try:
            done = _act(request, found, request.POST.get("action", ""), letter_form)
        except ServiceError as error:
            if "letter" in error.errors:
                add_to_form(letter_form, error)
            else:
                messages.error(request, error.message)
            status = 400
        else:
            messages.success(request, done)
            return redirect("archive:request_appeal", pk=pk, appeal_pk=appeal_pk)
        found.refresh_from_db()
    letter = appeal_package.appeal_document(found)
    context = {
        "r": records_request,
        "appeal": found,
        "letter": letter,
        "letter_form": letter_form,
        "court": appeal_package.court(),
        "decision": Decision.objects.filter(request=records_request).first(),
        "last_day": decisions.last_appeal_day(found.decision_received_on),
        "documents": records_request.case.documents.order_by("number")
        if records_request.case
        else [],
    }
    return _private(render(request, "archive/requests/appeal.html", context, status=status))


@login_required
@require_safe
def appeal_package_download(request, pk: int, appeal_pk: int):
    records_request = _handled(request, pk)
    found = get_object_or_404(records_request.appeals.exclude(package=""), pk=appeal_pk)
    name = f"overklagande-{records_request}".replace(" ", "-").replace("/", "-")
    return _private(
        FileResponse(
            found.package.open("rb"),
            as_attachment=True,
            filename=f"{name}.zip",
            content_type="application/zip",
        )
    )
