"""The periodic reading of the staff directory (beat entry ``directory-sync``).

With no directory configured (``DIRECTORY_SOURCE`` empty, as in ``make run``)
the task does nothing and says so once per worker process in the log."""

import logging

from celery import shared_task

from accounts.directory import services
from accounts.directory.sources import configured_source
from nora_social.core.tasks import NoraTask

logger = logging.getLogger(__name__)
_said_unconfigured = False


# No automatic retry: a failed reading is logged on the run and the next
# scheduled run reads again (a delta round starts where the last good one ended).
@shared_task(
    name="accounts.directory.tasks.sync_directory", base=NoraTask, bind=True, autoretry_for=()
)
def sync_directory(self) -> dict:
    global _said_unconfigured
    source = configured_source()
    if source is None:
        if not _said_unconfigured:
            logger.info(
                "No staff directory is configured (DIRECTORY_SOURCE); the sync does nothing."
            )
            _said_unconfigured = True
        return {"configured": False}
    run = services.directory_sync(source=source)
    return {
        "configured": True,
        "run": run.pk,
        "status": run.status,
        "left": run.left,
        "roles_changed": run.roles_changed,
    }
