"""The snapshot PDF (§10): the period's records, the screenshots embedded as they
were uploaded where PDF/A allows, rendered and checked as PDF/A-2b.
"""

import base64
import datetime
import io
import struct
import zlib
from dataclasses import dataclass

from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from accounts.models import User
from archive.errors import SnapshotError
from archive.models import (
    Snapshot,
    SnapshotRequest,
    SnapshotScreenshot,
)
from channels_registry.models import ChecklistConfirmation, SocialAccount
from channels_registry.selectors import current_members_prefetch, required_checklist_items
from nora_social.core import records

# --- Rendering ----------------------------------------------------------------


def _period(account: SocialAccount, snapshot_request: SnapshotRequest, today: datetime.date):
    last = (
        Snapshot.objects.filter(account=account)
        .exclude(request=snapshot_request)
        .aggregate(end=Max("period_end"))["end"]
    )
    if last is not None:
        start = last + datetime.timedelta(days=1)
    else:
        start = account.activated_on or account.planned_on
    return min(start, today), today


def _period_records(account: SocialAccount, start: datetime.date, end: datetime.date):
    """§10: the period's records of every kind that lists itself (posts,
    moderation actions, questions), each marked as the municipality's own
    (official) or a citizen's. Secret content is not copied."""
    lines = [
        line
        for kind in records.kinds()
        if kind.period is not None
        for line in kind.period(account, start, end)
    ]
    lines.sort(key=lambda line: line.when)
    counts = {
        "official": sum(1 for line in lines if line.official),
        "citizen": sum(1 for line in lines if not line.official),
    }
    return lines, counts


# --- Screenshots in the PDF ------------------------------------------------------
#
# WeasyPrint decodes every raster image and encodes it again as PNG (zlib) to
# embed it, and a data URI of a 2.5 MB screenshot costs seconds in its HTML
# parser: five 1280×2000 screenshots took most of the ~10 s a snapshot cost.
# A PDF image with /FlateDecode and PNG predictors (Predictor 15) is byte for byte
# the concatenated IDAT chunks of a PNG, so an 8-bit RGB, non-interlaced PNG is
# embedded without decoding it at all: WeasyPrint lays out a tiny placeholder of
# the same displayed size, and the placeholder's image stream is then replaced by
# the screenshot's own IDAT data (pikepdf, before the PDF/A save validates the
# file). Other images (RGBA, grey, palette, 16-bit, JPEG, WebP) are decoded once
# with Pillow and encoded once. Pixels are kept losslessly either way.

# The printable area of the page (A4 less the margins in templates/pdf/snapshot.html)
# that a screenshot is scaled down to fit, and CSS pixels per millimetre.
IMAGE_BOX_MM = (174.0, 200.0)
PX_PER_MM = 96 / 25.4
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass
class PdfImage:
    """A screenshot ready for the PDF: its IDAT (zlib, PNG-filtered rows)."""

    width: int
    height: int
    idat: bytes

    @property
    def size_mm(self) -> tuple[float, float]:
        width, height = self.width / PX_PER_MM, self.height / PX_PER_MM
        scale = min(1.0, IMAGE_BOX_MM[0] / width, IMAGE_BOX_MM[1] / height)
        return round(width * scale, 2), round(height * scale, 2)


def _png_chunks(data: bytes) -> tuple[tuple, bytes, bool] | None:
    """(IHDR fields, the joined IDAT, whether there is a tRNS chunk) of a PNG
    whose chunk CRCs all hold, or None."""
    if not data.startswith(PNG_SIGNATURE):
        return None
    pos, header, parts, transparency = len(PNG_SIGNATURE), None, [], False
    view = memoryview(data)
    while pos + 12 <= len(data):
        (length,) = struct.unpack_from(">I", data, pos)
        kind = bytes(view[pos + 4 : pos + 8])
        end = pos + 12 + length
        if end > len(data):
            return None
        (crc,) = struct.unpack_from(">I", data, end - 4)
        if zlib.crc32(view[pos + 4 : end - 4]) != crc:
            return None
        body = view[pos + 8 : end - 4]
        if kind == b"IHDR" and length == 13:
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            parts.append(body)
        elif kind == b"tRNS":
            transparency = True
        elif kind == b"IEND":
            break
        pos = end
    if header is None or not parts:
        return None
    return header, b"".join(parts), transparency


def _is_plain_rgb(header: tuple, transparency: bool) -> bool:
    """8-bit RGB, not interlaced, no transparency key: PDF's Predictor 15 data."""
    _width, _height, depth, colour, _compression, _filter, interlace = header
    return depth == 8 and colour == 2 and interlace == 0 and not transparency


def _png_data_intact(data: bytes) -> bool:
    """The image data inflates to its end without error (checked at upload), and
    for the kind the PDF embeds as it is, to exactly one filter byte and three
    bytes a pixel for every row."""
    found = _png_chunks(data)
    if found is None:
        return False
    header, idat, transparency = found
    inflater, got = zlib.decompressobj(), 0
    try:
        for start in range(0, len(idat), 1 << 18):
            # Bounded output: the upload check already limited the pixels.
            got += len(inflater.decompress(idat[start : start + (1 << 18)]))
        got += len(inflater.flush())
    except zlib.error:
        return False
    if not inflater.eof or inflater.unused_data:
        return False
    if _is_plain_rgb(header, transparency):
        return got == header[1] * (1 + 3 * header[0])
    return True


