"""The approver's queue resolves every plan's next approver in a fixed number of
queries, and the bulk resolution answers exactly as the one-plan resolution does
(substitutes for the author and the absent, one person never two steps)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activity_plans import services
from activity_plans.models import ActivityPlan
from activity_plans.selectors import current_approver, plans_awaiting
from tests.factories import AbsenceFactory, SubstituteFactory, UserFactory

QUEUE = reverse("activity_plans:queue")


def _add_plans(n, start, make_plan, staff, chain):
    """n plans: two of three wait for the information officer, one for the manager."""
    for i in range(start, start + n):
        plan = make_plan(staff, handle=f"norakommunnaringsliv{i}")
        plan = services.plan_submit(plan_id=plan.pk, actor=staff)
        if i % 3:
            plan = services.plan_approve(plan_id=plan.pk, actor=chain["manager"])
            services.plan_approve(plan_id=plan.pk, actor=chain["head"])


def _queue_queries(client) -> tuple[int, str]:
    client.get(QUEUE)  # warm: session, permissions
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_queue_query_count_is_the_same_for_3_and_30_plans(make_plan, staff, chain, client_for):
    client = client_for(chain["io"])
    _add_plans(3, 0, make_plan, staff, chain)
    few, body = _queue_queries(client)
    assert body.count("status-approved_by_administration") == 2
    _add_plans(27, 3, make_plan, staff, chain)
    many, body = _queue_queries(client)
    assert body.count("status-approved_by_administration") == 20
    assert few == many


def test_bulk_resolution_matches_one_plan_at_a_time(make_plan, staff, chain, org, info_deputy):
    """Substitutes and absences as the queue sees them: the unit's substitute takes
    the manager's own plan; the absent head's plans go to the administration's
    substitute, the information officer, whose own step then goes to the deputy."""
    unit_sub = UserFactory(username="enhetsersattare")
    SubstituteFactory(scope="unit", unit=org["unit"], person=unit_sub)
    SubstituteFactory(
        scope="administration", administration=org["administration"], person=chain["io"]
    )
    _add_plans(4, 0, make_plan, staff, chain)
    own = make_plan(chain["manager"], handle="norakommunchefensplan")
    services.plan_submit(plan_id=own.pk, actor=chain["manager"])
    waiting_for_head = services.plan_approve(
        plan_id=services.plan_submit(
            plan_id=make_plan(staff, handle="norakommunvantarchef").pk, actor=staff
        ).pk,
        actor=chain["manager"],
    )
    today = timezone.localdate()
    AbsenceFactory(user=chain["head"], starts_on=today, ends_on=today + datetime.timedelta(days=2))
    services.plan_approve(plan_id=waiting_for_head.pk, actor=chain["io"])

    pending = list(ActivityPlan.objects.filter(status__in=ActivityPlan.PENDING_STEP.keys()))
    people = [chain["manager"], chain["head"], chain["io"], info_deputy, unit_sub, staff]
    for person in people:
        expected = sorted(p.pk for p in pending if (a := current_approver(p)) and a.pk == person.pk)
        assert sorted(p.pk for p in plans_awaiting(person)) == expected, person.username
    assert [p.pk for p in plans_awaiting(unit_sub)] == [own.pk]
    assert waiting_for_head.pk in [p.pk for p in plans_awaiting(info_deputy)]
    assert waiting_for_head.pk not in [p.pk for p in plans_awaiting(chain["io"])]
