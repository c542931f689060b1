"""``python manage.py run_compliance``: one sweep now, a summary per rule."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from channels_registry.models import SweepRun
from tests.channels_registry.compliance_support import compliant_account

pytestmark = pytest.mark.django_db


def test_run_compliance_prints_a_summary_per_rule(org, staff, colleague, platform, capsys):
    account = compliant_account(org["unit"], staff, colleague, platform)
    account.escrow_deposits.update(retired_at=timezone.now())
    call_command("run_compliance")
    out = capsys.readouterr().out
    assert "escrow_missing_or_stale" in out
    assert "people_rules" in out and "coverage" in out
    assert "Opened" in out
    assert SweepRun.objects.filter(scoped=False, finished_at__isnull=False).exists()


def test_run_compliance_for_one_account_is_a_scoped_run(org, staff, colleague, platform, capsys):
    account = compliant_account(org["unit"], staff, colleague, platform)
    call_command("run_compliance", "--time-critical", "--account", str(account.pk))
    run = SweepRun.objects.get()
    assert run.scoped and run.time_critical_only
    assert "escrow_missing_or_stale" not in capsys.readouterr().out
