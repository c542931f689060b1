"""Who may do what to an account (DESIGN.md "Who uses it").

Staff see and manage the accounts they are on (guardian object permissions,
granted and removed by the membership services); managers their units';
heads of administration their administration's; the information officer all.
A view fetches an account with ``get_account_for_user``, which answers 404 both
when it does not exist and when the person may not see it.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.selectors import (
    administrations_headed_by,
    is_information_officer_or_deputy,
    units_managed_by,
)
from channels_registry import hooks
from channels_registry.models import SocialAccount
from channels_registry.selectors import accounts_visible_to

VIEW = "view"
MANAGE = "manage"


def _in_line_management(user: User, account: SocialAccount) -> bool:
    return (
        units_managed_by(user).filter(pk=account.unit_id).exists()
        or administrations_headed_by(user).filter(pk=account.unit.administration_id).exists()
    )


def can_view_account(user: User, account: SocialAccount) -> bool:
    if not user.is_authenticated:
        return False
    return (
        user.has_perm("channels_registry.view_all_accounts")
        or is_information_officer_or_deputy(user)
        or user.has_perm("channels_registry.view_socialaccount", account)
        or _in_line_management(user, account)
    )


def can_manage_account(user: User, account: SocialAccount) -> bool:
    """Change details, people and checklist: owner and deputy (object permission),
    the unit's manager and head of administration, the information officer."""
    if not user.is_authenticated:
        return False
    return (
        user.has_perm("channels_registry.change_socialaccount")
        or user.has_perm("channels_registry.change_socialaccount", account)
        or _in_line_management(user, account)
    )


def can_confirm_closure(user: User, account: SocialAccount) -> bool:
    """§5: the owner confirms the platform account was deleted or handed over;
    the information officer may record it too."""
    if not user.is_authenticated:
        return False
    return (
        user.has_perm("channels_registry.change_socialaccount")
        or account.members.filter(ends_on__isnull=True, role="owner", user=user).exists()
    )


def can_view_closure_receipt(user: User, account: SocialAccount) -> bool:
    """The receipt of a closed account: whoever may see the account, and the
    people who were on it when it closed (closing ended their membership, so
    the account page is no longer theirs to see)."""
    if not user.is_authenticated or account.status != SocialAccount.Status.CLOSED:
        return False
    return (
        can_view_account(user, account)
        or account.members.filter(user=user, ends_on=account.closed_on).exists()
    )


def can_record_competence(user: User, person: User) -> bool:
    """§9: the person's nearest manager, the head of their administration or the
    information officer records what platforms they know."""
    if not user.is_authenticated:
        return False
    if is_information_officer_or_deputy(user):
        return True
    if person.unit_id is None:
        return False
    return (
        units_managed_by(user).filter(pk=person.unit_id).exists()
        or administrations_headed_by(user).filter(units__pk=person.unit_id).exists()
    )


def records_competence(user: User) -> bool:
    """Whether the person records competence for anyone at all (a manager, a head
    of administration, the information officer): for such a person a colleague
    outside their line is an object they may not see (404), for everyone else
    the page is one their role never uses (403)."""
    if not user.is_authenticated:
        return False
    return (
        is_information_officer_or_deputy(user)
        or units_managed_by(user).exists()
        or administrations_headed_by(user).exists()
    )


def can_manage_platforms(user: User) -> bool:
    return user.is_authenticated and user.has_perm("channels_registry.manage_platforms")


def can_register_accounts(user: User) -> bool:
    return user.is_authenticated and user.has_perm("channels_registry.register_account")


def can_check_names(user: User) -> bool:
    """Who may try a proposed name against §4 before it is saved: whoever may
    register an account, and whoever a later app vouches for (the plans app:
    authors and approvers of activity plans, through ``hooks.NAME_PROPOSERS``)."""
    return user.is_authenticated and (
        can_register_accounts(user) or any(hooks.collect(hooks.NAME_PROPOSERS, user))
    )


def can_override_naming(user: User) -> bool:
    return user.is_authenticated and user.has_perm("channels_registry.override_naming")


def can_view_history(user: User, account: SocialAccount) -> bool:
    return user.is_authenticated and user.has_perm("channels_registry.view_account_history")


def get_account_for_user(user: User, pk: int, action: str = VIEW) -> SocialAccount:
    account = get_object_or_404(accounts_visible_to(user), pk=pk)
    if action == MANAGE and not can_manage_account(user, account):
        raise PermissionDenied  # visible, so its existence is no secret
    return account
