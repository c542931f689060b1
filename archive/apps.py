import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


def register_after_commit(*, record, actor) -> None:
    """Records marked for registration (secret content, §10) enter the register
    once the moderation entry is committed. A refusal leaves the record on the
    registrar's "Att diarieföra" list instead of undoing the entry."""
    from django.db import transaction

    from archive import services

    def register() -> None:
        try:
            services.register_record_if_marked(record=record, actor=actor)
        except services.ArchiveError as error:
            logger.warning("Record %s was not registered: %s", record.pk, error.message)

    transaction.on_commit(register)


def register_plan_after_commit(*, plan, actor) -> None:
    """An approved activity plan (§3: the written approval, kept as its PDF/A)
    enters the register as a drawn-up document in its account's collective case
    for the year, once the approval has committed. Idempotent: the plan row is
    locked and a plan already registered is left alone, so a retry or a second
    call adds nothing; a refusal rolls back whole (no number is used), is logged
    and leaves the approval standing."""
    from django.db import transaction

    from activity_plans.models import ActivityPlan
    from archive import services

    plan_id = plan.pk

    def register() -> None:
        try:
            with transaction.atomic():
                locked = ActivityPlan.objects.select_for_update().filter(pk=plan_id).first()
                if locked is None or locked.status != ActivityPlan.Status.APPROVED:
                    return
                if services.is_registered(locked) or services.is_minor(locked):
                    return
                services.register_record(record=locked, actor=actor)
        except services.ArchiveError as error:
            logger.warning("Plan %s was not registered: %s", plan_id, error.message)

    transaction.on_commit(register)


def keep_sqlite_index_trigger(*, using: str, **kwargs) -> None:
    """After ``migrate`` on SQLite, put back the trigger that drops a deleted
    document from the search index: Django alters an SQLite table by copying it
    into a new one, and the old table's triggers go with the old table."""
    from django.db import connections

    from archive import search

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    tables = connection.introspection.table_names()
    if search.FTS_TABLE in tables and "archive_document" in tables:
        with connection.cursor() as cursor:
            cursor.execute(search.sqlite_index_sql()[1])


def register_policy_after_commit(*, policy, actor) -> None:
    """A published version of the policy enters the register once the
    publication has committed, like an approved plan. Idempotent; a refusal is
    logged and leaves the publication standing."""
    from django.db import transaction

    from accounts.models import PolicyVersion
    from archive import services

    policy_id = policy.pk

    def register() -> None:
        try:
            with transaction.atomic():
                locked = PolicyVersion.objects.select_for_update().filter(pk=policy_id).first()
                if locked is None or services.is_registered(locked):
                    return
                services.register_policy(policy=locked, actor=actor)
        except services.ArchiveError as error:
            logger.warning("Policy version %s was not registered: %s", policy_id, error.message)

    transaction.on_commit(register)


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Diariet")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(keep_sqlite_index_trigger, sender=self)

        from accounts.navigation import register_nav, register_todo
        from accounts.roles import Role, register_role_permissions
        from archive import compliance, permissions, snapshots  # noqa: F401 - registers the rule
        from channels_registry import hooks

        hooks.register(hooks.CLOSE_PRECONDITIONS, snapshots.final_snapshot_missing)
        hooks.register(hooks.ACCOUNT_CLOSING, snapshots.open_final_request)
        hooks.register(hooks.CLOSURE_RECEIPT, snapshots.closure_receipt_lines)
        register_todo(snapshots.todos)

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
            "archive.dispose_records",
            "archive.propose_purge",
            "archive.export_archive",
        )
        register_role_permissions(Role.SECURITY_COORDINATOR, "archive.confirm_purge")

        from archive.requests import apps as requests_apps

        requests_apps.ready()

        from archive import disposal
        from moderation import hooks as moderation_hooks

        moderation_hooks.register(moderation_hooks.ACTION_LOGGED, register_after_commit)

        from activity_plans import hooks as plan_hooks

        plan_hooks.register(plan_hooks.PLAN_APPROVED, register_plan_after_commit)

        from accounts import hooks as account_hooks

        account_hooks.register(account_hooks.POLICY_PUBLISHED, register_policy_after_commit)

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
        register_nav(_("Gallring"), "archive:retention_index", disposal.can_dispose, order=86)
        register_nav(_("Rensning"), "archive:purge_index", disposal.can_see_purges, order=87)
