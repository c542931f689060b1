"""Celery tasks of the plans app: triggers only, the database is the truth.

``make_plan_pdf`` renders an approved plan's PDF/A after the approval has
committed. It is idempotent (``copies.plan_pdf_make`` leaves a plan that has
its PDF alone) and retried with backoff (``NoraTask``); a plan whose PDF never
comes is reported by the compliance sweep (``plan_pdf_missing``).
"""

from celery import shared_task

from activity_plans import copies
from nora_social.core.tasks import NoraTask


@shared_task(base=NoraTask, bind=True, release_memory_after=True)
def make_plan_pdf(self, plan_id: int, actor_id: int | None = None) -> dict:
    plan = copies.plan_pdf_make(plan_id=plan_id, actor_id=actor_id)
    return {"plan": plan_id, "sha256": plan.pdf_sha256 if plan is not None else None}
