from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Personer och organisation")

    def ready(self) -> None:
        from accounts.roles import Role, ensure_role_groups, register_role_permissions

        register_role_permissions(
            Role.INFORMATION_OFFICER,
            "accounts.publish_policy",
            "accounts.view_groupmapping",
            "accounts.add_groupmapping",
            "accounts.change_groupmapping",
            "accounts.delete_groupmapping",
        )
        from django.contrib.auth.signals import user_logged_in

        from accounts.directory import tasks as _directory_tasks  # noqa: F401 - registers the task
        from accounts.navigation import register_nav
        from accounts.permissions import can_import_org_tree, can_manage_sign_on
        from accounts.sso.signals import record_login

        register_nav(_("Inloggning och behörighet"), "sso_mappings", can_manage_sign_on, order=95)
        register_nav(
            _("Läs in organisationen"), "accounts:org_import", can_import_org_tree, order=96
        )

        user_logged_in.connect(record_login, dispatch_uid="accounts.sso.record_login")

        post_migrate.connect(ensure_role_groups, dispatch_uid="accounts.ensure_role_groups")
