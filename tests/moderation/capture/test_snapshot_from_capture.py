"""The yearly snapshot is built from captured content (issue 17, §10): the
captured posts and comments of the period, with what the platform showed (the
newest text of an edited post), are in the PDF/A, through the capture's own
snapshot period lines."""

import datetime

import pypdfium2
import pytest
import time_machine

from archive.models import SnapshotReason
from archive.snapshots import rendering
from moderation.capture.services import poll_connection
from tests.archive.snapshot_helpers import make_snapshot
from tests.moderation.capture import recorded as r

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 7, 12, 0, tzinfo=datetime.UTC)


def pdf_text(data: bytes) -> str:
    pdf = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def test_the_yearly_snapshot_holds_the_captured_posts_and_comments(rsps, facebook, staff):
    comment = r.fb_comment("900_1", "Tack för infon", name="Anna Andersson")
    with time_machine.travel(NOW - datetime.timedelta(days=4)):
        post = r.fb_post("900", "Biblioteket har öppet till 18")
        r.facebook_page(rsps, [post], {post["id"]: [comment]}, [])
        poll_connection(connection_id=facebook.pk)
    rsps.reset()
    with time_machine.travel(NOW):
        edited = r.fb_post("900", "Biblioteket har öppet till 19 i dag", updated_day=5)
        r.facebook_page(rsps, [edited], {edited["id"]: [comment]}, [])
        poll_connection(connection_id=facebook.pk)
        snapshot = make_snapshot(facebook.account, staff, reason=SnapshotReason.YEARLY)

    with snapshot.pdf.open("rb") as handle:
        data = handle.read()
    text = " ".join(pdf_text(data).split())
    assert "»Biblioteket har öppet till 19 i dag« ändrad på plattformen" in text
    assert "»Tack för infon« av Anna Andersson" in text
    assert "öppet till 18" not in text
    report = rendering.check_pdfa(data)
    assert report.violations == ()
    assert report.passed, report.summary()
