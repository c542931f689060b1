"""Who may make and read the yearly report: the information officer, who sees
the whole municipality on the compliance dashboard (``view_all_accounts``) and
registers documents in the diarium (the report is registered as drawn up)."""

from accounts.models import User


def can_make_reports(user: User) -> bool:
    return (
        user.is_authenticated
        and user.has_perm("channels_registry.view_all_accounts")
        and user.has_perm("archive.register_document")
    )
