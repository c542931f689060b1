"""Who may write an archive package."""

from accounts.models import User


def can_export(user: User) -> bool:
    return user.is_authenticated and user.has_perm("archive.export_archive")
