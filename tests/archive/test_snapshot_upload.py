import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from archive.models import SnapshotScreenshot
from archive.snapshots import services as snapshots
from tests.archive.snapshot_helpers import png

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture
def waiting(account, staff):
    return snapshots.snapshot_request_create(
        account_id=account.pk, actor=staff, reason="major_change", note="Ny profilbild"
    )


def _add(waiting, actor, upload, **kwargs):
    return snapshots.screenshot_add(request_id=waiting.pk, actor=actor, upload=upload, **kwargs)


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("bild.png", b"not an image at all", content_type="image/png"),
        SimpleUploadedFile("bild.svg", SVG, content_type="image/svg+xml"),
        SimpleUploadedFile("bild.png", SVG, content_type="image/png"),
        SimpleUploadedFile("bild.pdf", b"%PDF-1.7\n", content_type="application/pdf"),
    ],
    ids=["text", "svg", "svg-named-png", "pdf"],
)
def test_upload_that_is_not_a_raster_image_is_refused_and_nothing_is_stored(
    waiting, staff, upload, settings
):
    with pytest.raises(snapshots.SnapshotError) as refused:
        _add(waiting, staff, upload)
    assert "PNG, JPEG eller WebP" in refused.value.errors["image"][0]
    assert not SnapshotScreenshot.objects.exists()
    assert not (settings.MEDIA_ROOT / "snapshots").exists()


def test_screenshot_older_than_a_month_is_not_fresh(waiting, staff):
    old = timezone.localdate() - datetime.timedelta(days=snapshots.FRESH_DAYS + 1)
    with pytest.raises(snapshots.SnapshotError) as refused:
        _add(waiting, staff, png(), captured_on=old)
    assert "captured_on" in refused.value.errors
    assert not SnapshotScreenshot.objects.exists()


def test_png_screenshot_is_stored_with_its_hash_under_a_random_name(waiting, staff):
    shot = _add(waiting, staff, png("mitt namn.png"))
    assert shot.content_type == "image/png"
    assert len(shot.sha256) == 64
    assert "mitt" not in shot.image.name and shot.image.name.endswith(".png")


def test_jpeg_and_webp_are_accepted(waiting, staff):
    from tests.moderation.conftest import image_bytes

    for fmt, ext in (("JPEG", "jpg"), ("WEBP", "webp")):
        upload = SimpleUploadedFile(f"x.{ext}", image_bytes(fmt), content_type="image/" + ext)
        assert _add(waiting, staff, upload).image.name.endswith(ext)


def test_outsider_cannot_upload(waiting, outsider):
    with pytest.raises(snapshots.SnapshotError):
        _add(waiting, outsider, png())
    assert not SnapshotScreenshot.objects.exists()
