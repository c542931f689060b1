from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Personer och organisation")

    def ready(self) -> None:
        from accounts.roles import Role, ensure_role_groups, register_role_permissions

        register_role_permissions(Role.INFORMATION_OFFICER, "accounts.publish_policy")

        post_migrate.connect(ensure_role_groups, dispatch_uid="accounts.ensure_role_groups")
