"""Celery tasks: triggers only. The database is the truth; a task that never ran
is caught by the next scheduled sweep.

Every task is idempotent (the sweep reconciles, the digest is one per person and
day). ``NoraTask`` acknowledges late, rejects back to the queue if the worker
dies and retries with backoff; the limit stays well under the broker's
visibility timeout so Redis never hands a running task to a second worker.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from channels_registry.compliance import digest, engine
from nora_social.core.tasks import NoraTask

logger = logging.getLogger(__name__)

# Hard limit per task; the Redis visibility timeout (settings) must stay above it.
TASK_TIME_LIMIT = 60 * 60

# Changes to one account within this many seconds are re-checked once; the task
# waits as long, so every change it stands for has committed before it reads.
RECHECK_DELAY_SECONDS = getattr(settings, "COMPLIANCE_RECHECK_DELAY_SECONDS", 5)


# Registered under the name the beat schedule (settings) has always used. A full
# sweep may run longer than the kernel's default limit, so it keeps its own.
@shared_task(
    name="channels_registry.tasks.run_compliance_sweep",
    base=NoraTask,
    bind=True,
    time_limit=TASK_TIME_LIMIT,
    soft_time_limit=TASK_TIME_LIMIT - 60,
)
def run_compliance_sweep(
    self, time_critical_only: bool = False, account_ids: list[int] | None = None
) -> dict:
    summary = engine.run_sweep(time_critical_only=time_critical_only, account_ids=account_ids)
    return {
        "opened": summary.opened,
        "still_open": summary.still_open,
        "resolved": summary.resolved,
    }


@shared_task(
    name="channels_registry.tasks.send_finding_digests",
    base=NoraTask,
    bind=True,
    time_limit=TASK_TIME_LIMIT,
    soft_time_limit=TASK_TIME_LIMIT - 60,
)
def send_finding_digests(self) -> dict:
    """The daily reminder: one digest per person (in-app and one e-mail)."""
    sent = digest.send_digests()
    return {"sent": len(sent)}


def recheck_account_after_commit(account_id: int) -> None:
    """Queue a re-check of one account, once for a burst of changes to it.

    Called after the change has committed (the ACCOUNT_CHANGED hook). If the
    broker is down, the next sweep does the work instead, so a failure to queue
    is logged and swallowed: a web request never fails because Redis is away."""
    if not cache.add(f"compliance-recheck:{account_id}", 1, timeout=RECHECK_DELAY_SECONDS):
        return
    try:
        run_compliance_sweep.apply_async(
            kwargs={"account_ids": [account_id]},
            countdown=RECHECK_DELAY_SECONDS,
            expires=3600,
            retry=False,
        )
    except Exception:  # noqa: BLE001 - any broker failure; the sweep is the fallback
        cache.delete(f"compliance-recheck:{account_id}")
        logger.warning(
            "Could not queue a compliance re-check of account %s; the next sweep will.", account_id
        )
