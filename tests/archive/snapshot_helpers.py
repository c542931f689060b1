"""Helpers for the snapshot tests: a request with one uploaded screenshot, and
making the snapshot as the task does (without a broker)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import SnapshotReason, SnapshotRequest
from archive.snapshots import services as snapshots
from tests.moderation.conftest import image_bytes


def png(name="skarm.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG", **kwargs), content_type="image/png")


def request_with_screenshot(account, actor, *, reason=SnapshotReason.MAJOR_CHANGE, **kwargs):
    note = "Ny profilbild och nytt namn." if reason == SnapshotReason.MAJOR_CHANGE else ""
    made = snapshots.snapshot_request_create(
        account_id=account.pk, actor=actor, reason=reason, note=note
    )
    snapshots.screenshot_add(
        request_id=made.pk, actor=actor, upload=png(), caption="Profilsidan", **kwargs
    )
    return made


def queue(snapshot_request: SnapshotRequest, actor) -> SnapshotRequest:
    """Mark the request queued; the on_commit queueing never fires in a test
    transaction, so the test runs the task's work itself."""
    return snapshots.snapshot_make_start(request_id=snapshot_request.pk, actor=actor)


def make_snapshot(account, actor, **kwargs):
    snapshot_request = request_with_screenshot(account, actor, **kwargs)
    queue(snapshot_request, actor)
    return snapshots.snapshot_render(request_id=snapshot_request.pk, actor_id=actor.pk)


def final_snapshot_row(account, actor):
    """A final snapshot row with a small stored file, without rendering a PDF:
    for tests elsewhere that only need an account to be closable (§10)."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from archive.models import Snapshot

    snapshot_request = SnapshotRequest.objects.create(
        account=account, reason=SnapshotReason.FINAL, requested_by=actor, status="done"
    )
    data = b"%PDF-1.7 test"
    snapshot = Snapshot(
        request=snapshot_request,
        account=account,
        reason=SnapshotReason.FINAL,
        final=True,
        period_start=timezone.localdate(),
        period_end=timezone.localdate(),
        screenshots_taken_on=timezone.localdate(),
        made_by=actor,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    snapshot.pdf.save("final.pdf", ContentFile(data), save=False)
    snapshot.save()
    return snapshot
