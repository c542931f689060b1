"""A confirmed reading-in runs in the worker, not in the web request.

``run_start`` records the run (the file kept server-side, with its SHA-256) and
queues the task after commit; ``run_import`` (the task) imports the whole file
in one transaction through ``services.import_accounts`` and marks the run done
in that same transaction, so the accounts and the "done" commit together or not
at all: a redelivered or repeated task finds the run done and imports nothing
more. A refusal found at import time (a handle registered since the preview)
rolls everything back and the run is marked failed with every reason. While the
task runs, the rows done are kept in the shared cache, outside the transaction,
for the status page."""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import caches
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import is_information_officer_or_deputy, role_holder_for
from accounts.services import notify
from channels_registry.imports import services
from channels_registry.imports.models import AccountImportRun
from channels_registry.imports.permissions import can_import_accounts, can_view_import_run
from channels_registry.models import AccountMember
from nora_social.core.errors import ServiceError
from nora_social.core.history import set_history_user

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 10
PROGRESS_SECONDS = 24 * 3600
Status = AccountImportRun.Status


def run_start(*, actor: User, name: str, data: bytes, rows: int) -> AccountImportRun:
    """Record the confirmed file and queue its import. The same file confirmed
    again by the same person while its run is waiting or running is that run."""
    if not can_import_accounts(actor):
        raise services.AccountImportError(_("Bara informationsansvarig kan läsa in konton."))
    digest = services.file_digest(data)
    with transaction.atomic():
        pending = (
            AccountImportRun.objects.select_for_update()
            .filter(digest=digest, started_by=actor, status__in=[Status.QUEUED, Status.RUNNING])
            .first()
        )
        if pending is not None:
            return pending
        run = AccountImportRun(
            digest=digest, file_name=name[:255], data=data, started_by=actor, total_rows=rows
        )
        set_history_user(run, actor)
        run.save()
        from channels_registry.imports.tasks import import_account_file

        run_id = run.pk
        transaction.on_commit(lambda: _queue(import_account_file, run_id))
    return run


def _queue(task: Any, run_id: int) -> None:
    try:
        task.apply_async(args=[run_id], retry=False)
    except Exception:  # noqa: BLE001 - broker away: the run stays queued, the page says so
        logger.warning("Could not queue account import run %s; it stays queued.", run_id)


def _progress_key(run_id: int) -> str:
    return f"account-import-run:{run_id}:done"


def rows_done(run: AccountImportRun) -> int:
    """The rows registered so far (0 when the cache is away or the run waits)."""
    if run.status == Status.DONE:
        return run.total_rows
    if run.status != Status.RUNNING:
        return 0
    try:
        return int(caches["shared"].get(_progress_key(run.pk)) or 0)
    except Exception:  # noqa: BLE001 - progress is a courtesy; the run is the truth
        return 0


def _record_progress(run_id: int):
    def record(done: int, total: int) -> None:
        if done % PROGRESS_EVERY and done != total:
            return
        try:
            caches["shared"].set(_progress_key(run_id), done, timeout=PROGRESS_SECONDS)
        except Exception:  # noqa: BLE001 - a cache outage never stops the import
            return

    return record


def _begin(run_id: int) -> AccountImportRun | None:
    """Mark the run running (committed, for the page); None if it is finished."""
    with transaction.atomic():
        run = AccountImportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.finished:
            return None
        if run.status == Status.QUEUED:
            run.status, run.started_at = Status.RUNNING, timezone.now()
            set_history_user(run, run.started_by)
            run.save(update_fields=["status", "started_at"])
        return run


def run_import(run_id: int) -> AccountImportRun | None:
    """Import a queued run's file (the Celery task calls this). Idempotent."""
    if _begin(run_id) is None:
        return AccountImportRun.objects.filter(pk=run_id).first()
    try:
        with transaction.atomic():
            # Held to the commit: a second delivery of the task waits here and
            # then finds the run done.
            run = AccountImportRun.objects.select_for_update().get(pk=run_id)
            if run.finished:
                return run
            accounts = services.import_accounts(
                actor=run.started_by,
                name=run.file_name,
                data=bytes(run.data),
                progress=_record_progress(run_id),
            )
            _done(run, [a.pk for a in accounts])
    except ServiceError as exc:
        # A refusal (the file's own checks, or a service's rule on a row): final,
        # not retried; anything else is a fault the task retries.
        return run_failed(run_id, exc.message, exc.messages)
    return run


def _told(run: AccountImportRun) -> list[User | None]:
    """The one who started the run and the information officer (or deputy),
    once each."""
    return [run.started_by, role_holder_for(Role.INFORMATION_OFFICER)]


def _done(run: AccountImportRun, ids: list[int]) -> None:
    run.status, run.finished_at = Status.DONE, timezone.now()
    run.account_ids = ids
    run.total_rows = run.created_accounts = len(ids)
    run.created_members = AccountMember.objects.filter(account_id__in=ids).count()
    set_history_user(run, run.started_by)
    run.save()
    notify(
        recipients=_told(run),
        subject=_("Inläsningen av konton är klar"),
        body=_(
            "%(count)s konton från %(file)s är inlästa som konton som fanns före policyn "
            "och ska ha en godkänd aktivitetsplan senast %(due)s."
        )
        % {
            "count": len(ids),
            "file": run.file_name,
            "due": services.plan_due_on().isoformat(),
        },
        url=reverse("channels_registry:account_import_run", args=[run.pk]),
        about=run,
    )


def run_failed(
    run_id: int, error: str, problems: list[str] | None = None
) -> AccountImportRun | None:
    """The import was refused or gave up: nothing of the file is saved, the run
    says why and the person who started it is told."""
    with transaction.atomic():
        run = AccountImportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.finished:
            return run
        run.status, run.finished_at = Status.FAILED, timezone.now()
        run.error = error
        run.problems = [p for p in (problems or []) if p != error]
        set_history_user(run, run.started_by)
        run.save()
        notify(
            recipients=_told(run),
            subject=_("Inläsningen av konton misslyckades"),
            body=_("Inget från %(file)s har sparats. %(error)s")
            % {"file": run.file_name, "error": error},
            url=reverse("channels_registry:account_import_run", args=[run.pk]),
            about=run,
        )
    return run


def run_for(user: User, run_id: int) -> AccountImportRun | None:
    run = AccountImportRun.objects.select_related("started_by").filter(pk=run_id).first()
    if run is None or not can_view_import_run(user, run):
        return None
    return run


def recent_runs(user: User, limit: int = 10) -> list[AccountImportRun]:
    """The latest runs the person may see: their own, or all for the
    information officer."""
    found = AccountImportRun.objects.select_related("started_by").defer("data")
    if not is_information_officer_or_deputy(user):
        found = found.filter(started_by=user)
    return list(found.order_by("-created_at")[:limit])
