"""Starting to close an account opens the final snapshot's request (§10) through
the account-closing hook and asks the people on the account to upload."""

import pytest

from accounts.models import Notification
from archive.models import SnapshotReason, SnapshotRequest
from channels_registry import lifecycle_services

pytestmark = pytest.mark.django_db


def test_starting_to_close_opens_the_final_request_and_notifies_the_people(
    account, staff, colleague, manager, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle_services.account_start_closing(
            account_id=account.pk, actor=manager, reason="Slut"
        )
    request = SnapshotRequest.objects.get(account=account)
    assert request.reason == SnapshotReason.FINAL
    assert request.status == SnapshotRequest.Status.OPEN
    assert request.history.first().history_user == manager
    notified = set(
        Notification.objects.filter(subject__contains="ögonblicksbild").values_list(
            "recipient", flat=True
        )
    )
    assert notified == {staff.pk, colleague.pk}
    assert {m.to[0] for m in mailoutbox} == {staff.email, colleague.email}


def test_a_waiting_yearly_request_becomes_the_final_one_and_people_are_told(
    account, staff, manager, django_capture_on_commit_callbacks
):
    from archive.snapshots import services as snapshots

    yearly = snapshots.snapshot_request_create(account_id=account.pk, actor=None, reason="yearly")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle_services.account_start_closing(
            account_id=account.pk, actor=manager, reason="Slut"
        )
    yearly.refresh_from_db()
    assert yearly.reason == SnapshotReason.FINAL
    assert SnapshotRequest.objects.filter(account=account).count() == 1
    assert Notification.objects.filter(recipient=staff, url__contains=str(yearly.pk)).exists()
