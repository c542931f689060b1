"""The confirmed reading-in of existing accounts: a trigger; the run is the truth."""

from celery import shared_task
from django.utils.translation import gettext as _

from channels_registry.imports import runs
from nora_social.core.tasks import NoraTask


@shared_task(base=NoraTask, bind=True)
def import_account_file(self, run_id: int) -> dict:
    try:
        run = runs.run_import(run_id)
    except Exception:
        if self.request.retries >= self.max_retries:
            runs.run_failed(
                run_id,
                _(
                    "Inläsningen avbröts av ett tekniskt fel. Försök igen eller kontakta systemförvaltaren."
                ),
            )
        raise
    return {"run": run_id, "status": run.status if run else None}
