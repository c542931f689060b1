"""Who may see and act on an activity plan.

A plan is seen by its author, by the approvers of its chain (the unit's manager
and substitutes, the administration's head and substitutes, anyone who decided
on it) and by the information officer and deputy. Everyone else gets 404, the
same answer as for a plan that does not exist.
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Substitute, User
from accounts.selectors import (
    administrations_headed_by,
    is_information_officer_or_deputy,
    units_managed_by,
)
from activity_plans.models import ActivityPlan
from nora_social.core.memo import within_scope


def can_use_plans(user: User) -> bool:
    """Write plans, or see plans as an approver."""
    return user.is_authenticated and (
        user.has_perm("activity_plans.add_activityplan") or may_approve_plans(user)
    )


def can_create_plan(user: User) -> bool:
    return user.is_authenticated and user.has_perm("activity_plans.add_activityplan")


@within_scope
def sees_all_plans(user: User) -> bool:
    return user.is_authenticated and (
        user.has_perm("activity_plans.view_all_plans") or is_information_officer_or_deputy(user)
    )


@within_scope
def may_approve_plans(user: User) -> bool:
    """Holds, or stands in for, a place in some plan's approval chain."""
    if not user.is_authenticated:
        return False
    if sees_all_plans(user):
        return True
    return (
        units_managed_by(user).exists()
        or administrations_headed_by(user).exists()
        or Substitute.objects.filter(person=user, scope=Substitute.Scope.ROLE).exists()
    )


def plans_visible_to(user: User) -> QuerySet[ActivityPlan]:
    qs = ActivityPlan.objects.select_related(
        "author", "unit__administration", "platform", "account"
    )
    if not user.is_authenticated:
        return qs.none()
    if sees_all_plans(user):
        return qs
    decided = ActivityPlan.objects.filter(decisions__decided_by=user).values("pk")
    return qs.filter(
        Q(author=user)
        | Q(unit__in=units_managed_by(user))
        | Q(unit__administration__in=administrations_headed_by(user))
        | Q(pk__in=decided)
    )


def can_edit_plan(user: User, plan: ActivityPlan) -> bool:
    return plan.author_id == user.pk and plan.status == ActivityPlan.Status.DRAFT


def can_withdraw_plan(user: User, plan: ActivityPlan) -> bool:
    return plan.author_id == user.pk and plan.can_move_to(ActivityPlan.Status.WITHDRAWN)


def can_delete_draft(user: User, plan: ActivityPlan) -> bool:
    """A draft that was never submitted is the author's working paper, not yet
    sent to anyone: its author may delete it. Once submitted, a plan is only
    withdrawn (its versions and decisions are kept)."""
    return (
        plan.author_id == user.pk
        and plan.status == ActivityPlan.Status.DRAFT
        and plan.submitted_at is None
        and not plan.revisions.exists()
        and not plan.decisions.exists()
    )


def can_amend(user: User, plan: ActivityPlan) -> bool:
    """Offer an amendment of an approved plan to whoever manages its account."""
    from channels_registry.permissions import can_manage_account

    return (
        plan.status == ActivityPlan.Status.APPROVED
        and plan.account_id is not None
        and can_create_plan(user)
        and plan.account is not None
        and can_manage_account(user, plan.account)
        and not plan.amendments.exclude(
            status__in=[ActivityPlan.Status.APPROVED, ActivityPlan.Status.WITHDRAWN]
        ).exists()
    )


def can_retry_plan_pdf(user: User, plan: ActivityPlan) -> bool:
    """The information officer (or deputy), who receives the copy of §3, asks
    again for the PDF of an approved plan that is still without one."""
    return (
        plan.status == ActivityPlan.Status.APPROVED
        and not plan.pdf
        and user.is_authenticated
        and is_information_officer_or_deputy(user)
    )


def get_plan_for_user(user: User, pk: int) -> ActivityPlan:
    """404 both when the plan does not exist and when the person may not see it."""
    return get_object_or_404(plans_visible_to(user), pk=pk)
