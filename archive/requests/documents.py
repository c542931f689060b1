"""The PDF/A files a request produces: the hand-out (masked copies) and the
written decision with its appeal instructions. Rendered from templates through
the kernel (tagged PDF/A-2b), checked before they are stored."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.requests import masking
from archive.requests.models import Assessment, RecordsRequest
from nora_social.core.pdf import check_pdfa, html_to_pdf, to_pdfa


class PdfNotValid(Exception):
    pass


def render_pdfa(template: str, context: dict) -> bytes:
    data = to_pdfa(html_to_pdf(render_to_string(template, context)))
    report = check_pdfa(data)
    if not report.passed:
        raise PdfNotValid(report.summary())
    return data


def handout_parts(request: RecordsRequest) -> tuple[list[dict], int]:
    """What the hand-out holds, document by document, and its page count
    (a text record counts as one page, a PDF by its pages)."""
    parts, pages = [], 0
    for item in request.documents.select_related("document__case").prefetch_related("masks"):
        part: dict[str, Any] = {"item": item, "withheld": item.assessment == Assessment.SECRET}
        if not part["withheld"] and item.document is not None:
            masks = masking.mask_set(item.masks.all())
            stored = masking.pdf_file(item.document)
            if stored is not None:
                part["images"] = masking.masked_pages(stored, masks)
                pages += len(part["images"])
            else:
                part["lines"] = masking.text_lines(item.document, masks.strings)
                pages += 1
            part["masks"] = list(item.masks.all())
        parts.append(part)
    return parts, pages


def handout_pdf(request: RecordsRequest) -> tuple[ContentFile, str, int]:
    parts, pages = handout_parts(request)
    data = render_pdfa(
        "archive/requests/handout_pdf.html",
        {"request": request, "parts": parts, "made_on": timezone.localdate()},
    )
    name = f"utlamnande-{secrets.token_hex(8)}.pdf"
    return ContentFile(data, name=name), hashlib.sha256(data).hexdigest(), pages


def decision_pdf(decision) -> tuple[ContentFile, str]:
    request = decision.request
    data = render_pdfa(
        "archive/requests/decision_pdf.html",
        {
            "request": request,
            "decision": decision,
            "items": list(request.documents.select_related("document__case")),
            "title": _("Beslut om utlämnande av allmän handling"),
        },
    )
    name = f"beslut-{secrets.token_hex(8)}.pdf"
    return ContentFile(data, name=name), hashlib.sha256(data).hexdigest()
