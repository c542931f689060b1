"""Disposal of snapshots under a retention decision: what is due goes with its
request, screenshots, history rows, register entry and files; held snapshots
stay; the newest and the final snapshot of an account not closed are never due."""

import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from accounts.services import notify
from archive.disposal import selectors as disposal_selectors
from archive.disposal import services as disposal
from archive.models import (
    Direction,
    DisposableType,
    DisposalEntry,
    DisposedRecord,
    Document,
    Hold,
    RetentionDecision,
    Snapshot,
    SnapshotReason,
    SnapshotRequest,
    SnapshotScreenshot,
)
from archive.register import services
from channels_registry.models import SocialAccount
from tests.archive.conftest import retention_decision
from tests.moderation.conftest import image_bytes

pytestmark = pytest.mark.django_db


decision = retention_decision


def years_ago(years: int, days: int = 10) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=365 * years + days)


def snapshot(account, actor, *, made_at, final=False, register_with=None):
    """A snapshot row with its request, one uploaded screenshot and the PDF file."""
    snapshot_request = SnapshotRequest.objects.create(
        account=account,
        reason=SnapshotReason.FINAL if final else SnapshotReason.YEARLY,
        requested_by=actor,
        status=SnapshotRequest.Status.DONE,
    )
    image = image_bytes()
    shot = SnapshotScreenshot(
        request=snapshot_request,
        content_type="image/png",
        sha256=hashlib.sha256(image).hexdigest(),
        uploaded_by=actor,
    )
    shot.image.save("shot.png", ContentFile(image), save=False)
    shot.save()
    data = b"%PDF-1.7 snapshot of the account"
    made = Snapshot(
        request=snapshot_request,
        account=account,
        reason=snapshot_request.reason,
        final=final,
        period_start=timezone.localdate(made_at) - datetime.timedelta(days=365),
        period_end=timezone.localdate(made_at),
        screenshots_taken_on=timezone.localdate(made_at),
        made_at=made_at,
        made_by=actor,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    made.pdf.save("snapshot.pdf", ContentFile(data), save=False)
    made.save()
    if register_with is not None:
        services.register_record(
            record=made,
            actor=register_with,
            entry=services.Entry(
                direction=Direction.DRAWN_UP,
                document_date=timezone.localdate(),
                subject="Ögonblicksbild av konto i sociala medier",
                handling_officer=register_with,
            ),
        )
    return made


def files_of(made: Snapshot) -> list[tuple]:
    shot = made.request.screenshots.get()
    return [(made.pdf.storage, made.pdf.name), (shot.image.storage, shot.image.name)]


# --- Snapshots -----------------------------------------------------------------


def test_snapshot_disposal_removes_due_ones_with_files_history_and_register_entry(
    account, staff, registrar, django_capture_on_commit_callbacks
):
    due = snapshot(account, staff, made_at=years_ago(5), register_with=registrar)
    reference = Document.objects.get().reference
    held = snapshot(account, staff, made_at=years_ago(4))
    newest = snapshot(account, staff, made_at=years_ago(3))  # still the account's current one
    due_files = files_of(due)
    due_request, due_shot = due.request_id, due.request.screenshots.get().pk
    disposal.hold_place(
        actor=registrar,
        kind=Hold.Kind.RECORDS_REQUEST,
        reference="KS 2026/40",
        record_type=DisposableType.SNAPSHOT,
        record_id=held.pk,
    )
    rule = decision(registrar, DisposableType.SNAPSHOT)
    # The notices that asked for each snapshot lead to its request.
    due_url, held_url = (
        reverse("archive:snapshot_request", args=[made.request_id]) for made in (due, held)
    )
    for url in (due_url, held_url):
        notify(recipients=[staff], subject="Dags för en ögonblicksbild", body="", url=url)

    preview = disposal_selectors.disposal_preview(decision=rule)
    assert [item.record.pk for item in preview.due] == [due.pk]
    assert [item.record.pk for item in preview.held] == [held.pk]
    assert preview.due[0].reference == reference

    with django_capture_on_commit_callbacks(execute=True):
        entry = disposal.disposal_run(decision_id=rule.pk, actor=registrar, expected_ids=[due.pk])

    assert set(Snapshot.objects.values_list("pk", flat=True)) == {held.pk, newest.pk}
    assert not Snapshot.history.filter(id=due.pk).exists()
    assert not SnapshotRequest.objects.filter(pk=due_request).exists()
    assert not SnapshotRequest.history.filter(id=due_request).exists()
    assert not SnapshotScreenshot.objects.filter(pk=due_shot).exists()
    assert not SnapshotScreenshot.history.filter(id=due_shot).exists()
    assert not Document.objects.exists() and not Document.history.exists()
    for storage, name in due_files:
        assert not storage.exists(name)
    assert not Notification.objects.filter(url=due_url).exists()
    assert Notification.objects.filter(url=held_url).exists()
    for kept in (held, newest):
        for storage, name in files_of(kept):
            assert storage.exists(name)

    entry = DisposalEntry.objects.get(pk=entry.pk)
    assert (entry.record_type, entry.record_count, entry.file_count, entry.skipped_held) == (
        DisposableType.SNAPSHOT,
        1,
        2,
        1,
    )
    assert entry.history_row_count >= 4  # snapshot, request, screenshot, register entry
    gone = DisposedRecord.objects.get()
    assert (gone.record_id, gone.reference) == (due.pk, reference)


def test_newest_and_final_snapshots_stay_while_the_account_is_not_closed(account, staff, registrar):
    older = snapshot(account, staff, made_at=years_ago(6))
    final = snapshot(account, staff, made_at=years_ago(5), final=True)
    rule = decision(registrar, DisposableType.SNAPSHOT)
    not_current = decision(
        registrar, DisposableType.SNAPSHOT, rule=RetentionDecision.Rule.NOT_CURRENT
    )

    assert [i.record.pk for i in disposal_selectors.disposal_preview(decision=rule).due] == [
        older.pk
    ]
    assert [i.record.pk for i in disposal_selectors.disposal_preview(decision=not_current).due] == [
        older.pk
    ]

    # Once the account is closed, the decision reaches the final snapshot too.
    SocialAccount.objects.filter(pk=account.pk).update(status=SocialAccount.Status.CLOSED)
    assert {i.record.pk for i in disposal_selectors.disposal_preview(decision=rule).due} == {
        older.pk,
        final.pk,
    }


def test_an_account_hold_keeps_its_snapshots(account, staff, registrar):
    old = snapshot(account, staff, made_at=years_ago(6))
    snapshot(account, staff, made_at=years_ago(5))
    disposal.hold_place(
        actor=registrar, kind=Hold.Kind.APPEAL, reference="KS 2026/41", account=account
    )
    rule = decision(registrar, DisposableType.SNAPSHOT)
    preview = disposal_selectors.disposal_preview(decision=rule)
    assert preview.due == [] and [i.record.pk for i in preview.held] == [old.pk]
