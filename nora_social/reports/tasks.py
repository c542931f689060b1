"""The yearly report's task: a trigger; the manifest is the truth (services)."""

from celery import shared_task

from nora_social.core.tasks import NoraTask
from nora_social.reports import services


@shared_task(base=NoraTask, bind=True, release_memory_after=True)
def make_report(self, token: str) -> dict:
    try:
        manifest = services.report_make(token)
    except Exception:
        if self.request.retries >= self.max_retries:
            services.report_failed(token)
        raise
    return {"token": token, "state": manifest.state if manifest else None}
