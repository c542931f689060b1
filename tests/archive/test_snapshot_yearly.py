import datetime

import pytest
from django.utils import timezone

from accounts.models import Notification
from archive.models import Snapshot, SnapshotRequest
from archive.snapshots import services as snapshots
from tests.archive.snapshot_helpers import make_snapshot

pytestmark = pytest.mark.django_db


def test_yearly_run_asks_the_accounts_people_once(account, staff, colleague):
    made = snapshots.request_yearly_snapshots()
    assert [r.account_id for r in made] == [account.pk]
    assert made[0].reason == "yearly" and made[0].requested_by is None
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        staff.pk,
        colleague.pk,
    }
    assert snapshots.request_yearly_snapshots() == []
    assert SnapshotRequest.objects.count() == 1


def test_yearly_run_skips_accounts_with_a_recent_snapshot(account, staff):
    make_snapshot(account, staff)
    assert snapshots.request_yearly_snapshots() == []


def test_yearly_run_asks_again_eleven_months_after_the_last_snapshot(account, staff):
    snapshot = make_snapshot(account, staff)
    Snapshot.objects.filter(pk=snapshot.pk).update(
        made_at=timezone.now() - datetime.timedelta(days=340)
    )
    assert len(snapshots.request_yearly_snapshots()) == 1


def test_yearly_run_skips_recently_activated_accounts(account):
    account.activated_on = timezone.localdate() - datetime.timedelta(days=30)
    account.save()
    assert snapshots.request_yearly_snapshots() == []
