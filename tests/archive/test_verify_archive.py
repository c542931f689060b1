"""``verify_archive`` re-hashes every stored file with a recorded SHA-256
(snapshots, their screenshots, approved plans, moderation screenshots) and reports a changed or missing
file by kind, number and path, exiting non-zero; a clean archive exits 0."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from activity_plans.models import ActivityPlan
from archive.models import SnapshotScreenshot
from tests.archive.conftest import corrected, removed_comment
from tests.archive.snapshot_helpers import final_snapshot_row
from tests.moderation.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db

SECRET_BYTES = b"%PDF-1.7 confidential content of the plan"


@pytest.fixture
def stored(account, staff, org):
    snapshot = final_snapshot_row(account, staff)
    image = image_bytes()
    shot = SnapshotScreenshot(
        request=snapshot.request,
        content_type="image/png",
        sha256=hashlib.sha256(image).hexdigest(),
        uploaded_by=staff,
    )
    shot.image.save("shot.png", ContentFile(image), save=False)
    shot.save()
    # Larger than one read, so the hash is built chunk by chunk.
    data = SECRET_BYTES + b"x" * (3 * 1024 * 1024)
    plan = ActivityPlan(author=staff, unit=org["unit"], pdf_sha256=hashlib.sha256(data).hexdigest())
    plan.pdf.save("plan.pdf", ContentFile(data), save=False)
    plan.save()
    ActivityPlan.objects.create(author=staff, unit=org["unit"])  # a draft: no file yet
    return {"snapshot": snapshot, "screenshot": shot, "plan": plan}


def run(capsys):
    try:
        call_command("verify_archive")
    except CommandError as error:
        return False, capsys.readouterr().out, str(error)
    return True, capsys.readouterr().out, ""


def test_a_clean_archive_passes(stored, capsys):
    ok, out, _ = run(capsys)
    assert ok
    assert "Kontrollerade filer: 3" in out
    assert "Avvikande kontrollsumma: 0" in out and "Saknade filer: 0" in out
    assert "Alla filer stämmer" in out


def test_a_file_changed_on_disk_is_reported_and_fails(stored, capsys):
    plan = stored["plan"]
    path = plan.pdf.path
    with open(path, "r+b") as handle:
        handle.seek(2 * 1024 * 1024)
        handle.write(b"y")

    ok, out, error = run(capsys)

    assert not ok and "1 problem" in error
    assert "Avvikande kontrollsumma: 1" in out
    assert f"aktivitetsplan {plan.pk}: {plan.pdf.name}" in out
    assert "confidential" not in out  # names and paths only, never content


def test_a_missing_file_is_reported_and_fails(stored, capsys):
    shot = stored["screenshot"]
    shot.image.storage.delete(shot.image.name)
    snapshot = stored["snapshot"]
    with open(snapshot.pdf.path, "ab") as handle:
        handle.write(b"appended")

    ok, out, error = run(capsys)

    assert not ok and "2 problem" in error
    assert "Saknade filer: 1" in out
    assert f"Filen saknas: skärmdump för ögonblicksbild {shot.pk}: {shot.image.name}" in out
    assert f"ögonblicksbild {snapshot.pk}: {snapshot.pdf.name}" in out


def test_moderation_screenshots_are_hashed_when_logged_and_checked(account, staff, capsys):
    """The screenshot kept as evidence of a removed comment is a stored file like
    any other: its hash is taken as it is logged, a correction that keeps the
    screenshot keeps the hash, and a changed file is reported by the check."""
    image = image_bytes()
    action = removed_comment(account, staff, text="Ett hot", screenshot=upload(content=image))
    assert action.screenshot_sha256 == hashlib.sha256(image).hexdigest()

    correction = corrected(action, staff, reason="Rättad motivering.", note="Fel motivering.")
    assert correction.screenshot.name == action.screenshot.name
    assert correction.screenshot_sha256 == action.screenshot_sha256

    ok, out, _ = run(capsys)
    assert ok and "Kontrollerade filer: 2" in out

    with open(action.screenshot.path, "ab") as handle:
        handle.write(b"edited")
    ok, out, error = run(capsys)
    assert not ok and "2 problem" in error  # the entry and its correction
    assert f"{action.pk}: {action.screenshot.name}" in out
