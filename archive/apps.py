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
        register_role_permissions(
            Role.REGISTRAR,
            "archive.dispose_records",
            "archive.propose_purge",
            "archive.export_archive",
        )
        register_role_permissions(Role.SECURITY_COORDINATOR, "archive.confirm_purge")

        from archive import disposal
        from moderation import hooks as moderation_hooks

        moderation_hooks.register(moderation_hooks.ACTION_LOGGED, register_after_commit)

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
