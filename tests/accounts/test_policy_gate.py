"""§12: whoever has not acknowledged the current policy cannot approve plans,
deposit or reveal escrowed access, or log moderation actions; they are told why
and sent to the policy. The services refuse, so every caller obeys."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import PolicyAcknowledgement
from accounts.permissions import PolicyNotAcknowledged
from activity_plans import services as plan_services
from activity_plans.models import ActivityPlan, Decision
from channels_registry.escrow import services as escrow_services
from channels_registry.models import EscrowEvent
from moderation import services as moderation_services
from moderation.models import ModerationAction
from tests.activity_plans.conftest import complete_values
from tests.channels_registry.escrow_support import account_in, owner_of, stepped_up
from tests.factories import AcknowledgementFactory, CompetenceFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Du behöver läsa och kvittera den gällande policyn för sociala medier"


def _unacknowledge(person):
    PolicyAcknowledgement.objects.filter(user=person).delete()


@pytest.fixture
def submitted_plan(org, staff, colleague, platform):
    for person in (staff, colleague):
        CompetenceFactory(user=person, platform=platform.slug)
    plan = plan_services.plan_create(
        actor=staff, values=complete_values(platform, owner=staff, deputy=colleague)
    )
    return plan_services.plan_submit(plan_id=plan.pk, actor=staff)


def test_manager_who_has_not_acknowledged_cannot_approve(client_for, manager, submitted_plan):
    _unacknowledge(manager)
    with pytest.raises(PolicyNotAcknowledged):
        plan_services.plan_approve(plan_id=submitted_plan.pk, actor=manager)

    client = client_for(manager)
    detail = client.get(reverse("activity_plans:plan_detail", args=[submitted_plan.pk]))
    assert MESSAGE in detail.content.decode()
    response = client.post(
        reverse("activity_plans:plan_decide", args=[submitted_plan.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:policy")
    assert MESSAGE in client.get(response["Location"]).content.decode()
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == ActivityPlan.Status.SUBMITTED
    assert not Decision.objects.filter(plan=submitted_plan, kind="approved").exists()

    AcknowledgementFactory(user=manager)
    plan = plan_services.plan_approve(plan_id=submitted_plan.pk, actor=manager)
    assert plan.status == ActivityPlan.Status.APPROVED_BY_MANAGER


def test_owner_who_has_not_acknowledged_cannot_deposit(org):
    account = account_in(org["unit"])
    owner = owner_of(account)
    _unacknowledge(owner)
    with pytest.raises(PolicyNotAcknowledged):
        escrow_services.escrow_deposit(
            account_id=account.pk,
            actor=owner,
            kind="named_roles",
            secrets={"business_account": "Nora BM", "business_recovery": "ny-kod"},
        )
    client = stepped_up(owner)
    response = client.get(reverse("channels_registry:escrow_deposit", args=[account.pk]))
    assert response["Location"] == reverse("accounts:policy")
    assert not EscrowEvent.objects.filter(account=account, kind="deposit").exists()


def test_information_officer_who_has_not_acknowledged_cannot_reveal(org, info_officer):
    account = account_in(org["unit"])
    _unacknowledge(info_officer)
    with pytest.raises(PolicyNotAcknowledged):
        escrow_services.escrow_reveal(account_id=account.pk, actor=info_officer, reason="Semester")
    client = stepped_up(info_officer)
    url = reverse("channels_registry:escrow_reveal", args=[account.pk])
    assert client.get(url)["Location"] == reverse("accounts:policy")
    response = client.post(url, {"reason": "Semester"})
    assert response["Location"] == reverse("accounts:policy")
    assert not EscrowEvent.objects.filter(account=account, kind="reveal").exists()


def test_staff_who_has_not_acknowledged_cannot_log_a_moderation_action(client_for, org):
    account = account_in(org["unit"])
    owner = owner_of(account)
    _unacknowledge(owner)
    data = moderation_services.ActionData(
        action="hidden",
        origin="citizen",
        category="reklam",
        reason="Reklam för en webbutik.",
        content_author="Säljare",
        content_text="Köp billigt!",
        content_posted_at=timezone.now() - datetime.timedelta(hours=2),
        captured_at=timezone.now(),
    )
    with pytest.raises(PolicyNotAcknowledged):
        moderation_services.action_log(account_id=account.pk, actor=owner, data=data)
    response = client_for(owner).get(reverse("moderation:action_create", args=[account.pk]))
    assert response["Location"] == reverse("accounts:policy")
    assert not ModerationAction.objects.exists()


@pytest.mark.no_policy
def test_before_any_policy_is_published_the_gate_is_open(manager, submitted_plan):
    assert not PolicyAcknowledgement.objects.filter(user=manager).exists()
    plan = plan_services.plan_approve(plan_id=submitted_plan.pk, actor=manager)
    assert plan.status == ActivityPlan.Status.APPROVED_BY_MANAGER
