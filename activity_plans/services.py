"""The activity plan (bilaga 1) and its written approval chain (§2, §3).

draft → submitted → approved_by_manager → approved_by_administration → approved.
Any approver may reject with a comment, which returns the plan to its author as
the next revision; the author may withdraw. Each decision is a row written once.
The final approval enters the planned account in the register, or, for an
amendment, applies the new owner, purpose or platform to the account. After it
has committed, a task renders the plan as PDF/A-2b and sends the information
officer the copy of §3 (``copies``). The rules a plan must meet are in ``checks``.
"""

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_current_policy
from accounts.services import notify
from activity_plans import hooks
from activity_plans.checks import account_data, submission_problems
from activity_plans.copies import queue_plan_pdf
from activity_plans.models import ActivityPlan, Decision, PlanRevision, Step
from activity_plans.selectors import (
    approver_for,
    latest_approved_plan,
    plan_content,
    primary_for,
)
from channels_registry import lifecycle_services, member_services
from channels_registry import services as registry
from channels_registry.models import AccountMember, SocialAccount
from nora_social.core.errors import ServiceError
from nora_social.core.history import set_history_user

logger = logging.getLogger(__name__)


class PlanError(ServiceError):
    """A refused change. ``errors`` maps a form field (or "") to Swedish messages."""


def _lock(plan_id: int) -> ActivityPlan:
    return (
        ActivityPlan.objects.select_for_update(of=("self",))
        .select_related("author", "unit__administration", "platform", "account")
        .get(pk=plan_id)
    )


def _save(obj: Model, actor: User, **kwargs: Any) -> None:
    set_history_user(obj, actor)
    obj.save(**kwargs)


def _move(plan: ActivityPlan, to: str) -> None:
    """The TRANSITIONS table on the model decides which moves exist."""
    plan.move_to(
        to,
        lambda: PlanError(
            _("Planen kan inte gå från %(from)s till %(to)s.")
            % {"from": plan.get_status_display(), "to": ActivityPlan.Status(to).label}
        ),
    )


def _record(
    plan: ActivityPlan,
    *,
    kind: str,
    actor: User,
    step: str = "",
    comment: str = "",
) -> Decision:
    on_behalf_of = None
    if step:
        primary = primary_for(plan, step)
        if primary is not None and primary.pk != actor.pk:
            on_behalf_of = primary
    return Decision.objects.create(
        plan=plan,
        revision=plan.revision,
        kind=kind,
        step=step,
        decided_by=actor,
        on_behalf_of=on_behalf_of,
        comment=comment,
    )


# --- Writing the plan ---------------------------------------------------------

