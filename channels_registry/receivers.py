"""What the register does when its own events fire (registered in apps.py)."""

from channels_registry.compliance.leavers import leaver_check
from channels_registry.compliance.tasks import recheck_account_after_commit


def recheck_changed_account(*, account_id: int, **_: object) -> None:
    """ACCOUNT_CHANGED: the sweep re-checks the account soon after the change
    commits, so a finding opens or resolves without waiting for the night."""
    recheck_account_after_commit(account_id)


def check_leaver(*, user_id: int, left_on=None, **_: object) -> None:
    """accounts' PERSON_LEFT (the staff directory): the people rules of the
    leaver's accounts are checked now and the information officer is told."""
    leaver_check(user_id=user_id, left_on=left_on)
