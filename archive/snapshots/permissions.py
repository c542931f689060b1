"""Who may ask for and see an account's snapshots."""

from accounts.models import User
from channels_registry.models import SocialAccount
from channels_registry.permissions import can_manage_account, can_view_account


def can_request_snapshot(user: User, account: SocialAccount) -> bool:
    """Owner, deputy, their managers and the information officer (§10)."""
    return can_manage_account(user, account)


def can_view_snapshots(user: User, account: SocialAccount) -> bool:
    return can_view_account(user, account)
