"""The sweep is idempotent: a finding that holds stays one open finding; one that
no longer holds is resolved with the time; one that returns is a new finding."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from channels_registry.compliance.digest import send_digests
from channels_registry.compliance.engine import last_full_sweep, run_sweep
from channels_registry.models import Digest, Finding, SweepRun
from tests.channels_registry.compliance_support import compliant_account, open_codes, sweep


@pytest.fixture
def account(org, staff, colleague, platform):
    return compliant_account(org["unit"], staff, colleague, platform)


@pytest.mark.django_db
def test_running_twice_keeps_one_open_finding(account):
    account.escrow_deposits.update(retired_at=timezone.now())
    sweep()
    sweep()
    assert Finding.objects.filter(rule_code="escrow_missing_or_stale").count() == 1


@pytest.mark.django_db
def test_fixed_finding_is_resolved_and_a_relapse_is_a_new_finding(account):
    deposit = account.escrow_deposits.get()
    account.escrow_deposits.update(retired_at=timezone.now())
    sweep()
    first = Finding.objects.get(rule_code="escrow_missing_or_stale")
    type(deposit).objects.filter(pk=deposit.pk).update(retired_at=None)
    sweep()
    first.refresh_from_db()
    assert first.resolved_at is not None
    account.escrow_deposits.update(retired_at=timezone.now())
    sweep()
    assert Finding.objects.filter(rule_code="escrow_missing_or_stale").count() == 2
    assert open_codes(account) == {"escrow_missing_or_stale"}


@pytest.mark.django_db
def test_recheck_of_one_account_leaves_others_findings_alone(org, staff, colleague, platform):
    a = compliant_account(org["unit"], staff, colleague, platform)
    b = compliant_account(org["unit"], staff, colleague, platform)
    for account in (a, b):
        account.escrow_deposits.update(retired_at=timezone.now())
    sweep()
    sweep(account_ids=[a.pk])
    assert Finding.objects.filter(resolved_at__isnull=True).count() == 2
    run = SweepRun.objects.order_by("-pk").first()
    assert run.scoped


@pytest.mark.django_db
def test_a_failing_rule_leaves_its_findings_open_and_the_run_incomplete(account):
    from channels_registry.compliance import engine

    account.escrow_deposits.update(retired_at=timezone.now())
    sweep()

    def broken(ctx):
        raise RuntimeError("boom")

    rule = engine.get_rule("escrow_missing_or_stale")
    engine.register_rule(
        engine.Rule(
            rule.code, rule.title, rule.severity, rule.policy_section, rule.responsible, broken
        )
    )
    try:
        with pytest.raises(engine.SweepIncomplete):
            run_sweep(codes=["escrow_missing_or_stale"])
    finally:
        engine.register_rule(rule)
    assert open_codes(account) == {"escrow_missing_or_stale"}
    assert SweepRun.objects.order_by("-pk").first().failed_rules == "escrow_missing_or_stale"
    assert last_full_sweep() is None


def _at_once(fn, n=2):
    """Run fn in n threads released together; each closes its own connection."""
    barrier = threading.Barrier(n)
    errors = []

    def work():
        try:
            barrier.wait()
            fn()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_open_no_duplicates_and_send_one_digest(org, staff, colleague, platform):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are tested on PostgreSQL")
    accounts = [compliant_account(org["unit"], staff, colleague, platform) for _ in range(5)]
    for account in accounts:
        account.escrow_deposits.update(retired_at=timezone.now())
    colleague.is_active = False
    colleague.save()
    assert _at_once(sweep, n=3) == []
    open_findings = Finding.objects.filter(resolved_at__isnull=True)
    assert open_findings.count() == 5 * 3  # escrow, people rules and deputy per account
    assert open_findings.values("rule_code", "account", "key").distinct().count() == 15
    mail.outbox.clear()
    assert _at_once(send_digests, n=3) == []
    assert Digest.objects.filter(recipient=staff).count() == 1
    assert Digest.objects.count() == 1
    assert staff.notifications.count() == 1
    assert len([m for m in mail.outbox if staff.email in m.to]) == 1