EDITABLE_FIELDS = (
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


@transaction.atomic
def plan_create(
    *, actor: User, values: dict | None = None, admins: Iterable[User] = ()
) -> ActivityPlan:
    """A staff member starts a plan for their own unit (§2: the nearest manager
    gives the assignment)."""
    if not actor.has_perm("activity_plans.add_activityplan"):
        raise PlanError(_("Du kan inte skriva aktivitetsplaner."))
    if actor.unit_id is None:
        raise PlanError(
            _("Du är inte kopplad till någon enhet. Be din chef att registrera din enhet.")
        )
    plan = ActivityPlan(author=actor, unit=actor.unit)
    _assign(plan, values or {})
    _save(plan, actor)
    plan.admins.set(admins)
    return plan


def _assign(plan: ActivityPlan, values: dict) -> None:
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise PlanError(_("Fälten kan inte ändras här."))
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(plan, name, value)


@transaction.atomic
def plan_update(
    *, plan_id: int, actor: User, values: dict, admins: Iterable[User] | None = None
) -> ActivityPlan:
    """The author saves the draft. A submitted plan is never edited: a change
    after submission needs a rejection (a new revision) or a withdrawal."""
    plan = _lock(plan_id)
    if plan.author_id != actor.pk:
        raise PlanError(_("Bara den som skrev planen kan ändra den."))
    if plan.status != ActivityPlan.Status.DRAFT:
        raise PlanError(
            _("Planen är inskickad och kan inte ändras. Den kan återkallas eller återvisas.")
        )
    _assign(plan, values)
    _save(plan, actor)
    if admins is not None:
        plan.admins.set(admins)
    return plan


@transaction.atomic
def plan_delete_draft(*, plan_id: int, actor: User) -> None:
    """The author deletes a draft that was never submitted (no version was frozen,
    no one decided on it). The deletion is a history row with who and when."""
    from activity_plans.permissions import can_delete_draft

    plan = _lock(plan_id)
    if not can_delete_draft(actor, plan):
        raise PlanError(
            _("Bara ett utkast som aldrig skickats in kan raderas, och bara av den som skrev det.")
        )
    set_history_user(plan, actor)
    plan.admins.clear()
    plan.delete()


@transaction.atomic
def plan_start_for_account(*, account_id: int, actor: User) -> ActivityPlan:
    """An amendment (§2–§3: a new owner, purpose or platform goes through the chain
    again), or the plan a pre-existing account must get. Starts as a draft copy
    of the account's approved plan, else of the account as registered."""
    from channels_registry.permissions import can_manage_account

    account = SocialAccount.objects.select_related("unit", "platform").get(pk=account_id)
    if not actor.has_perm("activity_plans.add_activityplan") or not can_manage_account(
        actor, account
    ):
        raise PlanError(_("Du kan inte ändra aktivitetsplanen för det här kontot."))
    if account.status == SocialAccount.Status.CLOSED:
        raise PlanError(_("Ett stängt konto har ingen aktivitetsplan att ändra."))
    if ActivityPlan.objects.filter(
        account=account, status__in=[ActivityPlan.Status.DRAFT, *ActivityPlan.PENDING_STEP]
    ).exists():
        raise PlanError(_("Det finns redan en ändrad aktivitetsplan under arbete för kontot."))
    base = latest_approved_plan(account.pk)
    plan = ActivityPlan(author=actor, unit=account.unit, account=account, amends=base)
    if base is not None:
        for name in EDITABLE_FIELDS:
            setattr(plan, name, getattr(base, name))
        plan.nora_se_up_to_date = False  # to be confirmed again
        admins = list(base.admins.all())
    else:
        plan.planned_url = account.url or account.planned_url
        for name in (
            "platform",
            "display_name",
            "handle",
            "contact",
            "purpose",
            "target_audience",
            "posts_min",
            "posts_period",
            "update_frequency_text",
            "response_hours",
            "response_clock",
            "response_time_text",
        ):
            setattr(plan, name, getattr(account, name))
        members = list(account.members.filter(ends_on__isnull=True).select_related("user"))
        plan.owner = next((m.user for m in members if m.role == AccountMember.Role.OWNER), None)
        plan.deputy = next((m.user for m in members if m.role == AccountMember.Role.DEPUTY), None)
        admins = [m.user for m in members if m.role == AccountMember.Role.ADMIN]
    _save(plan, actor)
    plan.admins.set(admins)
    return plan


# --- Submission -----------------------------------------------------------------


@transaction.atomic
def plan_submit(*, plan_id: int, actor: User) -> ActivityPlan:
    """The author submits the draft; the current version is frozen and the unit's
    manager (or substitute) is notified (§2: the nearest manager's assignment)."""
    plan = _lock(plan_id)
    if plan.author_id != actor.pk:
        raise PlanError(_("Bara den som skrev planen kan skicka in den."))
    _move(plan, ActivityPlan.Status.SUBMITTED)
    problems = submission_problems(plan)
    if problems:
        raise PlanError(_("Planen kan inte skickas in än. Rätta det som är markerat."), problems)
    approver = approver_for(plan, Step.MANAGER)
    if approver is None:
        raise PlanError(
            _(
                "Det finns ingen chef eller ställföreträdare som kan godkänna planen just nu. "
                "Kontakta informationsansvarig."
            )
        )
    now = timezone.now()
    plan.submitted_at = now
    _save(plan, actor)
    PlanRevision.objects.create(
        plan=plan,
        number=plan.revision,
        content=plan_content(plan),
        submitted_by=actor,
        submitted_at=now,
    )
    _record(plan, kind=Decision.Kind.SUBMITTED, actor=actor)
    _notify_approver(plan, approver)
    return plan


def _notify_approver(plan: ActivityPlan, approver: User | None) -> None:
    if approver is None:
        return
    notify(
        recipients=[approver],
        subject=_("Aktivitetsplan att godkänna: %(name)s") % {"name": plan.name_in_messages},
        body=_("%(author)s har skickat in en aktivitetsplan (version %(revision)s) för %(unit)s.")
        % {"author": plan.author, "revision": plan.revision, "unit": plan.unit},
        url=plan.get_absolute_url(),
        about=plan,
    )


# --- Decisions ------------------------------------------------------------------


def _check_turn(plan: ActivityPlan, actor: User) -> str:
    """The step the actor may decide now, or a refusal. Nobody decides their own
    plan, out of turn, or in place of someone else's chain."""
    step = plan.pending_step()
    if step is None:
        raise PlanError(_("Planen väntar inte på något beslut."))
    if plan.author_id == actor.pk:
        raise PlanError(_("Du kan inte godkänna eller återvisa din egen plan."))
    approver = approver_for(plan, step)
    if approver is None or approver.pk != actor.pk:
        raise PlanError(
            _("Planen väntar på beslut av %(step)s, och det är inte du.")
            % {"step": Step(step).label.lower()}
        )
    return step


@transaction.atomic
def plan_approve(*, plan_id: int, actor: User, comment: str = "") -> ActivityPlan:
    """The approver whose turn it is approves (§3: written approval by the
    administration and the information officer), having acknowledged the
    current policy (§12)."""
    require_current_policy(actor)
    plan = _lock(plan_id)
    step = _check_turn(plan, actor)
    _step, to = ActivityPlan.PENDING_STEP[ActivityPlan.Status(plan.status)]
    _move(plan, to)
    _record(plan, kind=Decision.Kind.APPROVED, actor=actor, step=step, comment=comment.strip())
    if to == ActivityPlan.Status.APPROVED:
        _finish(plan, actor)
        return plan
    _save(plan, actor)
    next_step = plan.pending_step()
    next_approver = approver_for(plan, next_step)
    _notify_approver(plan, next_approver)
    notify(
        recipients=[plan.author],
        subject=_("Din aktivitetsplan %(name)s är godkänd av %(step)s")
        % {"name": plan.name_in_messages, "step": Step(step).label.lower()},
        body=comment.strip(),
        url=plan.get_absolute_url(),
        about=plan,
    )
    return plan


@transaction.atomic
def plan_reject(*, plan_id: int, actor: User, comment: str) -> ActivityPlan:
    """Return the plan to its author with a required comment; the author works on
    the next revision, and the rejected one stays readable."""
    comment = comment.strip()
    plan = _lock(plan_id)
    step = _check_turn(plan, actor)
    if not comment:
        raise PlanError(
            _("Skriv en kommentar om vad som behöver ändras."),
            {"comment": [_("Skriv en kommentar om vad som behöver ändras.")]},
        )
    _move(plan, ActivityPlan.Status.DRAFT)
    _record(plan, kind=Decision.Kind.REJECTED, actor=actor, step=step, comment=comment)
    plan.revision += 1
    plan.submitted_at = None
    _save(plan, actor)
    notify(
        recipients=[plan.author],
        subject=_("Din aktivitetsplan %(name)s har återvisats") % {"name": plan.name_in_messages},
        body=_("%(actor)s (%(step)s): %(comment)s")
        % {"actor": actor, "step": Step(step).label.lower(), "comment": comment},
        url=plan.get_absolute_url(),
        about=plan,
    )
    return plan


@transaction.atomic
def plan_withdraw(*, plan_id: int, actor: User, comment: str = "") -> ActivityPlan:
    """The author withdraws the plan; it stays on record."""
    plan = _lock(plan_id)
    if plan.author_id != actor.pk:
        raise PlanError(_("Bara den som skrev planen kan återkalla den."))
    waiting_for = approver_for(plan, plan.pending_step()) if plan.is_pending() else None
    _move(plan, ActivityPlan.Status.WITHDRAWN)
    _record(plan, kind=Decision.Kind.WITHDRAWN, actor=actor, comment=comment.strip())
    _save(plan, actor)
    if waiting_for is not None:
        notify(
            recipients=[waiting_for],
            subject=_("Aktivitetsplanen %(name)s är återkallad") % {"name": plan.name_in_messages},
            body=comment.strip(),
            url=plan.get_absolute_url(),
            about=plan,
        )
    return plan


# --- The final approval ------------------------------------------------------------


def _finish(plan: ActivityPlan, actor: User) -> None:
    now = timezone.now()
    plan.approved_at = now
    if plan.account_id is None:
        plan.account = _create_account(plan, actor)
    else:
        _apply_amendment(plan, actor)
    _save(plan, actor)
    # The archive registers the approved plan (a drawn-up document) once this commits.
    hooks.fire(hooks.PLAN_APPROVED, plan=plan, actor=actor)
    notify(
        recipients=[plan.author],
        subject=_("Din aktivitetsplan %(name)s är godkänd") % {"name": plan.name_in_messages},
        body=_("Kontot finns nu i registret som planerat. Nästa steg är att aktivera det."),
        url=plan.get_absolute_url(),
        about=plan,
    )
    # Rendering is slow and can fail (fonts, the PDF/A check): it must not hold
    # the approval's locks or roll the approval back, so it runs after commit.
    plan_pk, actor_pk = plan.pk, actor.pk
    transaction.on_commit(lambda: queue_plan_pdf(plan_pk, actor_pk))


def _create_account(plan: ActivityPlan, actor: User) -> SocialAccount:
    """§2–§3: the approved plan is the assignment; the account enters the register
    as planned, with the proposed people."""
    assert plan.owner is not None and plan.deputy is not None  # type narrowing of an invariant  # nosec B101
    try:
        account = registry.account_register_from_plan(
            actor=actor, plan_id=plan.pk, data=account_data(plan)
        )
        member_services.member_add(
            account_id=account.pk,
            actor=actor,
            user=plan.owner,
            role=AccountMember.Role.OWNER,
            holds_credentials=True,
        )
        member_services.member_add(
            account_id=account.pk,
            actor=actor,
            user=plan.deputy,
            role=AccountMember.Role.DEPUTY,
            holds_credentials=True,
        )
        for admin in plan.admins.exclude(pk__in=[plan.owner_id, plan.deputy_id]):
            member_services.member_add(
                account_id=account.pk,
                actor=actor,
                user=admin,
                role=AccountMember.Role.ADMIN,
                holds_credentials=False,
            )
    except registry.RegistryError as error:
        raise PlanError(error.message, {"": error.messages} if error.errors else {}) from error
    return account


def _apply_amendment(plan: ActivityPlan, actor: User) -> None:
    """A new owner, purpose or platform reaches the register only now (§2–§3)."""
    assert plan.account_id is not None  # an amendment is always of a registered account  # nosec B101
    try:
        lifecycle_services.account_amend(
            account_id=plan.account_id,
            actor=actor,
            plan_id=plan.pk,
            purpose=plan.purpose,
            platform=plan.platform,
            owner=plan.owner,
            deputy=plan.deputy,
            planned_url=plan.planned_url,
        )
        account = plan.account
        assert account is not None  # type narrowing of an invariant  # nosec B101
        changes = {
            name: getattr(plan, name)
            for name in (
                "display_name",
                "handle",
                "contact",
                "posts_min",
                "posts_period",
                "update_frequency_text",
                "response_hours",
                "response_clock",
                "response_time_text",
            )
            if getattr(plan, name) != getattr(account, name)
        }
        if plan.target_audience[:300] != account.target_audience:
            changes["target_audience"] = plan.target_audience[:300]
        # ``account`` is the row as it was before this amendment. A new handle or
        # platform moves the account's address: it follows the approved plan's
        # (checked against both at submission), and the owner corrects it under
        # "Kontots adress" if the platform gave another (§4, §10).
        moved = plan.handle != account.handle or plan.platform_id != account.platform_id
        if moved and plan.planned_url and plan.planned_url != account.url:
            changes["url"] = plan.planned_url
        if changes:
            registry.account_update(account_id=plan.account_id, actor=actor, changes=changes)
    except registry.RegistryError as error:
        raise PlanError(error.message, {"": error.messages} if error.errors else {}) from error
