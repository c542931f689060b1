"""Who may see and log what in moderation (DESIGN.md "Who uses it").

- See an account's posts, actions and questions: whoever may see the account
  (people on it, its managers, the information officer, the registrar).
- Log posts, actions and questions, forward and answer: the people on the
  account and those who may manage it (owner/deputy, managers, information
  officer). The registrar only reads.
- Escalations: the security coordinator sees all and records police reports;
  the unit's manager and head of administration do so for their accounts.
- A question forwarded to someone is theirs to see and answer.

Answers: an object the user may not see is 404, like a missing one; a page the
user's role may never use is 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import User
from accounts.selectors import administrations_headed_by, units_managed_by
from channels_registry.models import AccountMember, SocialAccount
from channels_registry.permissions import can_manage_account, can_view_account
from moderation.models import Escalation, ModerationAction, Question
from nora_social.core.memo import within_scope


def _in_line_management(user: User, account: SocialAccount) -> bool:
    return (
        units_managed_by(user).filter(pk=account.unit_id).exists()
        or administrations_headed_by(user).filter(pk=account.unit.administration_id).exists()
    )


def is_on_account(user: User, account: SocialAccount) -> bool:
    return AccountMember.objects.current().filter(account=account, user=user).exists()


def can_view_log(user: User, account: SocialAccount) -> bool:
    return can_view_account(user, account)


def can_log(user: User, account: SocialAccount) -> bool:
    """Log posts, moderation actions and questions (§3, §5)."""
    if not user.is_authenticated or not user.is_current():
        return False
    return is_on_account(user, account) or can_manage_account(user, account)


def can_view_all_escalations(user: User) -> bool:
    return user.is_authenticated and user.has_perm("moderation.view_all_escalations")


@within_scope
def can_use_escalation_list(user: User) -> bool:
    """The escalation list is for the security coordinator, the information
    officer and managers; everybody else meets escalations on the account."""
    if not user.is_authenticated:
        return False
    return (
        can_view_all_escalations(user)
        or units_managed_by(user).exists()
        or administrations_headed_by(user).exists()
    )


def can_view_action(user: User, action: ModerationAction) -> bool:
    if can_view_log(user, action.account):
        return True
    return can_view_all_escalations(user) and Escalation.objects.filter(action=action).exists()


def can_view_escalation(user: User, escalation: Escalation) -> bool:
    return can_view_all_escalations(user) or can_view_log(user, escalation.action.account)


def can_record_police_report(user: User, escalation: Escalation) -> bool:
    """§5: the security coordinator, or the manager above the account."""
    if not user.is_authenticated:
        return False
    return user.has_perm("moderation.record_police_report") or _in_line_management(
        user, escalation.action.account
    )


def can_view_question(user: User, question: Question) -> bool:
    if not user.is_authenticated:
        return False
    return question.assigned_to_id == user.pk or can_view_log(user, question.account)


def can_handle_question(user: User, question: Question) -> bool:
    """Answer or forward: the people who log for the account, and the person the
    question was forwarded to."""
    if not user.is_authenticated:
        return False
    return question.assigned_to_id == user.pk or can_log(user, question.account)


# --- Fetch helpers: 404 when missing or not visible --------------------------


def get_account_for_log(user: User, pk: int, *, write: bool = False) -> SocialAccount:
    account = (
        SocialAccount.objects.select_related("platform", "unit__administration")
        .filter(pk=pk)
        .first()
    )
    if account is None or not can_view_log(user, account):
        raise Http404
    if write and not can_log(user, account):
        raise PermissionDenied
    return account


def get_action_for_user(user: User, pk: int) -> ModerationAction:
    action = (
        ModerationAction.objects.select_related(
            "account__platform", "account__unit__administration", "post", "logged_by"
        )
        .filter(pk=pk)
        .first()
    )
    if action is None or not can_view_action(user, action):
        raise Http404
    return action


def get_escalation_for_user(user: User, pk: int) -> Escalation:
    escalation = (
        Escalation.objects.select_related(
            "action__account__platform", "action__account__unit__administration"
        )
        .filter(pk=pk)
        .first()
    )
    if escalation is None or not can_view_escalation(user, escalation):
        raise Http404
    return escalation


def get_question_for_user(user: User, pk: int, *, handle: bool = False) -> Question:
    question = (
        Question.objects.select_related(
            "account__platform", "account__unit__administration", "assigned_to"
        )
        .filter(pk=pk)
        .first()
    )
    if question is None or not can_view_question(user, question):
        raise Http404
    if handle and not can_handle_question(user, question):
        raise PermissionDenied
    return question
