"""Celery tasks for snapshots (§10): triggers only, the database is the truth.

The registered names stay ``archive.tasks.*`` (the beat schedule and queued
messages name them), so they are given explicitly.

``make_snapshot`` is idempotent (a request has at most one snapshot, and the file
is moved into place in the transaction that records it), acknowledged late and
retried with backoff (``NoraTask``). ``request_due_snapshots`` runs daily from the beat: it asks
for the yearly snapshot of every active account that is due and re-queues any
request whose task was lost (a broker that was down when it was queued), on
behalf of the person who queued it (``queued_by``).
"""

import logging

from celery import shared_task

from archive.models import SnapshotRequest
from archive.snapshots import services as snapshots
from nora_social.core.tasks import NoraTask

logger = logging.getLogger(__name__)


@shared_task(
    base=NoraTask, bind=True, name="archive.tasks.make_snapshot", release_memory_after=True
)
def make_snapshot(self, request_id: int, actor_id: int | None = None) -> dict:
    snapshot = snapshots.snapshot_render(request_id=request_id, actor_id=actor_id)
    if snapshot is None:
        return {"snapshot": None}
    return {"snapshot": snapshot.pk, "sha256": snapshot.sha256}


@shared_task(base=NoraTask, bind=True, name="archive.tasks.request_due_snapshots")
def request_due_snapshots(self) -> dict:
    made = snapshots.request_yearly_snapshots()
    requeued = 0
    for pending in SnapshotRequest.objects.filter(
        status=SnapshotRequest.Status.QUEUED, snapshot__isnull=True
    ):
        make_snapshot.apply_async(args=[pending.pk, pending.queued_by_id])
        requeued += 1
    return {"requested": len(made), "requeued": requeued}
