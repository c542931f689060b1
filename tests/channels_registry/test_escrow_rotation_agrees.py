"""The escrow page's "Bör bytas senast" date and the sweep's stale-escrow rule
are one rule (§3): ESCROW_ROTATION_MONTHS calendar months from the deposit."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from channels_registry.models import EscrowDeposit
from tests.channels_registry.compliance_support import compliant_account, open_codes, sweep

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DEPOSITED = datetime.datetime(2025, 3, 10, 10, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def account(org, staff, colleague, platform):
    account = compliant_account(org["unit"], staff, colleague, platform)
    EscrowDeposit.objects.filter(account=account).update(deposited_at=DEPOSITED)
    return account


def _page(client_for, info_officer, account) -> str:
    url = reverse("channels_registry:escrow_overview", args=[account.pk])
    return client_for(info_officer).get(url).content.decode()


@pytest.mark.parametrize(
    ("months", "day_before", "day_after", "due"),
    [
        (12, datetime.date(2026, 3, 8), datetime.date(2026, 3, 11), "2026-03-10"),
        (6, datetime.date(2025, 9, 9), datetime.date(2025, 9, 11), "2025-09-10"),
    ],
)
def test_change_before_date_and_stale_rule_agree(
    client_for, info_officer, account, settings, months, day_before, day_after, due
):
    settings.ESCROW_ROTATION_MONTHS = months
    noon = datetime.time(12, tzinfo=STOCKHOLM)
    with time_machine.travel(datetime.datetime.combine(day_before, noon), tick=False):
        sweep()
        html = _page(client_for, info_officer, account)
        assert f"<dd>{due}" in html
        assert "Dags att byta lösenord" not in html
        assert "escrow_missing_or_stale" not in open_codes(account)
    with time_machine.travel(datetime.datetime.combine(day_after, noon), tick=False):
        sweep()
        html = _page(client_for, info_officer, account)
        assert f"<dd>{due}" in html
        assert "Dags att byta lösenord" in html
        assert "escrow_missing_or_stale" in open_codes(account)
