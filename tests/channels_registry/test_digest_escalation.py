"""The daily digest: one per person and day, owner first, then the manager at 7
days and the head of administration at 14; every digest logged."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Absence
from channels_registry.compliance.digest import send_digests
from channels_registry.models import Digest, DigestItem, Finding
from tests.channels_registry.compliance_support import compliant_account, sweep

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 8, tzinfo=datetime.UTC)


def _day(n: int) -> datetime.datetime:
    return START + datetime.timedelta(days=n)


@pytest.fixture
def broken(org, staff, colleague, platform):
    """An account with two findings (no escrow, checklist incomplete)."""
    account = compliant_account(org["unit"], staff, colleague, platform)
    account.escrow_deposits.update(retired_at=timezone.now())
    account.checklist.all().delete()
    with time_machine.travel(_day(0), tick=False):
        sweep()
    return account


_capture = None


@pytest.fixture(autouse=True)
def _mail_after_commit(django_capture_on_commit_callbacks):
    global _capture
    _capture = django_capture_on_commit_callbacks
    yield
    _capture = None


def _recipients(day: int) -> dict[str, set[str]]:
    """Send the digests of day ``day``; mails go out as after a real commit."""
    with time_machine.travel(_day(day), tick=False):
        mail.outbox.clear()
        with _capture(execute=True):
            logs = send_digests()
    return {log.recipient.username: set(log.items.values_list("reason", flat=True)) for log in logs}


def test_owner_gets_one_digest_with_all_findings_not_one_mail_each(broken, staff):
    assert _recipients(0) == {"medarbetare": {"owner"}}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [staff.email]
    assert "2 brister" in mail.outbox[0].subject
    assert staff.notifications.count() == 1
    assert Digest.objects.get().items.count() == 2


def test_a_second_run_the_same_day_sends_nothing(broken, staff):
    _recipients(0)
    assert _recipients(0) == {}
    assert staff.notifications.count() == 1


def test_the_next_day_brings_a_new_digest(broken, staff):
    _recipients(0)
    assert _recipients(1) == {"medarbetare": {"owner"}}
    assert staff.notifications.count() == 2


def test_manager_is_told_after_7_days_and_head_after_14(broken):
    assert set(_recipients(6)) == {"medarbetare"}
    assert _recipients(7) == {"medarbetare": {"owner"}, "chef": {"manager"}}
    assert _recipients(14) == {
        "medarbetare": {"owner"},
        "chef": {"manager"},
        "forvaltningschef": {"head"},
    }
    assert set(Finding.objects.values_list("escalation_level", flat=True)) == {2}


def test_escalation_days_are_configurable(broken, settings):
    settings.FINDING_ESCALATE_MANAGER_DAYS = 2
    assert set(_recipients(2)) == {"medarbetare", "chef"}


def test_owner_away_means_the_deputy_is_told(broken, staff, colleague):
    Absence.objects.create(
        user=staff, starts_on=_day(0).date(), ends_on=_day(5).date(), note="Semester"
    )
    assert _recipients(1) == {"kollega": {"deputy"}}


def test_an_account_without_owner_or_deputy_goes_to_the_manager_at_once(broken, staff, colleague):
    broken.members.update(ends_on=datetime.date(2026, 3, 1))
    with time_machine.travel(_day(0), tick=False):
        sweep()
    assert set(_recipients(0)) == {"chef"}


def test_each_digest_is_logged_with_findings_recipient_and_time(broken, staff):
    _recipients(0)
    log = Digest.objects.get()
    assert log.recipient == staff
    assert log.sent_at == _day(0)
    assert log.notification.recipient == staff
    assert set(DigestItem.objects.values_list("finding__rule_code", flat=True)) == {
        "escrow_missing_or_stale",
        "checklist_incomplete",
    }


def test_resolved_findings_are_not_reminded(broken, staff):
    Finding.objects.update(resolved_at=timezone.now())
    assert _recipients(0) == {}


def test_no_secret_reaches_the_digest(broken, staff):
    _recipients(0)
    assert "recovery-secret" not in mail.outbox[0].body


def test_send_digests_command(broken, capsys):
    with time_machine.travel(_day(0), tick=False):
        call_command("send_digests")
    assert "Sent 1 digests." in capsys.readouterr().out
