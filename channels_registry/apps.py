from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsRegistryConfig(AppConfig):
    name = "channels_registry"
    verbose_name = _("Kontoregistret")

    def ready(self) -> None:
        from accounts.navigation import register_nav, register_todo
        from accounts.roles import Role, register_role_permissions
        from accounts.selectors import register_platform_names
        from channels_registry import hooks, permissions, receivers, selectors
        from channels_registry.compliance import rules  # noqa: F401 - registers the sweep's rules
        from channels_registry.compliance.permissions import can_view_overview
        from channels_registry.connections import compliance as _capture  # noqa: F401
        from channels_registry.escrow import permissions as escrow_permissions
        from channels_registry.imports import tasks as _import_tasks  # noqa: F401 - the task
        from channels_registry.imports.permissions import can_import_accounts
        from channels_registry.public import cache  # noqa: F401 - connects the list's signals

        everything = (
            "channels_registry.view_all_accounts",
            "channels_registry.view_socialaccount",
        )
        register_role_permissions(
            Role.INFORMATION_OFFICER,
            *everything,
            "channels_registry.add_socialaccount",
            "channels_registry.change_socialaccount",
            "channels_registry.register_account",
            "channels_registry.override_naming",
            "channels_registry.manage_platforms",
            "channels_registry.view_account_history",
            "channels_registry.reveal_escrow",
            "channels_registry.grant_escrow_access",
        )
        register_role_permissions(
            Role.REGISTRAR, *everything, "channels_registry.view_account_history"
        )

        hooks.register(hooks.ACCOUNT_CHANGED, receivers.recheck_changed_account)
        from accounts import hooks as people_hooks

        people_hooks.register(people_hooks.PERSON_LEFT, receivers.check_leaver)

        register_nav(_("Mina sidor"), "accounts:home", lambda u: True, order=10)
        register_todo(selectors.todos)
        register_platform_names(selectors.platform_names)
        register_nav(_("Konton"), "channels_registry:account_list", lambda u: True, order=20)
        register_nav(
            _("Begäran om åtkomst"),
            "channels_registry:access_requests",
            escrow_permissions.can_hold_escrow,
            order=60,
        )
        register_nav(
            _("Efterlevnad"),
            "channels_registry:findings_dashboard",
            can_view_overview,
            order=50,
        )
        register_nav(
            _("Plattformar"),
            "channels_registry:platform_list",
            permissions.can_manage_platforms,
            order=70,
        )
        register_nav(
            _("Läs in konton"), "channels_registry:account_import", can_import_accounts, order=97
        )
