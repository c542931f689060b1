"""Snapshots of an account (§10): yearly, at a major change, and a final one at
closing.

The account's people are asked to upload fresh screenshots of the live account
(images only, judged by content, as moderation does). Then a person asks for
the snapshot to be made; a Celery task renders it as PDF/A-2b (the registered
profile, checklist, people, the screenshots with their dates and the period's
posts, moderation actions and questions, each marked official or citizen),
writes it under a temporary name and moves it into place in the transaction
that records it, so the archive never holds a half-written file and a retried
task never makes a second snapshot. The SHA-256 is stored and the snapshot is
registered as a drawn-up document in the account's collective case for the year.
"""

import base64
import datetime
import hashlib
import io
import logging
import os
import struct
import uuid
import zlib
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image

from accounts.models import User
from accounts.services import notify
from archive.integrity import file_sha256
from archive.models import (
    Direction,
    Snapshot,
    SnapshotReason,
    SnapshotRequest,
    SnapshotScreenshot,
)
from archive.services import ArchiveError, Entry, register_record
from channels_registry.models import AccountMember, ChecklistConfirmation, SocialAccount
from channels_registry.permissions import can_manage_account, can_view_account
from channels_registry.selectors import current_members_prefetch, required_checklist_items
from nora_social.core import file_modes
from nora_social.core.history import set_history_user
from nora_social.core.uploads import upload_sha256

logger = logging.getLogger(__name__)

# A screenshot older than this when it is uploaded is not "fresh" (§10).
FRESH_DAYS = 30
# The beat asks for the yearly snapshot this long after the last one, so it is
# made before the compliance rule's 12 months run out.
YEARLY_AFTER_MONTHS = 11
RULE_MONTHS = 12
PENDING = (SnapshotRequest.Status.OPEN, SnapshotRequest.Status.QUEUED)


class SnapshotError(ArchiveError):
    """A refused snapshot step, with a Swedish message (and per-field reasons)."""


def _save(obj, actor: User | None) -> None:
    set_history_user(obj, actor)
    obj.save()


def _lock_account(account_id: int) -> SocialAccount:
    account = SocialAccount.objects.select_for_update().filter(pk=account_id).first()
    if account is None:
        raise SnapshotError(_("Kontot finns inte."))
    return account


