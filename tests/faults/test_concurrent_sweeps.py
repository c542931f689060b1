"""Sweeps at once (the nightly run beside re-checks of single accounts, and the
daily digest beside a sweep) open no duplicate finding and send no duplicate
digest or notification. Extends tests/channels_registry/test_sweep_idempotent.py,
which races identical full sweeps and identical digest runs."""

import threading

import pytest
from django.core import mail
from django.db import connections
from django.utils import timezone

from channels_registry.compliance.digest import send_digests
from channels_registry.compliance.engine import run_sweep
from channels_registry.models import Digest, Finding, SweepRun
from tests.channels_registry.compliance_support import compliant_account

pytestmark = pytest.mark.django_db(transaction=True)


def _together(*fns):
    """Run each fn in its own thread, released together; errors are returned."""
    barrier = threading.Barrier(len(fns))
    errors = []

    def work(fn):
        try:
            barrier.wait()
            fn()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(fn,)) for fn in fns]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.fixture
def broken_accounts(postgres_only, org, staff, colleague, platform):
    accounts = [compliant_account(org["unit"], staff, colleague, platform) for _ in range(4)]
    for account in accounts:
        account.escrow_deposits.update(retired_at=timezone.now())
    return accounts


def _no_duplicate_open_findings():
    open_findings = Finding.objects.filter(resolved_at__isnull=True)
    distinct = open_findings.values("rule_code", "account", "key").distinct().count()
    assert open_findings.count() == distinct


def test_sweeps_beside_rechecks_and_digests_beside_sweeps_duplicate_nothing(broken_accounts, staff):
    """One test for both races: each transactional test costs a flush of every
    table, so they share one."""
    # The nightly sweep twice beside a re-check of each account.
    rechecks = [lambda pk=a.pk: run_sweep(account_ids=[pk]) for a in broken_accounts]
    assert _together(run_sweep, run_sweep, *rechecks) == []

    escrow = Finding.objects.filter(rule_code="escrow_missing_or_stale")
    assert escrow.count() == len(broken_accounts)
    _no_duplicate_open_findings()
    assert SweepRun.objects.filter(finished_at__isnull=True).count() == 0
    # The runs' own counts agree: each finding was opened by exactly one run.
    opened = sum(SweepRun.objects.values_list("opened", flat=True))
    assert opened == Finding.objects.count()

    # Two digest runs beside two more sweeps.
    mail.outbox.clear()
    assert _together(run_sweep, send_digests, run_sweep, send_digests) == []

    _no_duplicate_open_findings()
    assert escrow.count() == len(broken_accounts)
    assert Digest.objects.filter(recipient=staff).count() == 1
    assert staff.notifications.count() == 1
    assert len([m for m in mail.outbox if staff.email in m.to]) == 1
    digest = Digest.objects.get(recipient=staff)
    assert digest.items.count() == digest.items.values("finding").distinct().count()
    assert digest.items.filter(finding__rule_code="escrow_missing_or_stale").count() == len(
        broken_accounts
    )
