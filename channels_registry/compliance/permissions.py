"""Who sees the compliance overview (§3, §10)."""

from accounts.models import User


def can_view_overview(user: User) -> bool:
    """The dashboard, every finding and the health page: whoever may see every
    account (the information officer and the registrar). Others see the findings
    of the accounts they may see."""
    return user.is_authenticated and user.has_perm("channels_registry.view_all_accounts")
