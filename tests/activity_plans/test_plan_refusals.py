"""Every refusal of the chain: out of turn, own plan, another unit's manager,
editing after submission, missing required fields."""

import pytest

from activity_plans import services
from activity_plans.models import ActivityPlan, Decision


def _unchanged(plan, status):
    plan.refresh_from_db()
    assert plan.status == status
    assert not plan.decisions.filter(kind=Decision.Kind.APPROVED).exists()


def test_head_cannot_approve_before_the_manager(submitted, chain):
    with pytest.raises(services.PlanError, match="väntar på beslut av närmaste chef"):
        services.plan_approve(plan_id=submitted.pk, actor=chain["head"])
    _unchanged(submitted, ActivityPlan.Status.SUBMITTED)


def test_information_officer_cannot_approve_out_of_turn(submitted, chain):
    with pytest.raises(services.PlanError):
        services.plan_approve(plan_id=submitted.pk, actor=chain["io"])
    _unchanged(submitted, ActivityPlan.Status.SUBMITTED)


def test_nobody_approves_a_draft(draft, chain):
    with pytest.raises(services.PlanError):
        services.plan_approve(plan_id=draft.pk, actor=chain["manager"])
    _unchanged(draft, ActivityPlan.Status.DRAFT)


def test_manager_of_other_unit_cannot_approve(submitted, org):
    with pytest.raises(services.PlanError):
        services.plan_approve(plan_id=submitted.pk, actor=org["other_manager"])
    _unchanged(submitted, ActivityPlan.Status.SUBMITTED)


def test_manager_cannot_approve_own_plan(make_plan, chain, org):
    plan = make_plan(chain["manager"])
    # No substitute for the unit: nobody can take the manager step.
    with pytest.raises(services.PlanError, match="ingen chef"):
        services.plan_submit(plan_id=plan.pk, actor=chain["manager"])


def test_approver_cannot_approve_own_plan_even_when_resolved(make_plan, chain, org):
    from tests.factories import SubstituteFactory, UserFactory

    SubstituteFactory(scope="unit", unit=org["unit"], person=UserFactory(username="sub"))
    plan = make_plan(chain["manager"])
    services.plan_submit(plan_id=plan.pk, actor=chain["manager"])
    with pytest.raises(services.PlanError, match="din egen plan"):
        services.plan_approve(plan_id=plan.pk, actor=chain["manager"])
    _unchanged(plan, ActivityPlan.Status.SUBMITTED)


def test_same_person_cannot_approve_twice_in_a_row(submitted, chain):
    services.plan_approve(plan_id=submitted.pk, actor=chain["manager"])
    with pytest.raises(services.PlanError):
        services.plan_approve(plan_id=submitted.pk, actor=chain["manager"])


def test_editing_after_submission_is_refused(submitted, staff):
    with pytest.raises(services.PlanError, match="inskickad"):
        services.plan_update(plan_id=submitted.pk, actor=staff, values={"purpose": "Annat."})
    submitted.refresh_from_db()
    assert submitted.purpose == "Nyheter för företagare i Nora."


def test_only_the_author_edits_a_draft(draft, colleague):
    with pytest.raises(services.PlanError):
        services.plan_update(plan_id=draft.pk, actor=colleague, values={"purpose": "Annat."})


def test_missing_required_fields_are_named(make_plan, staff):
    plan = make_plan(staff, purpose="", goals="", owner=None, nora_se_up_to_date=False)
    with pytest.raises(services.PlanError) as caught:
        services.plan_submit(plan_id=plan.pk, actor=staff)
    assert {"purpose", "goals", "owner", "nora_se_up_to_date"} <= set(caught.value.errors)
    plan.refresh_from_db()
    assert plan.status == ActivityPlan.Status.DRAFT
    assert not plan.revisions.exists()


def test_name_breaking_the_naming_rules_is_refused(make_plan, staff, blocklist):
    plan = make_plan(staff, display_name="Näringsliv", handle="norakm_naringsliv")
    with pytest.raises(services.PlanError) as caught:
        services.plan_submit(plan_id=plan.pk, actor=staff)
    assert "display_name" in caught.value.errors
    assert "handle" in caught.value.errors


def test_owner_and_deputy_must_be_two_people(make_plan, staff):
    plan = make_plan(staff, deputy=staff)
    with pytest.raises(services.PlanError) as caught:
        services.plan_submit(plan_id=plan.pk, actor=staff)
    assert "deputy" in caught.value.errors


def test_reject_by_someone_not_in_turn_is_refused(submitted, chain):
    with pytest.raises(services.PlanError):
        services.plan_reject(plan_id=submitted.pk, actor=chain["io"], comment="Nej.")
    _unchanged(submitted, ActivityPlan.Status.SUBMITTED)
