"""Reads for activity plans: who approves next, the queue, the content as
shown and frozen, the differences between versions, the people's §9/§12 facts."""

import datetime
import difflib
from dataclasses import dataclass
from typing import cast

from django.db.models import Field, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import PlatformCompetence, User
from accounts.roles import Role
from accounts.selectors import (
    OrgSnapshot,
    administration_head_for,
    current_acknowledgements,
    org_snapshot,
    role_holder_for,
    role_holders,
    unit_manager_for,
)
from activity_plans.models import ActivityPlan, Decision, PlanRevision, Step
from activity_plans.permissions import plans_visible_to
from channels_registry import services as registry_services
from channels_registry.naming import NamingProblem

# The plan's content in the order of bilaga 1; what a revision freezes and the PDF shows.
CONTENT_FIELDS = (
    "platform",
    "display_name",
    "handle",
    "planned_url",
    "contact",
    "purpose",
    "target_audience",
    "goals",
    "evaluation",
    "content_kind",
    "posts_min",
    "posts_period",
    "update_frequency_text",
    "hours_per_week",
    "who_does_it",
    "owner",
    "deputy",
    "admins",
    "questions_routine",
    "response_hours",
    "response_clock",
    "response_time_text",
    "moderation_routine",
    "holiday_cover",
    "comment_rules",
    "nora_se_relation",
    "nora_se_up_to_date",
    "closure_plan",
)


def approver_for(
    plan: ActivityPlan,
    step: str | None,
    on: datetime.date | None = None,
    *,
    org: OrgSnapshot | None = None,
) -> User | None:
    """The person who decides ``step`` now: the unit's manager, the head of the
    administration, the information officer; their substitute when that person
    is the author or is absent (DESIGN.md). ``org`` answers the stand-ins from
    one read of the org tree (see ``plans_awaiting``)."""
    # §2: the manager, the administration and the information officer approve
    # separately, so one person never decides two steps of the same revision.
    exclude = [plan.author, *earlier_approvers(plan)]
    if step == Step.MANAGER:
        return unit_manager_for(plan.unit, exclude=exclude, on=on, org=org)
    if step == Step.ADMINISTRATION:
        return administration_head_for(plan.unit.administration, exclude=exclude, on=on, org=org)
    if step == Step.INFORMATION_OFFICER:
        return role_holder_for(Role.INFORMATION_OFFICER, exclude=exclude, on=on, org=org)
    return None


def earlier_approvers(plan: ActivityPlan) -> list[User]:
    """Who has already approved a step of the plan's current revision."""
    prefetched = getattr(plan, "approvals", None)
    if prefetched is not None:
        return [d.decided_by for d in prefetched if d.revision == plan.revision]
    return [
        decision.decided_by
        for decision in plan.decisions.filter(
            revision=plan.revision, kind=Decision.Kind.APPROVED
        ).select_related("decided_by")
    ]


def primary_for(plan: ActivityPlan, step: str) -> User | None:
    """Who holds the step when nobody stands in: for "on whose behalf"."""
    if step == Step.MANAGER:
        return plan.unit.manager
    if step == Step.ADMINISTRATION:
        return plan.unit.administration.head
    if step == Step.INFORMATION_OFFICER:
        return role_holders(Role.INFORMATION_OFFICER).first()
    return None


def current_approver(plan: ActivityPlan, *, org: OrgSnapshot | None = None) -> User | None:
    step = plan.pending_step()
    return approver_for(plan, step, org=org) if step else None


def plans_awaiting(user: User) -> list[ActivityPlan]:
    """The approver's queue: plans whose next step is this person's now.

    A fixed number of queries however many plans wait: the plans with their
    unit, manager, head, author and platform; the approvals so far; and one read
    of the org tree's stand-ins and absences (``org_snapshot``)."""
    pending = list(
        plans_visible_to(user)
        .filter(status__in=ActivityPlan.PENDING_STEP.keys())
        .select_related("unit__manager", "unit__administration__head")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.filter(kind=Decision.Kind.APPROVED).select_related(
                    "decided_by"
                ),
                to_attr="approvals",
            )
        )
    )
    if not pending:
        return []
    people = [p.unit.manager for p in pending] + [p.unit.administration.head for p in pending]
    org = org_snapshot(roles=[Role.INFORMATION_OFFICER], people=people)
    queue = []
    for plan in pending:
        approver = current_approver(plan, org=org)
        if approver is not None and approver.pk == user.pk:
            queue.append(plan)
    return sorted(queue, key=lambda p: p.submitted_at or p.created_at)


def awaiting_for(user: User) -> list[ActivityPlan]:
    """``plans_awaiting`` once per request: the menu's count and the start page
    share it (kept on the request's user object)."""
    cached = getattr(user, "_plans_awaiting", None)
    if cached is None:
        from activity_plans.permissions import may_approve_plans

        cached = plans_awaiting(user) if may_approve_plans(user) else []
        setattr(user, "_plans_awaiting", cached)  # noqa: B010 - a per-request cache the stubs cannot know
    return cached


