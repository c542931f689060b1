import hashlib

import pytest
from django.contrib.contenttypes.models import ContentType

from archive.models import Direction, Document, Snapshot, SnapshotRequest
from archive.snapshots import rendering as snapshot_rendering
from archive.snapshots import selectors as snapshot_selectors
from archive.snapshots import services as snapshots
from tests.accessible_pdf import assert_accessible, rows_split_across_pages
from tests.archive.conftest import removed_comment
from tests.archive.snapshot_helpers import make_snapshot, queue, request_with_screenshot

pytestmark = pytest.mark.django_db


def test_snapshot_is_a_pdfa_without_violations_and_its_hash_matches(account, staff):
    snapshot = make_snapshot(account, staff)
    with snapshot.pdf.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == snapshot.sha256
    report = snapshot_rendering.check_pdfa(data)
    assert report.violations == ()
    assert report.passed, report.summary()
    assert snapshot_selectors.verify_snapshot(snapshot)


def test_snapshot_is_registered_as_a_drawn_up_document_in_the_collective_case(account, staff):
    snapshot = make_snapshot(account, staff)
    document = Document.objects.get(
        record_type=ContentType.objects.get_for_model(Snapshot), record_id=snapshot.pk
    )
    assert document.direction == Direction.DRAWN_UP
    assert document.case.is_collective and document.case.account == account
    assert document.handling_officer == staff


def test_snapshot_records_its_request_period_and_screenshot_date(account, staff):
    snapshot = make_snapshot(account, staff)
    assert snapshot.request.status == SnapshotRequest.Status.DONE
    assert snapshot.final is False
    assert snapshot.period_start == account.activated_on
    assert snapshot.screenshots_taken_on == snapshot.request.screenshots.get().captured_on
    assert snapshot.made_by == staff


def test_snapshot_html_holds_profile_people_checklist_and_marks_citizen_content(account, staff):
    removed_comment(account, staff, text="Du är en idiot")
    snapshot_request = request_with_screenshot(account, staff)
    queue(snapshot_request, staff)
    snapshot_request.refresh_from_db()
    from django.utils import timezone

    html = snapshot_rendering.snapshot_html(
        snapshot_request, made_by=staff, today=timezone.localdate()
    )
    assert account.display_name in html
    assert account.update_frequency_text in html
    assert account.response_time_text in html
    assert staff.get_full_name() in html
    assert "Kontrollista" in html
    assert "Medborgares (inkommen)" in html
    assert "Medborgarnas kommentarer, inlägg och frågor (inkomna handlingar): 1" in html
    assert "data:image/png;base64," in html
    # The removed comment's text is not copied into the snapshot.
    assert "idiot" not in html


def test_a_snapshot_cannot_be_made_without_screenshots(account, staff):
    made = snapshots.snapshot_request_create(
        account_id=account.pk, actor=staff, reason="major_change", note="Nytt namn"
    )
    with pytest.raises(snapshots.SnapshotError):
        snapshots.snapshot_make_start(request_id=made.pk, actor=staff)
    made.refresh_from_db()
    assert made.status == SnapshotRequest.Status.OPEN


def test_snapshot_is_a_tagged_pdf_in_swedish_with_its_title(account, staff):
    """A screen reader can read the snapshot (DOS-lagen): tags in reading order,
    language sv, the title; the screenshots carry their alt text; still PDF/A."""
    snapshot = make_snapshot(account, staff)
    with snapshot.pdf.open("rb") as handle:
        data = handle.read()
    facts = assert_accessible(data, title=f"Ögonblicksbild – {account.display_name}")
    assert facts["alt_texts"] and all(
        alt.startswith("Skärmdump av kontot") for alt in facts["alt_texts"]
    )
    report = snapshot_rendering.check_pdfa(data)
    assert report.passed and report.violations == (), report.summary()


def test_a_checklist_row_is_not_split_across_a_page_break(account, staff):
    """The snapshot's table rows (the checklist) stay whole: a row that would
    straddle the page end moves to the next page."""
    from django.utils import timezone

    snapshot_request = request_with_screenshot(account, staff)
    queue(snapshot_request, staff)
    html = snapshot_rendering.snapshot_html(
        snapshot_request, made_by=staff, today=timezone.localdate()
    )
    style = html[html.index("<style>") : html.index("</style>") + len("</style>")]
    lines = "<br>".join(f"Rad {n} av en lång bekräftelse" for n in range(12))
    probe = (
        f"<html lang='sv'><head>{style}</head><body>"
        "<div style='height: 225mm'></div>"
        f"<table><tr><td>Kontot är märkt som kommunens</td><td>{lines}</td></tr></table>"
        "</body></html>"
    )
    assert rows_split_across_pages(probe) == []
    # The same row without the template's rules does split: the probe reaches a break.
    assert rows_split_across_pages(probe.replace(style, "")) != []