def _lock_request(request_id: int) -> SnapshotRequest:
    found = (
        SnapshotRequest.objects.select_for_update()
        .select_related("account")
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        raise SnapshotError(_("Begäran finns inte."))
    return found


def account_people(account: SocialAccount) -> list[User]:
    today = timezone.localdate()
    members = AccountMember.objects.filter(account=account, starts_on__lte=today).exclude(
        ends_on__lt=today
    )
    return [m.user for m in members.select_related("user")]


def _notify_people(snapshot_request: SnapshotRequest) -> None:
    account = snapshot_request.account
    notify(
        recipients=account_people(account),
        subject=_("Ladda upp skärmdumpar för ögonblicksbild: %(account)s")
        % {"account": account.display_name},
        body=_(
            "Det är dags för en ögonblicksbild av kontot %(account)s (%(reason)s, policyn §10). "
            "Ta nya skärmdumpar av kontot som det ser ut nu, ladda upp dem och skapa "
            "ögonblicksbilden."
        )
        % {
            "account": account.display_name,
            "reason": snapshot_request.get_reason_display().lower(),
        },
        url=reverse("archive:snapshot_request", args=[snapshot_request.pk]),
    )


def can_request_snapshot(user: User, account: SocialAccount) -> bool:
    """Owner, deputy, their managers and the information officer (§10)."""
    return can_manage_account(user, account)


def pending_request(account: SocialAccount) -> SnapshotRequest | None:
    return SnapshotRequest.objects.filter(account=account, status__in=PENDING).first()


@transaction.atomic
def snapshot_request_create(
    *, account_id: int, actor: User | None, reason: str, note: str = ""
) -> SnapshotRequest:
    """Ask the account's people for fresh screenshots. ``actor`` is None for the
    yearly run. A final request (closing) takes over a pending one."""
    account = _lock_account(account_id)
    if actor is not None and not can_request_snapshot(actor, account):
        raise SnapshotError(_("Du kan inte begära en ögonblicksbild av det här kontot."))
    if reason not in SnapshotReason.values:
        raise SnapshotError(_("Välj en anledning."), {"reason": [_("Välj en anledning.")]})
    note = note.strip()
    if reason == SnapshotReason.MAJOR_CHANGE and not note:
        message = _("Beskriv den större förändringen.")
        raise SnapshotError(message, {"note": [message]})
    if reason == SnapshotReason.FINAL:
        if account.status != SocialAccount.Status.CLOSING:
            raise SnapshotError(
                _("Den slutliga ögonblicksbilden görs när kontot håller på att avvecklas.")
            )
    elif account.status != SocialAccount.Status.ACTIVE:
        raise SnapshotError(_("Ögonblicksbilder begärs bara för aktiva konton."))
    existing = (
        SnapshotRequest.objects.select_for_update()
        .filter(account=account, status__in=PENDING)
        .first()
    )
    if existing is not None:
        if reason == SnapshotReason.FINAL and existing.reason != SnapshotReason.FINAL:
            existing.reason = SnapshotReason.FINAL
            _save(existing, actor)
            _notify_people(existing)
            return existing
        raise SnapshotError(_("Det finns redan en begäran om ögonblicksbild som väntar."))
    snapshot_request = SnapshotRequest(
        account=account, reason=reason, note=note, requested_by=actor
    )
    _save(snapshot_request, actor)
    _notify_people(snapshot_request)
    return snapshot_request


def _checked_image(upload):
    # moderation's check is a plain function: images by content, SVG refused.
    from nora_social.core.uploads import check_screenshot

    try:
        checked = check_screenshot(upload)
    except ValidationError as error:
        message = " ".join(error.messages)
        raise SnapshotError(message, {"image": [message]}) from None
    # That check reads the headers and chunk checksums only. A PNG's image data
    # is inflated once here, so the PDF can later take it as it is without
    # decoding it (see _png_idat). Not with Pillow: WeasyPrint sets Pillow's
    # LOAD_TRUNCATED_IMAGES for the whole process, which hides broken data.
    if checked.content_type == "image/png":
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        if not _png_data_intact(data):
            message = _(
                "Bilden är skadad och kan inte läsas. Ta en ny skärmdump och ladda upp den."
            )
            raise SnapshotError(message, {"image": [message]})
    return checked


@transaction.atomic
def screenshot_add(
    *,
    request_id: int,
    actor: User,
    upload,
    captured_on: datetime.date | None = None,
    caption: str = "",
) -> SnapshotScreenshot:
    """One fresh screenshot of the live account for a waiting request (§10)."""
    snapshot_request = _lock_request(request_id)
    if not can_request_snapshot(actor, snapshot_request.account):
        raise SnapshotError(_("Du kan inte ladda upp skärmdumpar för det här kontot."))
    if snapshot_request.status != SnapshotRequest.Status.OPEN:
        raise SnapshotError(_("Begäran tar inte emot fler skärmdumpar."))
    if upload is None:
        message = _("Välj en skärmdump att ladda upp.")
        raise SnapshotError(message, {"image": [message]})
    today = timezone.localdate()
    captured_on = captured_on or today
    if captured_on > today:
        message = _("Datumet kan inte ligga i framtiden.")
        raise SnapshotError(message, {"captured_on": [message]})
    if captured_on < today - datetime.timedelta(days=FRESH_DAYS):
        message = _("Skärmdumpen ska vara ny: tagen de senaste %(days)s dagarna.") % {
            "days": FRESH_DAYS
        }
        raise SnapshotError(message, {"captured_on": [message]})
    checked = _checked_image(upload)
    screenshot = SnapshotScreenshot(
        request=snapshot_request,
        content_type=checked.content_type,
        sha256=upload_sha256(upload),
        caption=caption.strip()[:200],
        captured_on=captured_on,
        uploaded_by=actor,
    )
    screenshot._image_ext = checked.extension
    screenshot.image.save("upload", upload, save=False)
    _save(screenshot, actor)
    return screenshot


@transaction.atomic
def snapshot_make_start(*, request_id: int, actor: User) -> SnapshotRequest:
    """Queue the snapshot once the screenshots are in. The task runs after commit."""
    snapshot_request = _lock_request(request_id)
    if not can_request_snapshot(actor, snapshot_request.account):
        raise SnapshotError(_("Du kan inte skapa ögonblicksbilden för det här kontot."))
    if snapshot_request.status != SnapshotRequest.Status.OPEN:
        raise SnapshotError(_("Ögonblicksbilden skapas redan eller är klar."))
    if not snapshot_request.screenshots.exists():
        raise SnapshotError(_("Ladda upp minst en ny skärmdump av kontot först."))
    snapshot_request.status = SnapshotRequest.Status.QUEUED
    _save(snapshot_request, actor)
    from archive.tasks import make_snapshot

    request_pk, actor_pk = snapshot_request.pk, actor.pk
    transaction.on_commit(lambda: _queue(make_snapshot, request_pk, actor_pk))
    return snapshot_request


def _queue(task, request_pk: int, actor_pk: int) -> None:
    try:
        task.apply_async(args=[request_pk, actor_pk], retry=False)
    except Exception:  # noqa: BLE001 - broker away: the request stays queued, retry below
        logger.warning("Could not queue snapshot %s; make_pending_snapshots will.", request_pk)


# --- Rendering ----------------------------------------------------------------


@dataclass
class PeriodRecord:
    when: datetime.datetime
    kind: str
    official: bool
    summary: str


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
    """§10: the period's posts, moderation actions and questions, each marked as
    the municipality's own (official) or a citizen's. Secret content is not copied."""
    from django.apps import apps

    if not apps.is_installed("moderation"):
        return [], {}
    from moderation.models import ModerationAction, Post, Question

    records: list[PeriodRecord] = []
    for post in Post.objects.filter(
        account=account, published_at__date__gte=start, published_at__date__lte=end
    ):
        records.append(PeriodRecord(post.published_at, _("Inlägg"), True, post.text[:300]))
    for action in ModerationAction.objects.filter(
        account=account, logged_at__date__gte=start, logged_at__date__lte=end
    ):
        official = action.origin == ModerationAction.Origin.OWN_POST
        summary = f"{action.get_action_display()}: {action.get_category_display()}"
        if action.secrecy_provision:
            summary += " – " + _("Sekretess enligt %(provision)s") % {
                "provision": action.secrecy_provision
            }
        records.append(PeriodRecord(action.logged_at, _("Modereringsåtgärd"), official, summary))
    for question in Question.objects.filter(
        account=account, received_at__date__gte=start, received_at__date__lte=end
    ):
        records.append(
            PeriodRecord(
                question.received_at,
                _("Fråga eller synpunkt"),
                False,
                question.get_status_display(),
            )
        )
    records.sort(key=lambda r: r.when)
    counts = {
        "official": sum(1 for r in records if r.official),
        "citizen": sum(1 for r in records if not r.official),
    }
    return records, counts


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
    records, counts = _period_records(account, start, end)
    html = render_to_string(
        "pdf/snapshot.html",
        {
            "account": account,
            "request": snapshot_request,
            "people": account.current_members,
            "checklist": checklist,
            "screenshots": screenshots,
            "records": records,
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


def render_snapshot_pdf(document: SnapshotDocument) -> bytes:
    from nora_social.core.pdf import html_to_pdf, to_pdfa

    raw = html_to_pdf(document.html)

    def prepare(pdf) -> None:
        _embed_screenshots(pdf, document.images)
        # pikepdf holds its own copy now; the worker's peak memory is lower
        # without a second one through the PDF/A save and validation.
        document.images.clear()

    return to_pdfa(raw, prepare=prepare)


def check_pdfa(data: bytes):
    from nora_social.core.pdf import check_pdfa as check

    return check(data)


def _write_temp(data: bytes) -> str:
    """Write the bytes to a temporary name beside the archive and flush them to
    disk; the final name appears only by an atomic rename."""
    tmp_dir = os.path.join(settings.MEDIA_ROOT, "snapshots", "tmp")
    os.makedirs(tmp_dir, exist_ok=True)
    path = os.path.join(tmp_dir, f"{uuid.uuid4().hex}.part")
    with file_modes.open_new(path) as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return path


def snapshot_render(*, request_id: int, actor_id: int | None) -> Snapshot | None:
    """Make the snapshot for a queued request (the Celery task calls this).

    Idempotent: a request has at most one snapshot (one-to-one), the rendering
    happens outside the transaction, and the file is moved into place only in
    the transaction that records it; a second run finds the snapshot and stops."""
    existing = Snapshot.objects.filter(request_id=request_id).first()
    if existing is not None:
        return existing
    snapshot_request = (
        SnapshotRequest.objects.select_related("account").filter(pk=request_id).first()
    )
    if snapshot_request is None or snapshot_request.status != SnapshotRequest.Status.QUEUED:
        return None
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    today = timezone.localdate()
    data = render_snapshot_pdf(snapshot_document(snapshot_request, made_by=actor, today=today))
    temp_path = _write_temp(data)
    try:
        return _record_snapshot(
            request_id=request_id, actor=actor, data=data, temp_path=temp_path, today=today
        )
    finally:
        if os.path.exists(temp_path):
            os.remove(temp_path)


@transaction.atomic
def _record_snapshot(
    *, request_id: int, actor: User | None, data: bytes, temp_path: str, today
) -> Snapshot:
    snapshot_request = _lock_request(request_id)
    existing = Snapshot.objects.filter(request=snapshot_request).first()
    if existing is not None:
        return existing
    account = snapshot_request.account
    start, end = _period(account, snapshot_request, today)
    # The rule checks how fresh the screenshots were: the oldest one counts.
    taken = snapshot_request.screenshots.aggregate(oldest=Min("captured_on"))["oldest"] or today
    final_name = f"snapshots/{today:%Y}/{account.pk}-{snapshot_request.pk}-{uuid.uuid4().hex}.pdf"
    snapshot = Snapshot(
        request=snapshot_request,
        account=account,
        reason=snapshot_request.reason,
        final=snapshot_request.is_final,
        period_start=start,
        period_end=end,
        screenshots_taken_on=taken,
        made_by=actor,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    snapshot.pdf.name = final_name
    _save(snapshot, actor)
    snapshot_request.status = SnapshotRequest.Status.DONE
    _save(snapshot_request, actor)
    registrar_actor = actor or snapshot_request.requested_by
    if registrar_actor is not None:
        register_record(
            record=snapshot,
            actor=registrar_actor,
            entry=Entry(
                direction=Direction.DRAWN_UP,
                document_date=today,
                subject=_("Ögonblicksbild av konto i sociala medier (%(reason)s)")
                % {"reason": snapshot.get_reason_display().lower()},
                handling_officer=registrar_actor,
                content_text=f"{account.display_name} {account.handle}",
            ),
        )
    # Last: the rename. Everything before it rolls back with the transaction;
    # the file never appears under its archive name unless the row is written.
    final_path = default_storage.path(final_name)
    os.makedirs(os.path.dirname(final_path), exist_ok=True)
    os.replace(temp_path, final_path)
    return snapshot


def verify_snapshot(snapshot: Snapshot) -> bool:
    """The stored file still has the hash recorded when it was made."""
    return file_sha256(snapshot.pdf) == snapshot.sha256


# --- Yearly run and closing ---------------------------------------------------


def accounts_due_yearly(today: datetime.date):
    """Active accounts whose last snapshot (or activation) is older than 11
    months and that have no request waiting."""
    cutoff = today - relativedelta(months=YEARLY_AFTER_MONTHS)
    return (
        SocialAccount.objects.filter(status=SocialAccount.Status.ACTIVE)
        .annotate(last_made=Max("snapshots__made_at__date"))
        .exclude(snapshot_requests__status__in=PENDING)
        .filter(activated_on__lte=cutoff)
        .filter(Q(last_made__isnull=True) | Q(last_made__lte=cutoff))
        .order_by("pk")
    )


def request_yearly_snapshots(*, today: datetime.date | None = None) -> list[SnapshotRequest]:
    today = today or timezone.localdate()
    made = []
    for account_id in accounts_due_yearly(today).values_list("pk", flat=True):
        try:
            made.append(
                snapshot_request_create(
                    account_id=account_id, actor=None, reason=SnapshotReason.YEARLY
                )
            )
        except SnapshotError:
            continue
    return made


def has_final_snapshot(account: SocialAccount) -> bool:
    snapshots = Snapshot.objects.filter(account=account)
    if snapshots.filter(final=True).exists():
        return True
    return (
        bool(account.closing_on)
        and snapshots.filter(made_at__date__gte=account.closing_on).exists()
    )


def final_snapshot_missing(account: SocialAccount) -> list[str]:
    """CLOSE_PRECONDITIONS hook (§10): no account closes without its final snapshot."""
    if has_final_snapshot(account):
        return []
    return [
        _(
            "Den slutliga ögonblicksbilden saknas (§10). Begär den på kontots sida för "
            "ögonblicksbilder, ladda upp skärmdumpar och skapa den innan kontot stängs."
        )
    ]


def open_final_request(*, account_id: int, actor: User | None = None, **_kwargs) -> None:
    """ACCOUNT_CLOSING hook (§10): starting to close an account opens the request
    for its final snapshot (or turns a waiting one into it) and asks the people on
    the account for screenshots, since closing cannot finish without it. A request
    that already exists is left as it is."""
    if actor is not None and not actor.is_active:
        actor = None
    if not SocialAccount.objects.filter(
        pk=account_id, status=SocialAccount.Status.CLOSING
    ).exists():
        return  # closed (or reopened) in the meantime: nothing to ask for
    try:
        snapshot_request_create(account_id=account_id, actor=actor, reason=SnapshotReason.FINAL)
    except SnapshotError as error:
        # A final request already waits: the people were asked when it opened.
        logger.debug("Final snapshot request for account %s: %s", account_id, error.message)


def closure_receipt_lines(account: SocialAccount) -> list[str]:
    """CLOSURE_RECEIPT hook: the final snapshot and the account's register
    documents, for the receipt shown to whoever closed the account."""
    from archive.models import Document

    lines = []
    snapshots = Snapshot.objects.filter(account=account).filter(
        Q(final=True) | Q(made_at__date__gte=account.closing_on or datetime.date.max)
    )
    documents = {
        d.record_id: d
        for d in Document.objects.filter(
            record_type__app_label="archive",
            record_type__model="snapshot",
            record_id__in=[s.pk for s in snapshots],
        ).select_related("case")
    }
    for snapshot in snapshots:
        document = documents.get(snapshot.pk)
        values = {
            "date": timezone.localtime(snapshot.made_at).strftime("%Y-%m-%d"),
            "start": snapshot.period_start.isoformat(),
            "end": snapshot.period_end.isoformat(),
            "sha": snapshot.sha256,
        }
        if document is not None:
            values["reference"] = document.reference
            lines.append(
                _(
                    "Slutlig ögonblicksbild (PDF/A) skapad %(date)s för perioden %(start)s–"
                    "%(end)s, diarieförd som %(reference)s, SHA-256 %(sha)s."
                )
                % values
            )
        else:
            lines.append(
                _(
                    "Slutlig ögonblicksbild (PDF/A) skapad %(date)s för perioden %(start)s–"
                    "%(end)s, SHA-256 %(sha)s."
                )
                % values
            )
    count = Document.objects.filter(account=account).count()
    if count:
        lines.append(
            ngettext(
                "%(count)d handling om kontot finns kvar i diariet.",
                "%(count)d handlingar om kontot finns kvar i diariet.",
                count,
            )
            % {"count": count}
        )
    return lines


def todos(user: User) -> list:
    """Start page: snapshot requests waiting for screenshots on the accounts this
    person is on, each with its link."""
    from accounts.navigation import TodoItem

    today = timezone.localdate()
    on = AccountMember.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today), user=user, starts_on__lte=today
    ).values("account_id")
    waiting = (
        SnapshotRequest.objects.filter(status=SnapshotRequest.Status.OPEN, account__in=on)
        .select_related("account")
        .order_by("requested_at", "pk")
    )
    return [
        TodoItem(
            _("Ladda upp skärmdumpar för ögonblicksbild: %(account)s (%(reason)s)")
            % {"account": r.account.display_name, "reason": r.get_reason_display().lower()},
            reverse("archive:snapshot_request", args=[r.pk]),
            order=40,
        )
        for r in waiting
    ]


def can_view_snapshots(user: User, account: SocialAccount) -> bool:
    return can_view_account(user, account)
