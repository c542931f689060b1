"""Masking on a copy: the hand-out leaves the masked content out of the file.

A text record (a moderation entry, a question, a post) is written out from its
register entry with every masked string replaced by a marking naming the
provision, so the string is not in the hand-out at all. A PDF record (a
snapshot, a plan) is rendered page by page to images with pypdfium2; every
masked region, and every box in which a masked string occurs on any page, is
painted solid on the image, and the hand-out is built from the images: it
carries no text layer from the original, so nothing under a mask can be
selected or extracted. The original file is never opened for writing.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from nora_social.core import records

# Rendering scale (72 dpi × 2): sharp enough to read, small enough to store.
SCALE = 2


@dataclass
class Region:
    page: int  # 1-based
    left: float  # fractions of the page width/height, from the top left
    top: float
    width: float
    height: float


@dataclass
class MaskSet:
    strings: list[tuple[str, str]] = field(default_factory=list)  # (text, provision)
    regions: list[Region] = field(default_factory=list)


def mask_set(masks: Iterable[Any]) -> MaskSet:
    result = MaskSet()
    for mask in masks:
        if mask.kind == "string":
            result.strings.append((mask.text, mask.provision))
        else:
            result.regions.append(Region(mask.page, mask.left, mask.top, mask.width, mask.height))
    return result


def mask_text(text: str, strings: list[tuple[str, str]]) -> str:
    """``text`` with every occurrence (any case) of each string replaced by a
    marking: the masked text itself is gone."""
    for needle, provision in sorted(strings, key=lambda s: -len(s[0])):
        if not needle.strip():
            continue
        marking = _("[maskerat, %(provision)s]") % {"provision": provision}
        text = re.sub(re.escape(needle), marking, text, flags=re.IGNORECASE)
    return text


# --- What a registered document holds -------------------------------------------


def pdf_file(document) -> Any | None:
    """The stored PDF of the document's record (a snapshot, a plan), if any."""
    record = document.record
    if record is None:
        return None
    kind = records.kind_for(record)
    if kind is None or kind.files is None:
        return None
    for stored in kind.files(record):
        if stored and str(stored.name).lower().endswith(".pdf"):
            return stored
    return None


def record_text(document) -> str:
    """The content of a text record as the register entry reads it."""
    record = document.record
    if record is None:
        return ""
    kind = records.kind_for(record)
    if kind is not None and kind.entry is not None:
        return kind.entry(record).content_text
    from archive.errors import ArchiveError
    from archive.register import services

    try:
        return services.entry_for_record(record).content_text
    except ArchiveError:
        return ""


def text_lines(document, strings: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(label, value) lines of a text record's hand-out, masked."""
    lines = [
        (_("Diarienummer"), document.reference),
        (_("Datum"), f"{document.document_date:%Y-%m-%d}"),
        (_("Riktning"), str(document.get_direction_display())),
        (_("Avsändare eller mottagare"), document.party),
        (_("Ärendemening"), document.subject),
        (_("Innehåll"), record_text(document)),
    ]
    return [(label, mask_text(value, strings)) for label, value in lines if value]


# --- PDF pages ------------------------------------------------------------------


def _open(stored) -> Any:
    import pypdfium2

    stored.open("rb")
    try:
        data = stored.read()
    finally:
        stored.close()
    return pypdfium2.PdfDocument(data)


def page_count(stored) -> int:
    pdf = _open(stored)
    try:
        return len(pdf)
    finally:
        pdf.close()


def _string_boxes(page, strings: list[tuple[str, str]]) -> list[tuple[float, float, float, float]]:
    """Boxes (PDF units: left, bottom, right, top) of every occurrence of each string."""
    boxes = []
    textpage = page.get_textpage()
    try:
        for needle, _provision in strings:
            if not needle.strip():
                continue
            searcher = textpage.search(needle, match_case=False)
            while (hit := searcher.get_next()) is not None:
                index, count = hit
                for char in range(index, index + count):
                    boxes.append(textpage.get_charbox(char))
            searcher.close()
    finally:
        textpage.close()
    return boxes


def render_page(stored, number: int, masks: MaskSet | None = None) -> bytes:
    """Page ``number`` (1-based) as an RGB PNG, with the masks painted solid."""
    from PIL import ImageDraw

    pdf = _open(stored)
    try:
        page = pdf[number - 1]
        width, height = page.get_size()
        image = page.render(scale=SCALE).to_pil().convert("RGB")
        if masks is not None:
            draw = ImageDraw.Draw(image)
            for left, bottom, right, top in _string_boxes(page, masks.strings):
                # Widened by a point: a glyph's box is tight, its ink may not be.
                draw.rectangle(
                    [
                        (left - 1) * SCALE,
                        (height - top - 1) * SCALE,
                        (right + 1) * SCALE,
                        (height - bottom + 1) * SCALE,
                    ],
                    fill="black",
                )
            for region in masks.regions:
                if region.page != number:
                    continue
                draw.rectangle(
                    [
                        region.left * width * SCALE,
                        region.top * height * SCALE,
                        (region.left + region.width) * width * SCALE,
                        (region.top + region.height) * height * SCALE,
                    ],
                    fill="black",
                )
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()
    finally:
        pdf.close()


def masked_pages(stored, masks: MaskSet) -> list[str]:
    """Every page of the PDF, masked, as data URIs for the hand-out template."""
    return [
        "data:image/png;base64," + base64.b64encode(render_page(stored, n, masks)).decode("ascii")
        for n in range(1, page_count(stored) + 1)
    ]
