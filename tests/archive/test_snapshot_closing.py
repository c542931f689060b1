import pytest

from archive.models import SnapshotReason
from archive.snapshots import selectors as snapshot_selectors
from archive.snapshots import services as snapshots
from channels_registry import lifecycle_services
from channels_registry import services as registry
from channels_registry.models import SocialAccount
from tests.archive.snapshot_helpers import make_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def closing(account, staff):
    return lifecycle_services.account_start_closing(
        account_id=account.pk, actor=staff, reason="Verksamheten flyttar till nora.se"
    )


def test_closing_is_refused_without_the_final_snapshot(closing, staff):
    with pytest.raises(registry.RegistryError) as refused:
        lifecycle_services.account_close(account_id=closing.pk, actor=staff, outcome="deleted")
    assert any("slutliga ögonblicksbilden" in p for p in refused.value.messages)
    closing.refresh_from_db()
    assert closing.status == SocialAccount.Status.CLOSING


def test_a_yearly_snapshot_from_before_closing_does_not_count(account, staff):
    import datetime

    from archive.models import Snapshot

    snapshot = make_snapshot(account, staff)
    Snapshot.objects.filter(pk=snapshot.pk).update(
        made_at=snapshot.made_at - datetime.timedelta(days=30)
    )
    closing = lifecycle_services.account_start_closing(
        account_id=account.pk, actor=staff, reason="Slut"
    )
    assert snapshot_selectors.final_snapshot_missing(closing)


def test_closing_is_allowed_with_the_final_snapshot(closing, staff):
    snapshot = make_snapshot(closing, staff, reason=SnapshotReason.FINAL)
    assert snapshot.final is True
    closed = lifecycle_services.account_close(account_id=closing.pk, actor=staff, outcome="deleted")
    assert closed.status == SocialAccount.Status.CLOSED


def test_final_request_takes_over_a_waiting_yearly_request(account, staff):
    yearly = snapshots.snapshot_request_create(account_id=account.pk, actor=None, reason="yearly")
    lifecycle_services.account_start_closing(account_id=account.pk, actor=staff, reason="Slut")
    final = snapshots.snapshot_request_create(
        account_id=account.pk, actor=staff, reason=SnapshotReason.FINAL
    )
    assert final.pk == yearly.pk and final.reason == SnapshotReason.FINAL


def test_final_snapshot_cannot_be_asked_for_an_active_account(account, staff):
    with pytest.raises(snapshots.SnapshotError):
        snapshots.snapshot_request_create(
            account_id=account.pk, actor=staff, reason=SnapshotReason.FINAL
        )
