"""Who may read in existing accounts from a spreadsheet."""

from accounts.models import User
from channels_registry.permissions import can_register_accounts


def can_import_accounts(user: User) -> bool:
    """The information officer, who registers accounts that existed before the
    policy (§2–§3), may register many at once; a person who has left may not."""
    return user.is_authenticated and user.is_current() and can_register_accounts(user)
