"""The information officer's dashboard and the findings list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from channels_registry.models import Finding
from tests.channels_registry.compliance_support import compliant_account, sweep
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("channels_registry:findings_dashboard")
FINDINGS = reverse("channels_registry:findings")


@pytest.fixture
def broken(org, staff, colleague, platform):
    account = compliant_account(org["unit"], staff, colleague, platform)
    account.escrow_deposits.update(retired_at=timezone.now())
    sweep()
    return account


def test_anonymous_is_sent_to_login(client):
    for url in (DASHBOARD, FINDINGS):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_staff_may_not_see_the_dashboard(client_for, staff, outsider):
    assert client_for(staff).get(DASHBOARD).status_code == 403
    assert client_for(outsider).get(DASHBOARD).status_code == 403


def test_information_officer_sees_administrations_accounts_rules_and_chart(
    client_for, info_officer, broken
):
    response = client_for(info_officer).get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kommunstyrelseförvaltningen" in html
    assert broken.display_name in html
    assert "Inloggningsuppgifterna är inte deponerade eller är för gamla" in html
    assert "<svg" in html and 'role="img"' in html
    assert "Öppna brister vid månadens slut" in html  # the chart's text alternative
    assert response.context["open_total"] == 1


def test_time_to_resolve_is_shown_for_resolved_findings(client_for, info_officer, broken):
    finding = Finding.objects.get()
    Finding.objects.filter(pk=finding.pk).update(
        opened_at=timezone.now() - datetime.timedelta(days=4), resolved_at=timezone.now()
    )
    response = client_for(info_officer).get(DASHBOARD)
    rule = next(r for r in response.context["rules"] if r["code"] == "escrow_missing_or_stale")
    assert rule["times"].count == 1
    assert round(rule["times"].median_days) == 4


def test_dashboard_query_count_does_not_grow_with_accounts(client_for, info_officer, org, platform):
    c = client_for(info_officer)
    counts = []
    for n in (5, 50):
        unit = UnitFactory(administration=org["administration"])
        for _ in range(n if not counts else n - 5):
            owner, deputy = UserFactory(), UserFactory()
            account = compliant_account(unit, owner, deputy, platform)
            account.escrow_deposits.update(retired_at=timezone.now())
        sweep()
        with CaptureQueriesContext(connection) as queries:
            assert c.get(DASHBOARD).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_owner_sees_their_accounts_findings(client_for, staff, broken):
    response = client_for(staff).get(FINDINGS)
    assert response.status_code == 200
    assert broken.display_name in response.content.decode()


def test_outsider_sees_no_findings_of_other_units(client_for, outsider, broken):
    response = client_for(outsider).get(FINDINGS)
    assert response.status_code == 200
    assert broken.display_name not in response.content.decode()
    assert list(response.context["page"].object_list) == []


def test_bad_filters_give_a_message_and_no_error(client_for, staff, broken):
    response = client_for(staff).get(FINDINGS, {"status": "x", "regel": "<b>", "konto": "abc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Okänd regel" in html and "Ogiltigt konto" in html
    assert "<b>" not in html


def test_findings_list_filters_by_rule_and_resolved(client_for, info_officer, broken):
    c = client_for(info_officer)
    assert c.get(FINDINGS, {"regel": "coverage"}).context["page"].paginator.count == 0
    assert (
        c.get(FINDINGS, {"regel": "escrow_missing_or_stale"}).context["page"].paginator.count == 1
    )
    assert c.get(FINDINGS, {"status": "resolved"}).context["page"].paginator.count == 0


def test_nav_shows_efterlevnad_to_the_information_officer_only(client_for, info_officer, staff):
    assert DASHBOARD in client_for(info_officer).get(FINDINGS).content.decode()
    assert f'href="{DASHBOARD}"' not in client_for(staff).get(FINDINGS).content.decode()
