"""A real Celery worker against Redis runs the beat-scheduled tasks
(DESIGN.md: the database is the truth, tasks are triggers)."""

import pytest
from django.conf import settings
from django.core import mail

from channels_registry.models import AccountMember, Digest, Finding, SweepRun
from nora_social.celery import app
from tests.celery_support import running_worker, wait_for
from tests.channels_registry.compliance_support import compliant_account
from tests.factories import UserFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(redis_url):
    with running_worker(redis_url, "nora-test") as w:
        yield w


def _send_beat_entry(name: str):
    entry = settings.CELERY_BEAT_SCHEDULE[name]
    return app.send_task(
        entry["task"],
        kwargs=entry.get("kwargs", {}),
        queue=app.conf.task_default_queue,
        **entry.get("options", {}),
    )


def _sweeps_done() -> int:
    return SweepRun.objects.filter(finished_at__isnull=False, scoped=False).count()


def test_beat_entries_all_expire_before_their_next_run():
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert "expires" in entry.get("options", {}), name


def test_worker_runs_the_nightly_sweep_and_digest_deactivation_to_resolution(
    worker, org, staff, colleague, platform
):
    """Deactivating one of two credential holders produces a finding and a digest
    to the owner; fixing it resolves the finding on the next sweep."""
    account = compliant_account(org["unit"], staff, colleague, platform)
    colleague.is_active = False
    colleague.save()

    _send_beat_entry("compliance-nightly-full-sweep")
    assert wait_for(lambda: _sweeps_done() >= 1)
    people = Finding.objects.filter(account=account, rule_code="people_rules")
    assert people.filter(resolved_at__isnull=True).count() == 1

    mail.outbox.clear()
    _send_beat_entry("compliance-daily-digest")
    assert wait_for(lambda: Digest.objects.filter(recipient=staff).exists())
    digest = Digest.objects.get(recipient=staff)
    assert people.get() in digest.findings.all()
    assert wait_for(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].to == [staff.email]

    # The fix: a new deputy who holds the credentials replaces the deactivated one.
    AccountMember.objects.filter(account=account, user=colleague).update(
        ends_on=account.activated_on
    )
    AccountMember.objects.create(
        account=account,
        user=UserFactory(username="ny_ersattare", unit=org["unit"]),
        role=AccountMember.Role.DEPUTY,
        holds_credentials=True,
    )
    before = _sweeps_done()
    _send_beat_entry("compliance-nightly-full-sweep")
    assert wait_for(lambda: _sweeps_done() > before)
    assert people.get().resolved_at is not None
    assert not Finding.objects.filter(
        account=account, rule_code__in=["people_rules", "deputy"], resolved_at__isnull=True
    ).exists()


def test_worker_runs_the_hourly_time_critical_sweep(worker, org, staff, colleague, platform):
    compliant_account(org["unit"], staff, colleague, platform)
    _send_beat_entry("compliance-hourly-time-critical")
    assert wait_for(
        lambda: SweepRun.objects.filter(finished_at__isnull=False, time_critical_only=True).exists()
    )
