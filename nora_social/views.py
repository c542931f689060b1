"""Public pages required of a Swedish public-sector service: the start page,
the accessibility statement (DOS-lagen 2018:1937) with its problem report, the
privacy notice (GDPR art. 13/14) and the record of processing (GDPR art. 30).

The HTML pages carry a CSRF token (the language switch), so they are cached
privately, never by a shared cache.
"""

import datetime
import logging

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_safe

from nora_social.core.public_forms import PublicFormGuard
from nora_social.forms import AccessibilityReportForm
from nora_social.processing_record import PROCESSING_ACTIVITIES
from nora_social.services import ReportNotSent, accessibility_report_send

logger = logging.getLogger(__name__)

PAGE_MAX_AGE = 3600

# Dates shown in the accessibility statement, as DIGG's model asks. Update them
# whenever the statement or the assessment behind it changes.
ACCESSIBILITY_ASSESSED_ON = datetime.date(2026, 11, 27)
ACCESSIBILITY_UPDATED_ON = datetime.date(2026, 11, 29)
PUBLISHED_ON = datetime.date(2026, 11, 29)
PRIVACY_UPDATED_ON = datetime.date(2026, 11, 29)

_RECEIPT_KEY = "accessibility_report_receipt"
_REPORT_GUARD = PublicFormGuard("accessibility_report")


@require_safe
def index(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    return render(request, "public/index.html", {"contact": settings.ACCESSIBILITY_CONTACT})


@require_safe
@cache_control(private=True, max_age=PAGE_MAX_AGE)
def accessibility(request):
    return render(
        request,
        "public/accessibility.html",
        {
            "contact": settings.ACCESSIBILITY_CONTACT,
            "assessed_on": ACCESSIBILITY_ASSESSED_ON,
            "updated_on": ACCESSIBILITY_UPDATED_ON,
            "published_on": PUBLISHED_ON,
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def accessibility_report(request):
    """Anyone may report an accessibility problem; it is mailed to the contact."""
    if request.method in ("GET", "HEAD"):
        form = AccessibilityReportForm(initial={"page_url": request.GET.get("sida", "")[:500]})
        return _report_page(request, form)
    form = AccessibilityReportForm(request.POST)
    if _REPORT_GUARD.refuse(request, form):
        response = _report_page(request, form, status=429)
        response["Retry-After"] = str(_REPORT_GUARD.seconds_left())
        return response
    if not form.is_valid():
        return _report_page(request, form, status=400)
    try:
        if form.caught:
            # A robot filled in the honeypot: it sees the usual receipt, nobody gets mail.
            logger.info("Accessibility report dropped: honeypot filled in")
        else:
            accessibility_report_send(**form.cleaned_data)
    except ReportNotSent:
        form.add_error(
            None,
            _(
                "Vi kunde inte skicka din rapport just nu. Försök igen om en stund, "
                "eller mejla den till %(contact)s."
            )
            % {"contact": settings.ACCESSIBILITY_CONTACT},
        )
        return _report_page(request, form, status=503)
    _REPORT_GUARD.record(request)
    request.session[_RECEIPT_KEY] = {
        "page_url": form.cleaned_data["page_url"],
        "sent_at": timezone.now().isoformat(),
        "wants_reply": bool(form.cleaned_data["email"]),
    }
    messages.success(request, _("Tack! Din rapport är skickad."))
    return redirect("accessibility_report_sent")


def _report_page(request, form, status=200):
    return render(
        request,
        "public/accessibility_report.html",
        {"form": form, "contact": settings.ACCESSIBILITY_CONTACT},
        status=status,
    )


@require_safe
@never_cache
def accessibility_report_sent(request):
    receipt = dict(request.session.get(_RECEIPT_KEY) or {})
    if not receipt:
        return redirect("accessibility_report")
    receipt["sent_at"] = datetime.datetime.fromisoformat(receipt["sent_at"])
    return render(
        request,
        "public/accessibility_report_sent.html",
        {"receipt": receipt, "contact": settings.ACCESSIBILITY_CONTACT},
    )


@require_safe
@cache_control(private=True, max_age=PAGE_MAX_AGE)
def privacy(request):
    return render(
        request,
        "public/privacy.html",
        {
            "contact": settings.DPO_CONTACT,
            "municipality_contact": "nora.kommun@nora.se",
            "updated_on": PRIVACY_UPDATED_ON,
        },
    )


@require_safe
@cache_control(private=True, max_age=PAGE_MAX_AGE)
def processing_record(request):
    return render(
        request,
        "public/processing_record.html",
        {
            "contact": settings.DPO_CONTACT,
            "updated_on": PRIVACY_UPDATED_ON,
            "activities": PROCESSING_ACTIVITIES,
        },
    )
