"""Uploads refused through the pages themselves: every form with a file field
(found on the pages the access matrix allows) gets a text file named .png, an
SVG named .png, an oversize file and a decompression-bomb PNG (20000×20000,
1-bit, small on disk). Each is refused with a clear Swedish message, never a
500, and nothing is stored."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from nora_social.core.uploads import MAX_BYTES
from tests.security.test_fuzz_forms import discover, row_counts
from tests.security.world import personas_fixture, shared_fixture, world_fixture  # noqa: F401


def _bomb(side: int = 20_000) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (side, side), 0).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _oversize() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return buffer.getvalue() + b"\0" * (MAX_BYTES + 1)


BAD_FILES = {
    "text named png": (lambda: b"hello, I am not an image\n", "inte en bild"),
    "svg named png": (
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "inte en bild",
    ),
    "oversize": (_oversize, "för stor"),
    # Past Pillow's own bomb guard: refused as not an image.
    "decompression bomb": (_bomb, "inte en bild"),
    # Under Pillow's guard, over the app's pixel limit.
    "too many pixels": (lambda: _bomb(10_000), "bildpunkter"),
}

# Valid values for the other fields, by name, so that the file is what is judged.
NOW = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
VALID = {
    "action": "deleted",
    "origin": "citizen",
    "category": "reklam",
    "reason": "Reklam.",
    "content_author": "Greta",
    "content_text": "Köp!",
    "captured_at": NOW,
    "content_posted_at": NOW,
    "text": "Rättad text",
}


# Uploads of spreadsheets, not screenshots: the same bad files, their own messages.
SPREADSHEET_UPLOADS = ("/installningar/organisation/", "/register/konton/inlasning/")
SPREADSHEET_REFUSALS = ("Kolumner saknas", "går inte att läsa som kalkylblad", "för stor")


def upload_forms(personas, world, *, spreadsheets=False):
    forms = discover(personas, world)
    return {
        action: (persona, fields)
        for action, (persona, fields) in forms.items()
        if any(kind == "file" for _n, kind, _o, _v in fields)
        and action.startswith(SPREADSHEET_UPLOADS) == spreadsheets
    }


@pytest.mark.django_db
def test_the_upload_forms_are_found(personas, world):
    actions = upload_forms(personas, world)
    assert any("/atgarder/ny/" in a for a in actions), sorted(actions)


def test_the_bomb_is_small_on_disk_and_huge_in_pixels():
    data = _bomb()
    assert len(data) < MAX_BYTES
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(data))


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_every_upload_form_refuses_the_file_with_a_swedish_message(personas, world, kind):
    make, message = BAD_FILES[kind]
    content = make()
    for action, (persona, fields) in upload_forms(personas, world).items():
        client = Client()
        client.force_login(personas[persona])
        data = {}
        for name, field_kind, options, value in fields:
            if field_kind == "file":
                data[name] = SimpleUploadedFile("skarmdump.png", content, "image/png")
            elif name in VALID:
                data[name] = VALID[name]
            elif field_kind == "select":
                data[name] = next((o for o in options if o), "")
            elif field_kind in ("checkbox", "radio"):
                data.setdefault(name, value or "on")
            else:
                data[name] = value
        before = row_counts()
        response = client.post(action, data)
        assert response.status_code in (200, 400), (action, kind, response.status_code)
        assert message in response.content.decode(), (action, kind)
        assert row_counts() == before, (action, kind)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_spreadsheet_upload_refuses_the_same_files_with_a_swedish_message(personas, world, kind):
    make, _message = BAD_FILES[kind]
    forms = upload_forms(personas, world, spreadsheets=True)
    assert forms, "the org import's upload form was not found"
    for action, (persona, fields) in forms.items():
        client = Client()
        client.force_login(personas[persona])
        data = {name: value for name, field_kind, _o, value in fields if field_kind != "file"}
        for name, field_kind, _o, _v in fields:
            if field_kind == "file":
                data[name] = SimpleUploadedFile("skarmdump.png", make(), "image/png")
        before = row_counts()
        response = client.post(action, data)
        assert response.status_code in (200, 400), (action, kind, response.status_code)
        text = response.content.decode()
        assert any(refusal in text for refusal in SPREADSHEET_REFUSALS), (action, kind)
        assert row_counts() == before, (action, kind)
