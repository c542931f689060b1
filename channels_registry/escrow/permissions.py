"""Who may deposit, see and grant the deposited access (§3, §5, §8)."""

from accounts.models import User
from accounts.selectors import is_information_officer_or_deputy
from channels_registry.escrow.models import AccessRequest
from channels_registry.models import SocialAccount
from channels_registry.permissions import _in_line_management, can_manage_account


def can_hold_escrow(user: User) -> bool:
    """The information officer or their deputy (§3): reveals and grants."""
    return is_information_officer_or_deputy(user)


def can_deposit(user: User, account: SocialAccount) -> bool:
    return can_manage_account(user, account) or can_hold_escrow(user)


def can_request_access(user: User, account: SocialAccount) -> bool:
    """A manager covering the account (§5: the unit's manager, else the head)."""
    return user.is_authenticated and _in_line_management(user, account)


def active_grant(user: User, account: SocialAccount) -> AccessRequest | None:
    for grant in account.access_requests.filter(
        requested_by=user, status=AccessRequest.Status.GRANTED
    ):
        if grant.is_valid_now():
            return grant
    return None


def can_reveal(user: User, account: SocialAccount) -> bool:
    return can_hold_escrow(user) or active_grant(user, account) is not None
