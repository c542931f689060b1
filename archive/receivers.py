"""What the archive does when other apps' events fire: registering a record
marked for registration, an approved activity plan and a published policy once
their transaction has committed, and keeping the SQLite search trigger after
``migrate``. Connected in ``ArchiveConfig.ready``.
"""

import logging

from django.db import connections, transaction

from accounts.models import PolicyVersion
from activity_plans.models import ActivityPlan
from archive.errors import ArchiveError
from archive.register import search, services

logger = logging.getLogger(__name__)


def register_after_commit(*, record, actor) -> None:
    """Records marked for registration (secret content, §10) enter the register
    once the moderation entry is committed. A refusal leaves the record on the
    registrar's "Att diarieföra" list instead of undoing the entry."""

    def register() -> None:
        try:
            services.register_record_if_marked(record=record, actor=actor)
        except ArchiveError as error:
            logger.warning("Record %s was not registered: %s", record.pk, error.message)

    transaction.on_commit(register)


def register_plan_after_commit(*, plan, actor) -> None:
    """An approved activity plan (§3: the written approval, kept as its PDF/A)
    enters the register as a drawn-up document in its account's collective case
    for the year, once the approval has committed. Idempotent: the plan row is
    locked and a plan already registered is left alone, so a retry or a second
    call adds nothing; a refusal rolls back whole (no number is used), is logged
    and leaves the approval standing."""
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
        except ArchiveError as error:
            logger.warning("Plan %s was not registered: %s", plan_id, error.message)

    transaction.on_commit(register)


def keep_sqlite_index_trigger(*, using: str, **kwargs) -> None:
    """After ``migrate`` on SQLite, put back the trigger that drops a deleted
    document from the search index: Django alters an SQLite table by copying it
    into a new one, and the old table's triggers go with the old table."""
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
    policy_id = policy.pk

    def register() -> None:
        try:
            with transaction.atomic():
                locked = PolicyVersion.objects.select_for_update().filter(pk=policy_id).first()
                if locked is None or services.is_registered(locked):
                    return
                services.register_policy(policy=locked, actor=actor)
        except ArchiveError as error:
            logger.warning("Policy version %s was not registered: %s", policy_id, error.message)

    transaction.on_commit(register)
