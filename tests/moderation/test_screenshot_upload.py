"""Screenshots: images only (by content, not by name), size-limited, stored
outside the web root, served only to those who may see the record."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image

from moderation import services
from moderation.categories import Category
from moderation.models import ModerationAction
from nora_social.core.uploads import MAX_BYTES, check_screenshot
from tests.moderation.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize("fmt, ext", [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")])
def test_png_jpeg_and_webp_are_accepted(fmt, ext):
    checked = check_screenshot(upload(f"bild.{ext}", image_bytes(fmt)))
    assert checked.extension == ext


def _refusal(account, staff, file):
    with pytest.raises(services.ModerationError) as exc:
        services.action_log(
            account_id=account.pk,
            actor=staff,
            data=services.ActionData(
                action="deleted",
                origin="citizen",
                category=Category.REKLAM,
                reason="Reklam.",
                content_text="Köp!",
            ),
            screenshot=file,
        )
    assert not ModerationAction.objects.exists()
    return exc.value.errors["screenshot"][0]


def test_text_file_named_png_is_refused(account, staff):
    message = _refusal(account, staff, upload("skarmdump.png", b"hello, not an image"))
    assert "inte en bild" in message


def test_svg_is_refused_even_when_named_png(account, staff):
    assert "inte en bild" in _refusal(account, staff, upload("bild.png", SVG))
    assert "inte en bild" in _refusal(account, staff, upload("bild.svg", SVG, "image/svg+xml"))


def test_gif_is_refused(account, staff):
    assert "inte en bild" in _refusal(account, staff, upload("bild.gif", image_bytes("GIF")))


def test_truncated_png_is_refused(account, staff):
    broken = image_bytes("PNG", size=(200, 200))[:-40]
    assert "inte en bild" in _refusal(account, staff, upload("bild.png", broken))


def test_oversize_file_is_refused(account, staff):
    big = image_bytes() + b"\0" * (MAX_BYTES + 1)
    assert "för stor" in _refusal(account, staff, upload("bild.png", big))


def test_decompression_bomb_is_refused(account, staff):
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, format="PNG")  # 48 Mpx, a few kB
    assert "bildpunkter" in _refusal(account, staff, upload("bild.png", buffer.getvalue()))


def test_upload_form_shows_the_refusal_next_to_the_field(account, staff, client_for):
    response = client_for(staff).post(
        reverse("moderation:action_create", args=[account.pk]),
        {
            "action": "deleted",
            "origin": "citizen",
            "category": "reklam",
            "reason": "Reklam.",
            "content_text": "Köp!",
            "screenshot": upload("bild.png", SVG),
        },
    )
    assert response.status_code == 400
    assert "inte en bild" in response.content.decode()
    assert not ModerationAction.objects.exists()


def _record_with_screenshot(account, staff):
    return services.action_log(
        account_id=account.pk,
        actor=staff,
        data=services.ActionData(
            action="deleted",
            origin="citizen",
            category=Category.REKLAM,
            reason="Reklam.",
            content_text="Köp!",
        ),
        screenshot=upload("../../etc/passwd.png"),
    )


def test_screenshot_is_stored_under_media_root_with_a_random_name(account, staff, client_for):
    record = _record_with_screenshot(account, staff)
    path = record.screenshot.path
    assert path.startswith(str(settings.MEDIA_ROOT))
    assert "passwd" not in path
    # Nothing serves the media directory itself, not even to the uploader.
    assert client_for(staff).get(f"/{record.screenshot.name}").status_code == 404
    assert client_for(staff).get(f"/media/{record.screenshot.name}").status_code == 404


def test_screenshot_is_served_to_people_on_the_account(account, staff, colleague, client_for):
    record = _record_with_screenshot(account, staff)
    response = client_for(colleague).get(reverse("moderation:action_screenshot", args=[record.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_screenshot_is_not_served_to_outsider_or_anonymous(account, staff, outsider, client_for):
    record = _record_with_screenshot(account, staff)
    url = reverse("moderation:action_screenshot", args=[record.pk])
    assert client_for(outsider).get(url).status_code == 404
    from django.test import Client

    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert "/logga-in/" in anonymous["Location"]