def awaiting_count(user: User) -> int:
    return len(awaiting_for(user))


def todos(user: User) -> list:
    """Start page: the plans waiting for this person's decision."""
    from accounts.navigation import TodoItem

    count = awaiting_count(user)
    if not count:
        return []
    return [
        TodoItem(
            ngettext(
                "%(count)d aktivitetsplan väntar på ditt beslut",
                "%(count)d aktivitetsplaner väntar på ditt beslut",
                count,
            )
            % {"count": count},
            reverse("activity_plans:queue"),
            order=10,
        )
    ]


def _display(plan: ActivityPlan, name: str) -> str:
    field = cast(Field, ActivityPlan._meta.get_field(name))
    if field.many_to_many:
        return ", ".join(str(u) for u in getattr(plan, name).all())
    value = getattr(plan, name)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if field.choices:
        return str(getattr(plan, f"get_{name}_display")())
    return str(value)


def plan_content(plan: ActivityPlan) -> list[list[str]]:
    """[field name, label, display value] for every field of bilaga 1."""
    return [
        [
            name,
            str(cast(Field, ActivityPlan._meta.get_field(name)).verbose_name).capitalize(),
            _display(plan, name),
        ]
        for name in CONTENT_FIELDS
    ]


@dataclass
class FieldChange:
    label: str
    before: str
    after: str
    lines: list[tuple[str, str]]


def content_diff(before: list[list[str]], after: list[list[str]]) -> list[FieldChange]:
    """The fields that differ, each with a line diff (difflib) of its text."""
    old = {name: (label, value) for name, label, value in before}
    changes = []
    for name, label, value in after:
        previous = old.get(name, (label, ""))[1]
        if previous == value:
            continue
        lines = []
        for line in difflib.ndiff(previous.splitlines(), value.splitlines()):
            op = line[:2]
            if op == "- ":
                lines.append(("removed", line[2:]))
            elif op == "+ ":
                lines.append(("added", line[2:]))
            elif op == "  ":
                lines.append(("same", line[2:]))
        changes.append(FieldChange(label, previous, value, lines))
    return changes


def revision_with_diff(plan: ActivityPlan, number: int):
    """A frozen version and what changed since the one before it."""
    revisions = {r.number: r for r in plan.revisions.all()}
    revision = revisions.get(number)
    if revision is None:
        return None, []
    previous = revisions.get(number - 1)
    return revision, content_diff(previous.content if previous else [], revision.content)


def draft_changes(plan: ActivityPlan) -> list[FieldChange]:
    """What the author has changed since the last submitted version."""
    last = plan.revisions.order_by("-number").first()
    if last is None:
        return []
    return content_diff(last.content, plan_content(plan))


@dataclass
class PersonFacts:
    role: str
    person: User
    competence_on: datetime.date | None
    acknowledged_on: datetime.date | None


def people_facts(plan: ActivityPlan) -> list[PersonFacts]:
    """Each proposed person with their platform competence (§9) and policy
    acknowledgement (§12), in three queries."""
    people: list[tuple[str, User]] = []
    if plan.owner is not None:
        people.append((_("Kontoansvarig"), plan.owner))
    if plan.deputy is not None:
        people.append((_("Ersättare"), plan.deputy))
    if plan.pk:
        people.extend((_("Administratör"), admin) for admin in plan.admins.all())
    ids = [p.pk for _r, p in people]
    competence = {}
    if plan.platform is not None:
        competence = dict(
            PlatformCompetence.objects.filter(
                user_id__in=ids, platform=plan.platform.slug
            ).values_list("user_id", "achieved_on")
        )
    acks = {user_id: ack.acknowledged_on for user_id, ack in current_acknowledgements(ids).items()}
    return [
        PersonFacts(role, person, competence.get(person.pk), acks.get(person.pk))
        for role, person in people
    ]


def name_problem_details(plan: ActivityPlan) -> list[NamingProblem]:
    """§4 for the proposed name, each problem with its rule so a form can tie
    it to the display name or the handle field."""
    if not (plan.display_name and plan.handle and plan.platform is not None):
        return []
    return registry_services.name_problem_details(
        platform=plan.platform,
        display_name=plan.display_name,
        handle=plan.handle,
        exclude_pk=plan.account_id,
    )


def latest_approved_plan(account_id: int) -> ActivityPlan | None:
    return (
        ActivityPlan.objects.filter(account_id=account_id, status=ActivityPlan.Status.APPROVED)
        .order_by("-approved_at")
        .first()
    )


def revisions_of(plan: ActivityPlan) -> list[PlanRevision]:
    return list(plan.revisions.select_related("submitted_by"))


def decisions_of(plan: ActivityPlan):
    return plan.decisions.select_related("decided_by", "on_behalf_of")


def today() -> datetime.date:
    return timezone.localdate()
