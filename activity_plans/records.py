"""How activity plans are registered, dated, linked and disposed of (the
record-kind registry, ``nora_social.core.records``). Registered in
``ActivityPlansConfig.ready``.

An approved plan is a drawn-up document (§3: the written approval, kept as its
PDF/A). A plan counts from its approval, else from its last decision (the
withdrawal), else from its creation. Drafts and plans in the chain are still
being handled; an approved plan, and the amendments that replaced it, are the
written basis of an account that is not closed: no retention decision reaches
either. A withdrawn plan is no longer current. A plan goes with its decisions
and frozen revisions.
"""

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activity_plans.models import ActivityPlan, Decision, PlanRevision
from channels_registry.models import SocialAccount
from nora_social.core import records
from nora_social.core.records import Dependants, RecordEntry, RecordKind, local_date


def plan_entry(plan: ActivityPlan) -> RecordEntry:
    return RecordEntry(
        direction="drawn_up",
        document_date=local_date(plan.approved_at or plan.created_at),
        subject=_("Aktivitetsplan för konto i sociala medier, version %(revision)s")
        % {"revision": plan.revision},
        handling_officer=plan.author,
        content_text=" ".join(filter(None, [plan.purpose, plan.target_audience])),
    )


def dated(qs: QuerySet[ActivityPlan]) -> QuerySet[ActivityPlan]:
    """Annotate ``disposal_date``: approval, else the last decision, else creation."""
    last_decision = (
        Decision.objects.filter(plan=OuterRef("pk")).order_by("-decided_at", "-pk")
    ).values("decided_at")[:1]
    return qs.annotate(disposal_date=Coalesce("approved_at", Subquery(last_decision), "created_at"))


def still_in_force(qs: QuerySet[ActivityPlan]) -> QuerySet[ActivityPlan]:
    """Plans being handled, and approved plans of an account not yet closed."""
    return qs.exclude(
        Q(status=ActivityPlan.Status.WITHDRAWN)
        | Q(status=ActivityPlan.Status.APPROVED, account__status=SocialAccount.Status.CLOSED)
    )


def plan_dependants(plan: ActivityPlan) -> Dependants:
    # Written once and refusing delete() one by one, like the plan's record.
    return [
        (Decision, list(plan.decisions.values_list("pk", flat=True))),
        (PlanRevision, list(plan.revisions.values_list("pk", flat=True))),
    ]


def register_kinds() -> None:
    records.register(
        RecordKind(
            label="activity_plans.ActivityPlan",
            name=gettext_lazy("Aktivitetsplaner för konton"),
            date_field="disposal_date",
            dated=dated,
            entry=plan_entry,
            url=lambda plan: reverse("activity_plans:plan_detail", args=[plan.pk]),
            current=still_in_force,
            in_handling=still_in_force,
            dependants=plan_dependants,
        )
    )
