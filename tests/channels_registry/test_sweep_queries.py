"""Each rule looks at all accounts in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Absence, User
from channels_registry.models import AccountMember, SocialAccount
from tests.channels_registry.compliance_support import REGISTER_RULES, sweep
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def _bulk_accounts(n: int, unit, platform) -> None:
    """n active accounts, each with one credential holder on holiday next week,
    no escrow and no checklist: every register rule has something to say."""
    accounts = SocialAccount.objects.bulk_create(
        SocialAccount(
            platform=platform,
            unit=unit,
            display_name=f"Nora kommun Konto {i}",
            handle=f"norakommun.konto{unit.pk}x{i}",
            purpose="Informera.",
            contact="konto@nora.se",
            update_frequency_text="Varje vecka",
            response_time_text="Inom en dag",
            status=SocialAccount.Status.ACTIVE,
        )
        for i in range(n)
    )
    users = User.objects.bulk_create(User(username=f"bulk{unit.pk}-{i}") for i in range(n))
    AccountMember.objects.bulk_create(
        AccountMember(
            account=a,
            user=u,
            role=AccountMember.Role.OWNER,
            holds_credentials=True,
            starts_on=datetime.date(2020, 1, 1),
        )
        for a, u in zip(accounts, users, strict=True)
    )
    soon = datetime.date.today() + datetime.timedelta(days=3)
    Absence.objects.bulk_create(
        Absence(user=u, starts_on=soon, ends_on=soon + datetime.timedelta(days=7)) for u in users
    )


def _sweep_queries(n: int, unit, platform) -> tuple[int, int]:
    _bulk_accounts(n, unit, platform)
    with CaptureQueriesContext(connection) as first:
        summary = sweep()
    assert summary.per_rule["people_rules"] == n
    assert summary.per_rule["coverage"] == n
    with CaptureQueriesContext(connection) as second:
        summary = sweep()
    assert summary.still_open == len(REGISTER_RULES) * n and summary.opened == 0
    return len(first), len(second)


@pytest.mark.parametrize("rule_code", REGISTER_RULES)
def test_each_rule_runs_a_fixed_number_of_queries(rule_code, org, platform):
    from django.utils import timezone

    from channels_registry.compliance.engine import SweepContext, get_rule

    counts = []
    for n in (10, 1000):
        unit = UnitFactory(administration=org["administration"])
        _bulk_accounts(n, unit, platform)
        ctx = SweepContext(now=timezone.now(), today=timezone.localdate())
        with CaptureQueriesContext(connection) as ctx_queries:
            hits = list(get_rule(rule_code).evaluate(ctx))
        assert hits
        counts.append(len(ctx_queries))
    assert counts[0] == counts[1]


def test_sweep_query_count_is_the_same_for_10_and_1000_accounts(org, platform):
    small = _sweep_queries(10, UnitFactory(administration=org["administration"]), platform)
    SocialAccount.objects.update(status=SocialAccount.Status.CLOSED)
    sweep()  # resolves the first batch's findings
    large = _sweep_queries(1000, UnitFactory(administration=org["administration"]), platform)
    # The steady state (findings kept open) is the same everywhere; the first run
    # inserts in batches, which SQLite limits by its bound-parameter count.
    assert small[1] == large[1]
    if connection.vendor == "postgresql":
        assert small[0] == large[0]
