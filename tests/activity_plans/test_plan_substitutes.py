"""DESIGN.md: the step goes to the substitute when the resolved approver is the
author or is absent; the decision says on whose behalf."""

import datetime

from django.utils import timezone

from activity_plans import services
from activity_plans.models import ActivityPlan, Step
from activity_plans.selectors import plans_awaiting
from tests.factories import AbsenceFactory, SubstituteFactory, UserFactory


def test_plan_by_the_manager_goes_to_the_unit_substitute(make_plan, chain, org):
    substitute = UserFactory(username="ersattare")
    SubstituteFactory(scope="unit", unit=org["unit"], person=substitute)
    plan = make_plan(chain["manager"])
    services.plan_submit(plan_id=plan.pk, actor=chain["manager"])
    assert plans_awaiting(substitute) == [plan]
    plan = services.plan_approve(plan_id=plan.pk, actor=substitute)
    assert plan.status == ActivityPlan.Status.APPROVED_BY_MANAGER
    decision = plan.decisions.get(step=Step.MANAGER)
    assert decision.decided_by == substitute
    assert decision.on_behalf_of == chain["manager"]


def test_absent_manager_is_replaced_by_substitute(submitted, chain, org):
    substitute = UserFactory(username="ersattare")
    SubstituteFactory(scope="unit", unit=org["unit"], person=substitute)
    today = timezone.localdate()
    AbsenceFactory(
        user=chain["manager"], starts_on=today, ends_on=today + datetime.timedelta(days=3)
    )
    assert plans_awaiting(chain["manager"]) == []
    assert plans_awaiting(substitute) == [submitted]
    plan = services.plan_approve(plan_id=submitted.pk, actor=substitute)
    assert plan.status == ActivityPlan.Status.APPROVED_BY_MANAGER


def test_absent_information_officer_is_replaced_by_deputy(submitted, chain, info_deputy):
    plan = services.plan_approve(plan_id=submitted.pk, actor=chain["manager"])
    plan = services.plan_approve(plan_id=plan.pk, actor=chain["head"])
    today = timezone.localdate()
    AbsenceFactory(user=chain["io"], starts_on=today, ends_on=today)
    plan = services.plan_approve(plan_id=plan.pk, actor=info_deputy)
    assert plan.status == ActivityPlan.Status.APPROVED
    assert plan.decisions.get(step=Step.INFORMATION_OFFICER).on_behalf_of == chain["io"]


def test_one_person_never_decides_two_steps(submitted, chain, org, info_deputy):
    """The information officer stands in for the absent head of administration;
    the final step then goes to the information officer's deputy, so the plan
    still has two separate written approvals (§2)."""
    from activity_plans.selectors import approver_for

    SubstituteFactory(
        scope="administration", administration=org["administration"], person=chain["io"]
    )
    today = timezone.localdate()
    AbsenceFactory(user=chain["head"], starts_on=today, ends_on=today + datetime.timedelta(days=3))
    plan = services.plan_approve(plan_id=submitted.pk, actor=chain["manager"])
    assert approver_for(plan, Step.ADMINISTRATION) == chain["io"]
    plan = services.plan_approve(plan_id=plan.pk, actor=chain["io"])
    assert approver_for(plan, Step.INFORMATION_OFFICER) == info_deputy
    assert plans_awaiting(chain["io"]) == []
