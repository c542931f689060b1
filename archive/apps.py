from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    """Connects and registers only: the handlers are in ``archive.receivers``,
    the snapshot hooks in ``archive.snapshots``, the rules in the services."""

    name = "archive"
    verbose_name = _("Diariet")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from archive import receivers
        from archive.snapshots.records import register_kinds

        post_migrate.connect(receivers.keep_sqlite_index_trigger, sender=self)
        register_kinds()
        self._connect_hooks()
        self._register_roles()
        from archive.requests import apps as requests_apps

        requests_apps.ready()
        self._register_navigation()

    def _connect_hooks(self) -> None:
        from accounts import hooks as account_hooks
        from accounts.navigation import register_todo
        from activity_plans import hooks as plan_hooks
        from archive import receivers
        from archive.register import search
        from archive.snapshots import compliance  # noqa: F401 - registers the rule
        from archive.snapshots import selectors as snapshot_selectors
        from archive.snapshots import services as snapshots
        from channels_registry import hooks
        from moderation import hooks as moderation_hooks
        from nora_social.core import worker

        hooks.register(hooks.CLOSE_PRECONDITIONS, snapshot_selectors.final_snapshot_missing)
        hooks.register(hooks.ACCOUNT_CLOSING, snapshots.open_final_request)
        hooks.register(hooks.CLOSURE_RECEIPT, snapshot_selectors.closure_receipt_lines)
        register_todo(snapshot_selectors.todos)
        worker.on_child_start(search.load_dictionary)
        moderation_hooks.register(moderation_hooks.ACTION_LOGGED, receivers.register_after_commit)
        plan_hooks.register(plan_hooks.PLAN_APPROVED, receivers.register_plan_after_commit)
        account_hooks.register(
            account_hooks.POLICY_PUBLISHED, receivers.register_policy_after_commit
        )

    def _register_roles(self) -> None:
        from accounts.roles import Role, register_role_permissions

        register_perms = (
            "archive.search_register",
            "archive.register_document",
            "archive.view_case",
            "archive.view_document",
        )
        register_role_permissions(Role.REGISTRAR, *register_perms)
        register_role_permissions(Role.INFORMATION_OFFICER, *register_perms)
        register_role_permissions(
            Role.REGISTRAR,
            "archive.manage_cases",
            "archive.view_secrecyprovision",
            "archive.add_secrecyprovision",
            "archive.change_secrecyprovision",
            "archive.dispose_records",
            "archive.propose_purge",
            "archive.export_archive",
        )
        register_role_permissions(Role.SECURITY_COORDINATOR, "archive.confirm_purge")

    def _register_navigation(self) -> None:
        from accounts.navigation import register_nav
        from archive.disposal import permissions as disposal_permissions
        from archive.register import permissions

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
        register_nav(
            _("Gallring"), "archive:retention_index", disposal_permissions.can_dispose, order=86
        )
        register_nav(
            _("Rensning"), "archive:purge_index", disposal_permissions.can_see_purges, order=87
        )
