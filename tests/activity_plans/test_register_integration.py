"""Only plans (or a pre-existing registration) create accounts; amendments go
through the chain; the no_approved_plan compliance rule."""

import datetime

import pytest
from django.utils import timezone

from activity_plans import checks, services
from activity_plans.compliance import no_approved_plan
from activity_plans.models import ActivityPlan
from channels_registry import lifecycle_services, member_services
from channels_registry import services as registry
from channels_registry.compliance.engine import SweepContext
from channels_registry.models import AccountMember, SocialAccount
from tests.activity_plans.conftest import approve_all
from tests.factories import (
    AcknowledgementFactory,
    SocialAccountFactory,
    UserFactory,
    make_active_account,
)


def _data(platform, unit, handle="norakommuntest"):
    return registry.AccountData(
        platform=platform,
        display_name="Nora kommun Test",
        handle=handle,
        unit=unit,
        purpose="Test",
        contact="test@nora.se",
        update_frequency_text="Varje vecka",
        response_time_text="Inom en dag",
    )


def test_direct_registration_of_a_new_account_is_refused(info_officer, platform, org):
    with pytest.raises(registry.RegistryError) as caught:
        registry.account_register(actor=info_officer, data=_data(platform, org["unit"]))
    assert any("aktivitetsplan" in p for p in caught.value.messages)


def test_pre_existing_account_may_still_be_registered(info_officer, platform, org):
    account = registry.account_register(
        actor=info_officer, data=_data(platform, org["unit"]), is_pre_existing=True
    )
    assert account.plan_due_on is not None


def _ctx(today=None):
    now = timezone.now()
    return SweepContext(now=now, today=today or timezone.localdate(now))


def test_active_account_without_plan_is_a_finding(org, platform):
    account = make_active_account(unit=org["unit"], platform=platform)
    assert [h.account_id for h in no_approved_plan(_ctx())] == [account.pk]


def test_pre_existing_account_within_its_90_days_is_not_a_finding(org, platform):
    today = timezone.localdate()
    account = make_active_account(
        unit=org["unit"],
        platform=platform,
        is_pre_existing=True,
        plan_due_on=today + datetime.timedelta(days=10),
    )
    assert list(no_approved_plan(_ctx())) == []
    later = today + datetime.timedelta(days=11)
    assert [h.account_id for h in no_approved_plan(_ctx(later))] == [account.pk]


def test_account_from_an_approved_plan_is_not_a_finding(submitted, chain):
    plan = approve_all(submitted, chain)
    account = plan.account
    account.status = "active"
    account.save()
    assert list(no_approved_plan(_ctx())) == []


def test_rule_query_count_is_constant(org, platform, django_assert_num_queries):
    for _ in range(3):
        make_active_account(unit=org["unit"], platform=platform)
    with django_assert_num_queries(1):
        assert len(list(no_approved_plan(_ctx()))) == 3
    for _ in range(3):
        make_active_account(unit=org["unit"], platform=platform)
    with django_assert_num_queries(1):
        assert len(list(no_approved_plan(_ctx()))) == 6


def test_amendment_changes_owner_and_purpose_only_after_approval(
    submitted, chain, staff, colleague, org
):
    plan = approve_all(submitted, chain)
    account = plan.account
    account.status = "active"
    account.save()
    newcomer = UserFactory(username="ny_agare", unit=org["unit"], roles=["medarbetare"])
    AcknowledgementFactory(user=newcomer)
    amendment = services.plan_start_for_account(account_id=account.pk, actor=staff)
    assert amendment.amends == plan and amendment.account == account
    services.plan_update(
        plan_id=amendment.pk,
        actor=staff,
        values={"owner": newcomer, "purpose": "Nytt syfte.", "nora_se_up_to_date": True},
    )
    services.plan_submit(plan_id=amendment.pk, actor=staff)
    account.refresh_from_db()
    assert account.purpose == "Nyheter för företagare i Nora."
    approve_all(amendment, chain)
    account.refresh_from_db()
    assert account.purpose == "Nytt syfte."
    owner = account.members.get(ends_on__isnull=True, role=AccountMember.Role.OWNER)
    assert owner.user == newcomer
    former = account.members.get(user=staff, ends_on__isnull=True)
    assert former.role == AccountMember.Role.ADMIN and former.holds_credentials
    assert amendment.__class__.objects.get(pk=amendment.pk).status == ActivityPlan.Status.APPROVED


def test_only_one_amendment_at_a_time(submitted, chain, staff):
    plan = approve_all(submitted, chain)
    services.plan_start_for_account(account_id=plan.account_id, actor=staff)
    with pytest.raises(services.PlanError):
        services.plan_start_for_account(account_id=plan.account_id, actor=staff)


def test_outsider_cannot_start_an_amendment(submitted, chain, outsider):
    plan = approve_all(submitted, chain)
    with pytest.raises(services.PlanError):
        services.plan_start_for_account(account_id=plan.account_id, actor=outsider)


def test_plan_for_pre_existing_account_starts_from_the_register(org, platform, staff, info_officer):
    account = SocialAccountFactory(unit=org["unit"], platform=platform, is_pre_existing=True)
    member_services.member_add(
        account_id=account.pk, actor=info_officer, user=staff, role="owner", holds_credentials=True
    )
    plan = services.plan_start_for_account(account_id=account.pk, actor=staff)
    assert plan.handle == account.handle and plan.owner == staff and plan.amends is None


# --- Accounts come only from a plan whose final approval is being given (§2–§3) ---

NO_PLAN = "Det finns ingen godkänd aktivitetsplan för den här ändringen."


def test_a_plan_without_the_final_approval_creates_no_account(submitted, chain, info_officer):
    plan = submitted
    for who in ("manager", "head"):
        plan = services.plan_approve(plan_id=plan.pk, actor=chain[who])
    with pytest.raises(registry.RegistryError) as caught:
        registry.account_register_from_plan(
            actor=info_officer, plan_id=plan.pk, data=checks.account_data(plan)
        )
    assert caught.value.message == NO_PLAN
    assert caught.value.errors == {
        "": ["Aktivitetsplanen är inte godkänd av informationsansvarig."]
    }
    assert not SocialAccount.objects.exists()


def test_an_approved_plan_cannot_be_used_again_for_another_account(
    submitted, chain, info_officer, platform, org
):
    plan = approve_all(submitted, chain)
    with pytest.raises(registry.RegistryError) as caught:
        registry.account_register_from_plan(
            actor=info_officer, plan_id=plan.pk, data=_data(platform, org["unit"], "annat")
        )
    assert caught.value.message == NO_PLAN
    assert SocialAccount.objects.count() == 1


def test_an_unknown_plan_creates_no_account(info_officer, platform, org):
    with pytest.raises(registry.RegistryError) as caught:
        registry.account_register_from_plan(
            actor=info_officer, plan_id=999999, data=_data(platform, org["unit"])
        )
    assert caught.value.message == NO_PLAN
    assert not SocialAccount.objects.exists()


def test_amend_is_refused_without_an_approved_amendment_plan(submitted, chain, staff, info_officer):
    plan = approve_all(submitted, chain)
    account = plan.account
    amendment = services.plan_start_for_account(account_id=account.pk, actor=staff)
    for plan_id in (amendment.pk, plan.pk):  # a draft; an approval already carried out
        with pytest.raises(registry.RegistryError) as caught:
            lifecycle_services.account_amend(
                account_id=account.pk, actor=info_officer, plan_id=plan_id, purpose="Annat."
            )
        assert caught.value.message == NO_PLAN
    account.refresh_from_db()
    assert account.purpose == plan.purpose
