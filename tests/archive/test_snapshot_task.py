import os

import pytest

from archive.models import Document, Snapshot
from archive.snapshots.tasks import make_snapshot
from tests.archive.snapshot_helpers import queue, request_with_screenshot

pytestmark = pytest.mark.django_db


def _files(root):
    found = []
    for folder, _dirs, names in os.walk(root):
        found.extend(os.path.join(folder, n) for n in names)
    return found


def test_task_run_twice_makes_one_snapshot_one_file_and_one_entry(account, staff, settings):
    snapshot_request = queue(request_with_screenshot(account, staff), staff)
    first = make_snapshot.apply(args=[snapshot_request.pk, staff.pk]).get()
    second = make_snapshot.apply(args=[snapshot_request.pk, staff.pk]).get()
    assert first["snapshot"] == second["snapshot"]
    assert Snapshot.objects.count() == 1
    assert Document.objects.filter(record_id=first["snapshot"]).count() == 1
    pdfs = [f for f in _files(settings.MEDIA_ROOT / "snapshots") if f.endswith(".pdf")]
    assert len(pdfs) == 1
    assert not [f for f in _files(settings.MEDIA_ROOT) if f.endswith(".part")]


def test_a_failed_registration_leaves_no_file_in_the_archive(account, staff, settings, monkeypatch):
    """Everything before the rename rolls back: no row, no PDF under an archive name.
    (The failure is injected: the register itself has no way to fail on demand.)"""
    from archive.snapshots import services as snapshots

    snapshot_request = queue(request_with_screenshot(account, staff), staff)

    def broken(**kwargs):
        raise RuntimeError("register down")

    monkeypatch.setattr(snapshots, "register_record", broken)
    with pytest.raises(RuntimeError):
        snapshots.snapshot_render(request_id=snapshot_request.pk, actor_id=staff.pk)
    assert Snapshot.objects.count() == 0
    assert not [f for f in _files(settings.MEDIA_ROOT) if f.endswith((".part", ".pdf"))]


def test_task_for_a_missing_request_returns_quietly(db):
    assert make_snapshot.apply(args=[999999, None]).get() == {"snapshot": None}
