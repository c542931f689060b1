"""A real Celery worker over Redis makes the snapshot queued by the page's
service: a PDF/A with no validator violations and a matching hash."""

import hashlib

import pytest

from archive.models import Snapshot, SnapshotRequest
from archive.snapshots import rendering as snapshot_rendering
from archive.snapshots import services as snapshots
from tests.archive.snapshot_helpers import request_with_screenshot
from tests.celery_support import running_worker, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(redis_url):
    with running_worker(redis_url, "nora-test-snap") as w:
        yield w


def test_worker_makes_a_valid_pdfa_with_matching_hash(worker, account, staff):
    snapshot_request = request_with_screenshot(account, staff)
    snapshots.snapshot_make_start(request_id=snapshot_request.pk, actor=staff)
    assert wait_for(Snapshot.objects.exists, timeout=120, interval=0.5)
    snapshot = Snapshot.objects.get()
    with snapshot.pdf.open("rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == snapshot.sha256
    report = snapshot_rendering.check_pdfa(data)
    assert report.violations == ()
    assert report.passed, report.summary()
    snapshot_request.refresh_from_db()
    assert snapshot_request.status == SnapshotRequest.Status.DONE
