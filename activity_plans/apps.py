from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivityPlansConfig(AppConfig):
    name = "activity_plans"
    verbose_name = _("Aktivitetsplaner")

    def ready(self) -> None:
        from accounts.navigation import register_nav, register_todo
        from accounts.roles import Role, register_role_permissions
        from activity_plans import (  # noqa: F401 - compliance registers the rule
            compliance,
            permissions,
            selectors,
        )
        from activity_plans.checks import approved_plan_problems, direct_registration_refusals
        from activity_plans.records import register_kinds
        from channels_registry import hooks

        for role in (
            Role.STAFF,
            Role.MANAGER,
            Role.HEAD_OF_ADMINISTRATION,
            Role.INFORMATION_OFFICER,
        ):
            register_role_permissions(role, "activity_plans.add_activityplan")
        register_role_permissions(Role.INFORMATION_OFFICER, "activity_plans.view_all_plans")

        register_kinds()
        # §2–§3: from now on an account enters the register through an approved
        # plan, or as a pre-existing account whose plan is due within 90 days.
        hooks.register(hooks.DIRECT_REGISTRATION_PRECONDITIONS, direct_registration_refusals)
        # Only a plan with a recorded final approval creates or amends an account.
        hooks.register(hooks.APPROVED_PLAN_CHECKS, approved_plan_problems)
        # Plan authors and approvers try a name with the register's name check.
        hooks.register(hooks.NAME_PROPOSERS, lambda user: [permissions.can_use_plans(user)])

        register_nav(
            _("Aktivitetsplaner"), "activity_plans:plan_list", permissions.can_use_plans, order=30
        )
        register_nav(
            _("Att godkänna"),
            "activity_plans:queue",
            permissions.may_approve_plans,
            order=35,
            count=selectors.awaiting_count,
        )
        register_todo(selectors.todos)
