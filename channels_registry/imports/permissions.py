"""Who may read in existing accounts from a spreadsheet."""

from accounts.models import User
from accounts.selectors import is_information_officer_or_deputy
from channels_registry.imports.models import AccountImportRun
from channels_registry.permissions import can_register_accounts


def can_import_accounts(user: User) -> bool:
    """The information officer, who registers accounts that existed before the
    policy (§2–§3), may register many at once; a person who has left may not."""
    return user.is_authenticated and user.is_current() and can_register_accounts(user)


def can_view_import_run(user: User, run: AccountImportRun) -> bool:
    """A run, with the names and people of its file: the one who started it and
    the information officer (or deputy), no one else."""
    if not user.is_authenticated or not user.is_current():
        return False
    return run.started_by_id == user.pk or is_information_officer_or_deputy(user)
