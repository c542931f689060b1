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

import datetime
import hashlib
import logging
import os
import uuid

from celery import Task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import notify
from archive.errors import SnapshotError
from archive.models import (
    Direction,
    Snapshot,
    SnapshotReason,
    SnapshotRequest,
    SnapshotScreenshot,
)
from archive.register.services import Entry, register_record
from archive.snapshots.permissions import can_request_snapshot
from archive.snapshots.rendering import (
    _period,
    _png_data_intact,
    snapshot_document,
    write_snapshot_pdf,
)
from archive.snapshots.selectors import FRESH_DAYS, PENDING, account_people, accounts_due_yearly
from channels_registry.models import SocialAccount
from nora_social.core.history import set_history_user
from nora_social.core.uploads import CheckedImage, upload_sha256

logger = logging.getLogger(__name__)


def _save(obj: models.Model, actor: User | None) -> None:
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
        about=snapshot_request,
    )


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


def _checked_image(upload: UploadedFile) -> CheckedImage:
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
    upload: UploadedFile,
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
    snapshot_request.queued_by = actor
    _save(snapshot_request, actor)
    from archive.snapshots.tasks import make_snapshot

    request_pk, actor_pk = snapshot_request.pk, actor.pk
    transaction.on_commit(lambda: _queue(make_snapshot, request_pk, actor_pk))
    return snapshot_request


def _queue(task: Task, request_pk: int, actor_pk: int) -> None:
    try:
        task.apply_async(args=[request_pk, actor_pk], retry=False)
    except Exception:  # noqa: BLE001 - broker away: the request stays queued, retry below
        logger.warning("Could not queue snapshot %s; make_pending_snapshots will.", request_pk)


def _temp_path() -> str:
    """A new name beside the archive for the file being made; the final name
    appears only by an atomic rename."""
    tmp_dir = os.path.join(settings.MEDIA_ROOT, "snapshots", "tmp")
    os.makedirs(tmp_dir, exist_ok=True)
    return os.path.join(tmp_dir, f"{uuid.uuid4().hex}.part")


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
    document = snapshot_document(snapshot_request, made_by=actor, today=today)
    temp_path = _temp_path()
    try:
        # Validated, written with the app's mode and flushed to disk there; the
        # hash is of the bytes on disk.
        write_snapshot_pdf(document, temp_path)
        with open(temp_path, "rb") as handle:
            sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
        return _record_snapshot(
            request_id=request_id, actor=actor, sha256=sha256, temp_path=temp_path, today=today
        )
    finally:
        if os.path.exists(temp_path):
            os.remove(temp_path)


@transaction.atomic
def _record_snapshot(
    *, request_id: int, actor: User | None, sha256: str, temp_path: str, today: datetime.date
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
        sha256=sha256,
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


def open_final_request(*, account_id: int, actor: User | None = None, **_kwargs: object) -> None:
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
