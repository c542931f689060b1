"""The screenshots in a snapshot PDF are the uploaded pixels, exactly: an RGB PNG is
embedded with its own image data, any other image (transparency, JPEG) decoded
once; each in its place and order; the PDF stays a valid PDF/A-2b. A damaged
image is refused when it is uploaded, not found broken in the archive later."""

import io
import random
import struct
import zlib

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from archive.models import SnapshotScreenshot
from archive.snapshots import rendering as snapshot_rendering
from archive.snapshots import services as snapshots

pytestmark = pytest.mark.django_db


def noisy(size, mode="RGB", seed=1) -> Image.Image:
    rng = random.Random(seed)
    bands = len(mode)
    return Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * bands))


def encoded(image: Image.Image, fmt="PNG", **kwargs) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def make_with(account, actor, *images: bytes):
    waiting = snapshots.snapshot_request_create(
        account_id=account.pk, actor=actor, reason="major_change", note="Ny profilbild"
    )
    for k, data in enumerate(images):
        snapshots.screenshot_add(
            request_id=waiting.pk,
            actor=actor,
            upload=SimpleUploadedFile(f"bild{k}.png", data, content_type="image/png"),
        )
    snapshots.snapshot_make_start(request_id=waiting.pk, actor=actor)
    snapshot = snapshots.snapshot_render(request_id=waiting.pk, actor_id=actor.pk)
    with snapshot.pdf.open("rb") as handle:
        data = handle.read()
    report = snapshot_rendering.check_pdfa(data)
    assert report.violations == ()
    assert report.passed, report.summary()
    return data


def embedded_images(data: bytes) -> list[Image.Image]:
    """The image objects in the order the pages first draw them, decoded by pikepdf
    as a PDF reader would (WeasyPrint's pages share one resource dictionary)."""
    found, seen = [], set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            names = {name: obj for name, obj in page.obj.Resources.XObject.items()}
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) != "Do" or str(operands[0]) not in names:
                    continue
                obj = names[str(operands[0])]
                if obj.get("/Subtype") == "/Image" and obj.objgen not in seen:
                    seen.add(obj.objgen)
                    found.append(pikepdf.PdfImage(obj).as_pil_image().copy())
    return found


def test_rgb_png_is_embedded_with_every_pixel_as_uploaded(account, staff):
    original = noisy((64, 48))
    (image,) = embedded_images(make_with(account, staff, encoded(original)))
    assert image.size == (64, 48)
    assert image.convert("RGB").tobytes() == original.tobytes()


def test_screenshots_keep_their_order_and_sizes(account, staff):
    first, second, third = noisy((30, 50), seed=1), noisy((80, 20), seed=2), noisy((25, 25), seed=3)
    images = embedded_images(
        make_with(account, staff, encoded(first), encoded(second), encoded(third))
    )
    assert [i.size for i in images] == [(30, 50), (80, 20), (25, 25)]
    assert [i.convert("RGB").tobytes() for i in images] == [
        first.tobytes(),
        second.tobytes(),
        third.tobytes(),
    ]


def test_transparent_png_is_laid_on_white_and_keeps_its_opaque_pixels(account, staff):
    original = noisy((40, 30), mode="RGB")
    rgba = original.convert("RGBA")
    rgba.paste((0, 0, 0, 0), (0, 0, 10, 30))  # the left quarter fully transparent
    (image,) = embedded_images(make_with(account, staff, encoded(rgba)))
    image = image.convert("RGB")
    assert image.getpixel((5, 5)) == (255, 255, 255)
    assert image.crop((10, 0, 40, 30)).tobytes() == original.crop((10, 0, 40, 30)).tobytes()


def test_jpeg_is_embedded_as_its_decoded_pixels(account, staff):
    data = encoded(noisy((48, 32)), fmt="JPEG", quality=80)
    (image,) = embedded_images(make_with(account, staff, data))
    with Image.open(io.BytesIO(data)) as decoded:
        assert image.convert("RGB").tobytes() == decoded.convert("RGB").tobytes()


def _with_damaged_pixels(png: bytes) -> bytes:
    """The same PNG with its image data replaced by bytes that do not inflate,
    under a correct chunk checksum (so only decoding finds it)."""
    out, pos = bytearray(png[:8]), 8
    while pos < len(png):
        (length,) = struct.unpack_from(">I", png, pos)
        kind = png[pos + 4 : pos + 8]
        body = png[pos + 8 : pos + 8 + length]
        if kind == b"IDAT":
            body = b"\x78\x9c" + bytes(range(200)) * 3
        out += struct.pack(">I", len(body)) + kind + body
        out += struct.pack(">I", zlib.crc32(kind + body))
        pos += 12 + length
    return bytes(out)


def test_damaged_png_is_refused_at_upload_with_a_message_and_nothing_stored(account, staff):
    waiting = snapshots.snapshot_request_create(
        account_id=account.pk, actor=staff, reason="major_change", note="Ny profilbild"
    )
    damaged = _with_damaged_pixels(encoded(noisy((40, 30))))
    with pytest.raises(snapshots.SnapshotError) as refused:
        snapshots.screenshot_add(
            request_id=waiting.pk,
            actor=staff,
            upload=SimpleUploadedFile("bild.png", damaged, content_type="image/png"),
        )
    assert "skadad" in refused.value.message
    assert refused.value.errors["image"] == [refused.value.message]
    assert not SnapshotScreenshot.objects.exists()
