"""The base of every Celery task of the apps: the database is the truth, a task
is a trigger, so each task is idempotent, acknowledged late (a worker that dies
mid-task leaves the message to another) and retried with backoff.

    @shared_task(base=NoraTask, bind=True)
    def make_snapshot(self, request_id: int) -> dict: ...

A task that must not retry (a sweep the beat runs again anyway) sets
``autoretry_for=()`` in its decorator.
"""

from __future__ import annotations

from celery.contrib.django.task import DjangoTask

TASK_TIME_LIMIT = 30 * 60


class NoraTask(DjangoTask):
    """Late acknowledgement, retry with exponential backoff, a hard and a soft
    time limit. ``DjangoTask`` adds ``delay_on_commit`` for tasks queued from a
    transaction."""

    abstract = True
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for: tuple[type[BaseException], ...] = (Exception,)
    retry_backoff = True
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 5
    time_limit = TASK_TIME_LIMIT
    soft_time_limit = TASK_TIME_LIMIT - 60
    # A task that builds a large document (a PDF) sets this: the worker child
    # then frees what it left behind (nora_social.core.worker.release_memory).
    release_memory_after = False