def _png_idat(data: bytes) -> tuple[int, int, bytes] | None:
    """(width, height, IDAT) of an 8-bit RGB, non-interlaced PNG without a
    transparency key, or None (then it goes the slow way). The row data is not
    inflated here (a fifth of a snapshot's time): screenshot_add did that when
    the file was uploaded, and the CRCs show the stored bytes are those."""
    found = _png_chunks(data)
    if found is None or not _is_plain_rgb(found[0], found[2]):
        return None
    header, idat, _transparency = found
    return header[0], header[1], idat


def _reencoded_idat(data: bytes) -> tuple[int, int, bytes]:
    """Any other image: decoded once, transparency laid on white, encoded as an
    8-bit RGB PNG (no metadata) whose IDAT is then used as above."""
    with Image.open(io.BytesIO(data)) as opened:
        image: Image.Image = opened
        image.load()
        if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
            rgba = image.convert("RGBA")
            image = Image.new("RGB", rgba.size, "white")
            image.paste(rgba, mask=rgba.getchannel("A"))
        else:
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, format="PNG")
    found = _png_idat(out.getvalue())
    if found is None:  # pragma: no cover - Pillow writes exactly this kind
        raise SnapshotError(_("Skärmdumpen kunde inte läggas in i ögonblicksbilden."))
    return found


def pdf_image(screenshot: SnapshotScreenshot) -> PdfImage:
    with screenshot.image.open("rb") as handle:
        data = handle.read()
    width, height, idat = _png_idat(data) or _reencoded_idat(data)
    return PdfImage(width, height, idat)


def _placeholder_uri(index: int) -> str:
    """A 1-pixel-high RGB PNG, (index + 1) pixels wide: the width says which
    screenshot replaces it (see _embed_screenshots)."""
    out = io.BytesIO()
    Image.new("RGB", (index + 1, 1), "white").save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _embed_screenshots(document, images: list[PdfImage]) -> None:
    """Put each screenshot's own IDAT in place of its placeholder's image stream."""
    import pikepdf

    placed = 0
    for obj in document.objects:
        if not (isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"):
            continue
        if int(obj.get("/Height", 0)) != 1:
            continue
        index = int(obj.get("/Width", 0)) - 1
        if not 0 <= index < len(images):
            continue
        image = images[index]
        obj.write(
            image.idat,
            filter=pikepdf.Name.FlateDecode,
            decode_parms=pikepdf.Dictionary(
                Predictor=15, Colors=3, BitsPerComponent=8, Columns=image.width
            ),
        )
        obj.Width, obj.Height = image.width, image.height
        obj.ColorSpace, obj.BitsPerComponent = pikepdf.Name.DeviceRGB, 8
        placed += 1
    if placed != len(images):
        raise SnapshotError(_("Skärmdumparna kunde inte läggas in i ögonblicksbilden."))


@dataclass
class SnapshotDocument:
    html: str
    images: list[PdfImage]


def snapshot_document(
    snapshot_request: SnapshotRequest, *, made_by: User | None, today
) -> SnapshotDocument:
    account = (
        SocialAccount.objects.select_related("platform", "unit__administration")
        .prefetch_related(current_members_prefetch(today))
        .get(pk=snapshot_request.account_id)
    )
    start, end = _period(account, snapshot_request, today)
    confirmations = {
        c.item: c
        for c in ChecklistConfirmation.objects.filter(account=account).select_related(
            "confirmed_by"
        )
    }
    from channels_registry.models import ChecklistItem

    labels = dict(ChecklistItem.choices)
    checklist = [
        (labels[item], confirmations.get(item)) for item in required_checklist_items(account)
    ]
    rows = list(snapshot_request.screenshots.select_related("uploaded_by").order_by("pk"))
    images = [pdf_image(s) for s in rows]
    screenshots = [
        (s, _placeholder_uri(k), *image.size_mm)
        for k, (s, image) in enumerate(zip(rows, images, strict=True))
    ]
    lines, counts = _period_records(account, start, end)
    html = render_to_string(
        "pdf/snapshot.html",
        {
            "account": account,
            "request": snapshot_request,
            "people": account.current_members,
            "checklist": checklist,
            "screenshots": screenshots,
            "records": lines,
            "counts": counts,
            "period_start": start,
            "period_end": end,
            "made_by": made_by,
            "made_at": timezone.now(),
        },
    )
    return SnapshotDocument(html, images)


def snapshot_html(snapshot_request: SnapshotRequest, *, made_by: User | None, today) -> str:
    return snapshot_document(snapshot_request, made_by=made_by, today=today).html


def write_snapshot_pdf(document: SnapshotDocument, path: str) -> None:
    """Render the snapshot and write it, validated PDF/A-2b, as a new file at
    ``path`` (not through memory: the file is the size of its screenshots)."""
    from nora_social.core.pdf import html_to_pdf, to_pdfa_file

    raw = html_to_pdf(document.html)

    def prepare(pdf) -> None:
        _embed_screenshots(pdf, document.images)
        # pikepdf holds its own copy now; the worker's peak memory is lower
        # without a second one through the PDF/A save and validation.
        document.images.clear()

    to_pdfa_file(raw, path, prepare=prepare)


def check_pdfa(data: bytes):
    from nora_social.core.pdf import check_pdfa as check

    return check(data)
