from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Diariet")

    def ready(self) -> None:
        from accounts.navigation import register_nav
        from accounts.roles import Role, register_role_permissions
        from archive import compliance, permissions, snapshots  # noqa: F401 - registers the rule
        from channels_registry import hooks

        hooks.register(hooks.CLOSE_PRECONDITIONS, snapshots.final_snapshot_missing)

        register_perms = (
            "archive.search_register",
            "archive.register_document",
            "archive.view_case",
            "archive.view_document",
        )
        register_role_permissions(Role.REGISTRAR, *register_perms)
        register_role_permissions(Role.INFORMATION_OFFICER, *register_perms)

        register_nav(_("Diariet"), "archive:search", permissions.can_search, order=80)
        register_nav(
            _("Ögonblicksbilder"),
            "archive:snapshots",
            lambda u: u.is_authenticated,
            order=82,
        )
        register_nav(
            _("Register över sociala medier"),
            "archive:media_register",
            lambda u: u.is_authenticated,
            order=85,
        )
