"""Celery tasks: triggers only. The database is the truth; a task that never ran
is caught by the next scheduled sweep."""

import logging

from celery import shared_task

from channels_registry import engine

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
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


def recheck_account_after_commit(account_id: int) -> None:
    """Queue a re-check of one account; if the broker is down the nightly sweep
    does it instead, so a failure to queue is logged and swallowed."""
    try:
        run_compliance_sweep.delay(account_ids=[account_id])
    except Exception:  # noqa: BLE001 - any broker failure; the sweep is the fallback
        logger.warning(
            "Could not queue a compliance re-check of account %s; the next sweep will.", account_id
        )
