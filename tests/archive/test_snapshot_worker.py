"""A real Celery worker over Redis makes the snapshot queued by the page's
service: a PDF/A with no validator violations and a matching hash."""

import hashlib
import time

import pytest
from celery.contrib.testing.worker import start_worker

from archive import snapshots
from archive.models import Snapshot, SnapshotRequest
from nora_social.celery import app
from tests.archive.snapshot_helpers import request_with_screenshot

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(redis_url):
    app.conf.broker_url = redis_url
    queue = f"nora-test-snap-{time.monotonic_ns()}"
    old_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", queues=[queue]) as w:
            yield w
    finally:
        app.conf.task_default_queue = old_queue


def test_worker_makes_a_valid_pdfa_with_matching_hash(worker, account, staff):
    snapshot_request = request_with_screenshot(account, staff)
    snapshots.snapshot_make_start(request_id=snapshot_request.pk, actor=staff)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not Snapshot.objects.exists():
        time.sleep(0.5)
    snapshot = Snapshot.objects.get()
    with snapshot.pdf.open("rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == snapshot.sha256
    report = snapshots.check_pdfa(data)
    assert report.violations == ()
    assert report.passed, report.summary()
    snapshot_request.refresh_from_db()
    assert snapshot_request.status == SnapshotRequest.Status.DONE
