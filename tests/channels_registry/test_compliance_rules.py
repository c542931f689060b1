"""The register's rules, one behaviour each (§3, §4, §5)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Absence
from channels_registry.compliance.engine import registered_rules
from channels_registry.models import (
    AccessRequest,
    AccountMember,
    ChecklistConfirmation,
    ChecklistItem,
    EscrowDeposit,
    Finding,
)
from tests.channels_registry.compliance_support import compliant_account, open_codes, sweep
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 10)


@pytest.fixture
def account(org, staff, colleague, platform):
    return compliant_account(org["unit"], staff, colleague, platform)


def test_every_rule_has_code_swedish_title_severity_section_and_responsible():
    codes = {r.code for r in registered_rules()}
    assert {
        "people_rules",
        "deputy",
        "escrow_missing_or_stale",
        "checklist_incomplete",
        "coverage",
    } <= codes
    for current in registered_rules():
        assert current.title and current.policy_section.startswith("§")
        assert current.severity in Finding.Severity.values
        assert current.responsible


def test_compliant_account_has_no_findings(account):
    sweep()
    assert open_codes(account) == set()


def test_account_without_escrow_gets_a_finding(account):
    account.escrow_deposits.update(retired_at=timezone.now())
    sweep()
    finding = Finding.objects.get(account=account, rule_code="escrow_missing_or_stale")
    assert finding.key == "missing"
    assert "recovery-secret" not in finding.message


def test_escrow_older_than_rotation_period_is_stale(account, settings):
    settings.ESCROW_ROTATION_MONTHS = 12
    deposit = account.escrow_deposits.get()
    EscrowDeposit.objects.filter(pk=deposit.pk).update(
        deposited_at=timezone.now() - datetime.timedelta(days=370)
    )
    sweep()
    assert Finding.objects.get(account=account, rule_code="escrow_missing_or_stale").key == "stale"


def test_escrow_within_rotation_period_is_fine(account, settings):
    settings.ESCROW_ROTATION_MONTHS = 12
    EscrowDeposit.objects.filter(account=account).update(
        deposited_at=timezone.now() - datetime.timedelta(days=300)
    )
    sweep()
    assert "escrow_missing_or_stale" not in open_codes(account)


def test_facebook_account_must_confirm_public_without_login(account):
    ChecklistConfirmation.objects.filter(
        account=account, item=ChecklistItem.PUBLIC_WITHOUT_LOGIN
    ).delete()
    sweep()
    finding = Finding.objects.get(account=account, rule_code="checklist_incomplete")
    assert "utan inloggning" in finding.message


def test_other_platforms_need_not_confirm_public_without_login(org, staff, colleague, instagram):
    account = compliant_account(org["unit"], staff, colleague, instagram)
    assert not account.checklist.filter(item=ChecklistItem.PUBLIC_WITHOUT_LOGIN).exists()
    sweep()
    assert "checklist_incomplete" not in open_codes(account)


def test_deactivating_one_of_two_holders_breaks_the_people_rules(account, colleague):
    colleague.is_active = False
    colleague.save()
    sweep()
    assert {"people_rules", "deputy"} <= open_codes(account)


def test_planned_accounts_are_not_checked(account):
    account.status = "planned"
    account.save()
    account.escrow_deposits.update(retired_at=timezone.now())
    sweep()
    assert open_codes(account) == set()


# --- Coverage (§3 "inte lämnas obevakade") -------------------------------------


def _absent(user, start, end):
    return Absence.objects.create(user=user, starts_on=start, ends_on=end)


@time_machine.travel(datetime.datetime(2026, 6, 10, 9, tzinfo=datetime.UTC), tick=False)
def test_all_holders_away_within_14_days_is_warned_ahead(account, staff, colleague):
    _absent(staff, datetime.date(2026, 6, 20), datetime.date(2026, 7, 10))
    _absent(colleague, datetime.date(2026, 6, 22), datetime.date(2026, 7, 5))
    sweep()
    finding = Finding.objects.get(account=account, rule_code="coverage")
    assert finding.key == "2026-06-22"
    assert "2026-06-22–2026-07-05" in finding.message


@time_machine.travel(datetime.datetime(2026, 6, 10, 9, tzinfo=datetime.UTC), tick=False)
def test_absences_further_ahead_than_14_days_are_not_yet_warned(account, staff, colleague):
    _absent(staff, datetime.date(2026, 6, 26), datetime.date(2026, 7, 10))
    _absent(colleague, datetime.date(2026, 6, 26), datetime.date(2026, 7, 5))
    sweep()
    assert "coverage" not in open_codes(account)


@time_machine.travel(datetime.datetime(2026, 6, 10, 9, tzinfo=datetime.UTC), tick=False)
def test_one_holder_present_is_enough(account, staff, colleague):
    _absent(staff, datetime.date(2026, 6, 12), datetime.date(2026, 7, 10))
    _absent(colleague, datetime.date(2026, 6, 12), datetime.date(2026, 6, 14))
    _absent(colleague, datetime.date(2026, 6, 16), datetime.date(2026, 6, 18))
    sweep()
    keys = set(
        Finding.objects.filter(account=account, rule_code="coverage").values_list("key", flat=True)
    )
    assert keys == {"2026-06-12", "2026-06-16"}


def test_a_covering_holder_added_for_the_period_clears_the_warning(account, staff, colleague):
    with time_machine.travel(datetime.datetime(2026, 6, 10, 9, tzinfo=datetime.UTC), tick=False):
        _absent(staff, datetime.date(2026, 6, 20), datetime.date(2026, 7, 10))
        _absent(colleague, datetime.date(2026, 6, 20), datetime.date(2026, 7, 10))
        sweep()
        assert "coverage" in open_codes(account)
        AccountMember.objects.create(
            account=account,
            user=UserFactory(),
            role=AccountMember.Role.ADMIN,
            holds_credentials=True,
            starts_on=datetime.date(2026, 6, 19),
            ends_on=datetime.date(2026, 7, 11),
        )
        sweep()
    finding = Finding.objects.get(account=account, rule_code="coverage")
    assert finding.resolved_at is not None


def test_a_managers_granted_access_covers_the_period(account, staff, colleague, manager):
    with time_machine.travel(datetime.datetime(2026, 6, 10, 9, tzinfo=datetime.UTC), tick=False):
        _absent(staff, datetime.date(2026, 6, 11), datetime.date(2026, 6, 12))
        _absent(colleague, datetime.date(2026, 6, 11), datetime.date(2026, 6, 12))
        AccessRequest.objects.create(
            account=account,
            requested_by=manager,
            reason="Semester",
            status=AccessRequest.Status.GRANTED,
            decided_by=staff,
            decided_at=timezone.now(),
            valid_until=timezone.now() + datetime.timedelta(hours=72),
        )
        sweep()
    assert "coverage" not in open_codes(account)


def test_an_absence_under_way_keeps_its_finding_open_day_after_day(account, staff, colleague):
    _absent(staff, datetime.date(2026, 6, 20), datetime.date(2026, 7, 10))
    _absent(colleague, datetime.date(2026, 6, 20), datetime.date(2026, 7, 5))
    for day in (10, 21, 30):
        with time_machine.travel(
            datetime.datetime(2026, 6, day, 9, tzinfo=datetime.UTC), tick=False
        ):
            sweep()
    findings = Finding.objects.filter(account=account, rule_code="coverage")
    assert findings.count() == 1
    assert findings.get().resolved_at is None
    with time_machine.travel(datetime.datetime(2026, 7, 6, 9, tzinfo=datetime.UTC), tick=False):
        sweep()
    assert findings.get().resolved_at is not None
