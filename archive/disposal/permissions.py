"""Who may decide retention and disposal, and who may propose, see and confirm
a purge (two people: the registrar proposes, the security coordinator confirms).
"""

from accounts.models import User


def can_dispose(user: User) -> bool:
    return user.is_authenticated and user.has_perm("archive.dispose_records")


def can_propose_purge(user: User) -> bool:
    return user.is_authenticated and user.has_perm("archive.propose_purge")


def can_confirm_purge(user: User) -> bool:
    return user.is_authenticated and user.has_perm("archive.confirm_purge")


def can_see_purges(user: User) -> bool:
    return can_propose_purge(user) or can_confirm_purge(user)
