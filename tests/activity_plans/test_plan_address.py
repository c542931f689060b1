"""Bilaga 1 asks for the account's intended address (§4, §10); the approved
plan hands it to the register, where the real address is registered later."""

import pytest
from django.urls import reverse

from activity_plans import services
from activity_plans.models import ActivityPlan
from tests.activity_plans.conftest import approve_all

pytestmark = pytest.mark.django_db


def test_a_plan_without_its_intended_address_cannot_be_submitted(make_plan, staff):
    plan = make_plan(staff, planned_url="")
    with pytest.raises(services.PlanError) as caught:
        services.plan_submit(plan_id=plan.pk, actor=staff)
    assert "planned_url" in caught.value.problems


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://www.facebook.com/norakommunnaringsliv", "https://"),
        ("https://www.linkedin.com/company/norakommunnaringsliv", "egen domän"),
        ("https://www.facebook.com/norakommunannat", "leder inte till användarnamnet"),
    ],
)
def test_a_wrong_intended_address_is_refused_at_submission(make_plan, staff, url, message):
    plan = make_plan(staff, planned_url=url)
    with pytest.raises(services.PlanError) as caught:
        services.plan_submit(plan_id=plan.pk, actor=staff)
    assert any(message in m for m in caught.value.problems["planned_url"])
    plan.refresh_from_db()
    assert plan.status == ActivityPlan.Status.DRAFT


def test_the_form_refuses_a_wrong_address_and_saves_nothing(client_for, staff, platform, draft):
    response = client_for(staff).post(
        reverse("activity_plans:plan_edit", args=[draft.pk]),
        {
            "platform": platform.pk,
            "display_name": draft.display_name,
            "handle": draft.handle,
            "planned_url": "https://www.faceb00k.com/norakommunnaringsliv",
            "posts_period": "week",
            "response_clock": "working",
            "action": "save",
        },
    )
    assert response.status_code == 400
    assert "Adressen måste ligga på Facebook egen domän" in response.content.decode()
    draft.refresh_from_db()
    assert draft.planned_url == "https://www.facebook.com/norakommunnaringsliv"


def test_the_approved_plan_gives_the_account_its_planned_address_only(submitted, chain):
    plan = approve_all(submitted, chain)
    account = plan.account
    assert account.planned_url == "https://www.facebook.com/norakommunnaringsliv"
    # The real address is registered once the account exists on the platform.
    assert account.url == ""
    from channels_registry.lifecycle_services import activation_problems

    assert any("Kontots adress saknas" in p for p in activation_problems(account))


def test_the_intended_address_is_in_the_frozen_revision(submitted):
    content = {row[0]: row[2] for row in submitted.revisions.get().content}
    assert content["planned_url"] == "https://www.facebook.com/norakommunnaringsliv"


def test_an_amended_handle_moves_the_active_accounts_address(submitted, chain, staff):
    from channels_registry import services as registry

    plan = approve_all(submitted, chain)
    registry.account_set_address(
        account_id=plan.account_id, actor=staff, url=plan.account.planned_url
    )
    account = plan.account
    account.refresh_from_db()
    account.status = "active"
    account.save()
    amendment = services.plan_start_for_account(account_id=account.pk, actor=staff)
    assert amendment.planned_url == "https://www.facebook.com/norakommunnaringsliv"
    services.plan_update(
        plan_id=amendment.pk,
        actor=staff,
        values={
            "handle": "norakommunforetag",
            "planned_url": "https://www.facebook.com/norakommunforetag",
            "nora_se_up_to_date": True,
        },
    )
    services.plan_submit(plan_id=amendment.pk, actor=staff)
    approve_all(amendment, chain)
    account.refresh_from_db()
    assert (account.handle, account.url) == (
        "norakommunforetag",
        "https://www.facebook.com/norakommunforetag",
    )
