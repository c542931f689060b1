"""Request size: a body larger than any legitimate upload is refused with 413
from its declared length, before the app reads it, and nothing is stored."""

import io

from django.conf import settings
from django.test import Client
from django.urls import reverse

from nora_social.core.uploads import MAX_BYTES

REPORT = reverse("accessibility_report")
HUGE = 300 * 1024 * 1024


class CountingStream(io.RawIOBase):
    """A request body of ``size`` bytes that counts what the server reads."""

    def __init__(self, size: int):
        self.remaining = size
        self.read_bytes = 0

    def readable(self):
        return True

    def read(self, n=-1):
        n = self.remaining if n is None or n < 0 else min(n, self.remaining)
        self.remaining -= n
        self.read_bytes += n
        return b"x" * n

    def readline(self, size=-1):
        return self.read(size if size and size > 0 else 8192)


def test_a_300_mb_upload_is_refused_unread(mailoutbox):
    body = CountingStream(HUGE)
    response = Client().generic(
        "POST",
        REPORT,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(HUGE),
        **{"wsgi.input": body},
    )

    assert response.status_code == 413
    text = response.content.decode()
    assert "För stort för att skicka" in text
    assert f"större än {settings.MAX_REQUEST_BYTES // (1024 * 1024)} MB" in text
    assert body.read_bytes == 0
    assert mailoutbox == []


def test_the_limit_leaves_room_for_the_largest_screenshot():
    # A screenshot at its limit plus the form's other fields must reach the form,
    # which then answers with its own message; only more than that is refused.
    assert settings.MAX_REQUEST_BYTES >= MAX_BYTES + 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE < MAX_BYTES  # big files go to disk


def test_an_ordinary_post_is_not_affected(db, mailoutbox):
    response = Client().post(
        REPORT, {"page_url": "/konton/", "description": "Kontrasten är för låg."}
    )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
