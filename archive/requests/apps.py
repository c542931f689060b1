"""What the archive's ``ready`` does for requests for public documents: the
record kind, the compliance rule, the role permissions and the navigation."""

from django.utils.translation import gettext_lazy as _


def ready() -> None:
    from accounts.navigation import register_nav
    from accounts.roles import Role, register_role_permissions
    from archive.requests import compliance, kinds, permissions  # noqa: F401 - registers the rule

    kinds.register_kind()
    kinds.register_decision_kind()
    register_role_permissions(
        Role.REGISTRAR,
        "archive.handle_records_requests",
        "archive.add_delegation",
        "archive.change_delegation",
        "archive.add_feeschedule",
    )
    register_role_permissions(
        Role.INFORMATION_OFFICER, "archive.add_delegation", "archive.change_delegation"
    )
    register_nav(
        _("Begäran om allmän handling"),
        "archive:request_queue",
        permissions.can_use_requests,
        order=81,
    )
