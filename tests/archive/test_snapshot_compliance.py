import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from archive.models import Snapshot
from archive.snapshots.compliance import no_recent_snapshot
from channels_registry.compliance.engine import SweepContext, run_sweep
from channels_registry.models import Finding, SocialAccount
from tests.archive.snapshot_helpers import make_snapshot
from tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db


def _open(account):
    return Finding.objects.filter(
        rule_code="no_recent_snapshot", account=account, resolved_at__isnull=True
    )


def test_rule_opens_a_finding_and_a_fresh_snapshot_resolves_it(account, staff):
    run_sweep(codes=["no_recent_snapshot"])
    assert _open(account).count() == 1
    make_snapshot(account, staff)
    run_sweep(codes=["no_recent_snapshot"])
    assert not _open(account).exists()
    assert Finding.objects.filter(rule_code="no_recent_snapshot", account=account).count() == 1


def test_snapshot_whose_screenshots_are_older_than_12_months_does_not_count(account, staff):
    snapshot = make_snapshot(account, staff)
    old = timezone.localdate() - datetime.timedelta(days=370)
    Snapshot.objects.filter(pk=snapshot.pk).update(screenshots_taken_on=old)
    run_sweep(codes=["no_recent_snapshot"])
    assert old.isoformat() in _open(account).get().message


def test_account_activated_less_than_12_months_ago_is_exempt(account):
    account.activated_on = timezone.localdate() - datetime.timedelta(days=100)
    account.save()
    run_sweep(codes=["no_recent_snapshot"])
    assert not _open(account).exists()


def _queries(n: int) -> int:
    SocialAccountFactory.create_batch(
        n,
        status=SocialAccount.Status.ACTIVE,
        activated_on=timezone.localdate() - datetime.timedelta(days=400),
    )
    now = timezone.now()
    ctx = SweepContext(now=now, today=timezone.localdate(now))
    with CaptureQueriesContext(connection) as captured:
        hits = list(no_recent_snapshot(ctx))
    assert len(hits) >= n
    return len(captured)


def test_rule_runs_in_the_same_number_of_queries_for_10_and_100_accounts(db):
    few = _queries(10)
    many = _queries(90)
    assert few == many == 1
