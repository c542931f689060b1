from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderering och frågor")

    def ready(self) -> None:
        from accounts.navigation import register_nav, register_todo
        from accounts.roles import Role, register_role_permissions
        from moderation import compliance, permissions, selectors  # noqa: F401 - registers rules
        from moderation.capture import compliance as _cc  # noqa: F401 - registers rules
        from moderation.records import register_kinds

        register_kinds()
        # After moderation's own kinds: a snapshot lists them first at one moment.
        from moderation.capture import records as _capture_kind  # noqa: F401 - registers it

        register_role_permissions(
            Role.SECURITY_COORDINATOR,
            "moderation.view_all_escalations",
            "moderation.record_police_report",
        )
        register_role_permissions(Role.INFORMATION_OFFICER, "moderation.view_all_escalations")

        register_nav(_("Moderering och frågor"), "moderation:index", lambda u: True, order=40)
        register_todo(selectors.todos)
        register_nav(
            _("Eskaleringar"),
            "moderation:escalation_list",
            permissions.can_use_escalation_list,
            order=45,
        )
