"""Escalations (§5): the security coordinator and the unit's manager record
whether a police report was made, by whom, and its reference."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation import services
from moderation.categories import Category
from moderation.models import Escalation

pytestmark = pytest.mark.django_db


@pytest.fixture
def escalation(account, staff, manager, security_coordinator):
    record = services.action_log(
        account_id=account.pk,
        actor=staff,
        data=services.ActionData(
            action="deleted",
            origin="citizen",
            category=Category.OLAGA_HOT,
            reason="Hot mot en anställd.",
            content_author="Hotfull Person",
            content_text="Jag vet var du bor.",
        ),
    )
    return record.escalation


def test_security_coordinator_records_a_police_report(escalation, security_coordinator):
    services.police_report_record(
        escalation_id=escalation.pk,
        actor=security_coordinator,
        made=True,
        reported_by=security_coordinator,
        reported_on=timezone.localdate(),
        reference="5000-K123456-26",
    )
    escalation.refresh_from_db()
    assert escalation.outcome == Escalation.Outcome.REPORTED
    assert escalation.reported_by == security_coordinator
    assert escalation.police_reference == "5000-K123456-26"
    assert escalation.decided_by == security_coordinator


def test_police_report_needs_the_reference(escalation, security_coordinator):
    with pytest.raises(services.ModerationError) as exc:
        services.police_report_record(
            escalation_id=escalation.pk,
            actor=security_coordinator,
            made=True,
            reported_by=security_coordinator,
            reported_on=timezone.localdate(),
        )
    assert "reference" in exc.value.errors
    escalation.refresh_from_db()
    assert escalation.outcome == Escalation.Outcome.PENDING


def test_no_report_needs_a_reason(escalation, manager):
    with pytest.raises(services.ModerationError) as exc:
        services.police_report_record(escalation_id=escalation.pk, actor=manager, made=False)
    assert "note" in exc.value.errors
    services.police_report_record(
        escalation_id=escalation.pk, actor=manager, made=False, note="Inte uppenbart brottsligt."
    )
    escalation.refresh_from_db()
    assert escalation.outcome == Escalation.Outcome.NOT_REPORTED


def test_decision_is_recorded_once(escalation, security_coordinator):
    kwargs = dict(
        escalation_id=escalation.pk,
        actor=security_coordinator,
        made=True,
        reported_by=security_coordinator,
        reported_on=timezone.localdate(),
        reference="5000-K1-26",
    )
    services.police_report_record(**kwargs)
    with pytest.raises(services.ModerationError):
        services.police_report_record(**{**kwargs, "reference": "annat"})
    escalation.refresh_from_db()
    assert escalation.police_reference == "5000-K1-26"


def test_future_report_date_is_refused(escalation, security_coordinator):
    with pytest.raises(services.ModerationError) as exc:
        services.police_report_record(
            escalation_id=escalation.pk,
            actor=security_coordinator,
            made=True,
            reported_by=security_coordinator,
            reported_on=timezone.localdate() + datetime.timedelta(days=3),
            reference="x",
        )
    assert "reported_on" in exc.value.errors


def test_staff_on_the_account_sees_but_may_not_decide(escalation, staff, client_for):
    with pytest.raises(services.ModerationError):
        services.police_report_record(
            escalation_id=escalation.pk, actor=staff, made=False, note="Nej"
        )
    url = reverse("moderation:escalation_detail", args=[escalation.pk])
    client = client_for(staff)
    page = client.get(url)
    assert page.status_code == 200
    assert b"Registrera beslutet" not in page.content
    assert client.post(url, {"made": "no", "note": "Nej"}).status_code == 403


def test_coordinator_records_through_the_page(escalation, security_coordinator, client_for):
    client = client_for(security_coordinator)
    url = reverse("moderation:escalation_detail", args=[escalation.pk])
    page = client.get(url)
    assert "Jag vet var du bor." in page.content.decode()
    response = client.post(
        url,
        {
            "made": "yes",
            "reported_by": security_coordinator.pk,
            "reported_on": timezone.localdate().isoformat(),
            "reference": "5000-K999-26",
        },
    )
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.police_reference == "5000-K999-26"


def test_escalation_list_is_for_coordinator_and_managers(
    escalation, security_coordinator, manager, staff, registrar, client_for
):
    url = reverse("moderation:escalation_list")
    assert client_for(security_coordinator).get(url).status_code == 200
    assert client_for(manager).get(url).status_code == 200
    assert client_for(staff).get(url).status_code == 403
    assert client_for(registrar).get(url).status_code == 403


def test_outsider_does_not_see_the_escalation(escalation, outsider, client_for):
    url = reverse("moderation:escalation_detail", args=[escalation.pk])
    assert client_for(outsider).get(url).status_code == 404
