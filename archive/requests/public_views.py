"""The public side: the form at ``/begaran/`` (no login; anonymity allowed),
the tracking page a requester reaches by the link token, and the downloads,
which only a valid, unexpired link token opens. Nothing a requester typed is
rendered unescaped; the tokens are never stored in clear."""

import logging

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from archive.requests import decisions, mail, services
from archive.requests.forms import PublicRequestForm
from archive.requests.models import Decision
from nora_social.core.errors import ServiceError, add_to_form
from nora_social.core.public_forms import PublicFormGuard

logger = logging.getLogger(__name__)
GUARD = PublicFormGuard("records_request")
_FRESH_KEY = "records_request_fresh"


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _page(request, form, status=200):
    return render(request, "archive/requests/public_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def request_form(request):
    if request.method != "POST":
        # Prefilled from a register row's "Begär ut handlingen" or the embed on
        # nora.se (a GET form that opens this page in the whole window).
        initial = {
            "reference": request.GET.get("ref", "")[:60],
            "description": request.GET.get("beskrivning", "")[:4000],
        }
        return _page(request, PublicRequestForm(initial=initial))
    form = PublicRequestForm(request.POST)
    if GUARD.refuse(request, form):
        response = _page(request, form, status=429)
        response["Retry-After"] = str(GUARD.seconds_left())
        return response
    if not form.is_valid():
        return _page(request, form, status=400)
    if form.caught:
        # A robot filled in the honeypot: it sees a receipt, nothing is saved.
        logger.info("Records request dropped: honeypot filled in")
        return render(request, "archive/requests/public_dropped.html")
    data = form.cleaned_data
    try:
        records_request, token = services.submit(
            description=data["description"],
            reference=data["reference"],
            delivery=data["delivery"],
            name=data["name"],
            email=data["email"],
            address=data["address"],
        )
    except ServiceError as error:
        add_to_form(form, error)
        return _page(request, form, status=400)
    GUARD.record(request)
    tracking_url = request.build_absolute_uri(reverse("request_track", args=[token]))
    mail.send_receipt(records_request, tracking_url)
    messages.success(request, _("Tack! Vi har tagit emot din begäran."))
    # The session shows the link once more on the receipt; the URL carries it.
    request.session[_FRESH_KEY] = token
    return redirect("request_track", token=token)


def _tracked(token: str):
    found = services.request_for_token(token)
    if found is None:
        raise Http404
    return found


@require_safe
def track(request, token: str):
    records_request = _tracked(token)
    fresh = request.session.pop(_FRESH_KEY, None) == token
    decision = Decision.objects.filter(request=records_request).first()
    response = render(
        request,
        "archive/requests/public_track.html",
        {
            "r": records_request,
            "token": token,
            "fresh": fresh,
            "tracking_url": request.build_absolute_uri(),
            "handouts": [h for h in records_request.handouts.all() if h.pdf],
            "decision": decision if decision and decision.sent_on else None,
            "can_ask_decision": records_request.status
            in (records_request.Status.PARTLY, records_request.Status.REFUSED),
        },
    )
    return _private(response)


@require_POST
def ask_decision(request, token: str):
    records_request = _tracked(token)
    try:
        decisions.ask_for_decision(request=records_request)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Vi har tagit emot din begäran om ett skriftligt beslut."))
    return redirect("request_track", token=token)


@require_safe
def track_download(request, token: str, pk: int):
    records_request = _tracked(token)
    handout = records_request.handouts.filter(pk=pk).exclude(pdf="").first()
    if handout is None or handout.link_expired:
        raise Http404
    services.record_download(handout)
    return _pdf(handout.pdf, f"handlingar-{records_request}.pdf")


@require_safe
def link_download(request, token: str):
    handout = services.handout_for_token(token)
    if handout is None:
        raise Http404
    services.record_download(handout)
    return _pdf(handout.pdf, f"handlingar-{handout.request}.pdf")


@require_safe
def decision_download(request, token: str):
    records_request = _tracked(token)
    decision = Decision.objects.filter(request=records_request, sent_on__isnull=False).first()
    if decision is None:
        raise Http404
    return _pdf(decision.pdf, f"beslut-{records_request}.pdf")


def _pdf(stored, filename: str):
    filename = filename.replace(" ", "-").replace("/", "-")
    return _private(
        FileResponse(
            stored.open("rb"), content_type="application/pdf", as_attachment=True, filename=filename
        )
    )
