"""A real Celery worker in a thread of the test process, and a safe way to wait
for what its tasks write.

On SQLite the test database is an in-memory database in shared-cache mode. A
read of a table that the worker thread is writing in an open transaction fails
at once with "database table is locked" (SQLITE_LOCKED, which the busy timeout
does not cover). So the test thread reads only while the worker is idle, and
accepts a read only if no task began or ran while it was being made. That also
means a test sees a task's writes only once the whole task has finished.
"""

import contextlib
import time

from celery.contrib.testing.worker import start_worker
from celery.worker import state as worker_state
from django.db import OperationalError

from nora_social.celery import app


@contextlib.contextmanager
def own_queue(broker_url: str, queue_prefix: str):
    """Tasks queued inside go to a queue of this test's own (see running_worker)."""
    app.conf.broker_url = broker_url
    queue = f"{queue_prefix}-{time.monotonic_ns()}"
    old_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        yield queue
    finally:
        app.conf.task_default_queue = old_queue


@contextlib.contextmanager
def worker_on(queue: str):
    with start_worker(app, perform_ping_check=False, pool="solo", queues=[queue]) as w:
        yield w


@contextlib.contextmanager
def running_worker(broker_url: str, queue_prefix: str):
    """Start a solo-pool worker on a queue of this test's own, so another test
    run's worker on the same Redis cannot take (or leave) a message here."""
    with own_queue(broker_url, queue_prefix) as queue, worker_on(queue) as w:
        yield w


def _worker_mark():
    """What changes whenever a task starts; None while one is running."""
    if worker_state.active_requests:
        return None
    return worker_state.all_total_count[0]


def wait_for(condition, timeout: float = 30.0, interval: float = 0.2) -> bool:
    """True once condition() holds, read while no task of the worker ran."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = _worker_mark()
        if before is not None:
            try:
                holds = condition()
            except OperationalError as exc:
                if "locked" not in str(exc):
                    raise
                holds = False
            if holds and _worker_mark() == before:
                return True
        time.sleep(interval)
    return False
