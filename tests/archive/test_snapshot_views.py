import pytest
from django.urls import reverse

from archive.models import SnapshotRequest, SnapshotScreenshot
from archive.snapshots import services as snapshots
from tests.archive.snapshot_helpers import make_snapshot, png, request_with_screenshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(account, staff):
    return make_snapshot(account, staff)


def _urls(account, snapshot):
    return [
        reverse("archive:account_snapshots", args=[account.pk]),
        reverse("archive:snapshot_request", args=[snapshot.request_id]),
        reverse("archive:snapshot_download", args=[snapshot.pk]),
        reverse("archive:snapshot_screenshot", args=[snapshot.request.screenshots.get().pk]),
    ]


def test_anonymous_is_sent_to_login(client, account, snapshot, settings):
    for url in [reverse("archive:snapshots"), *_urls(account, snapshot)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse(settings.LOGIN_URL)), url


def test_outsider_gets_404_for_every_snapshot_page(client_for, outsider, account, snapshot):
    c = client_for(outsider)
    for url in _urls(account, snapshot):
        assert c.get(url).status_code == 404, url
    listing = c.get(reverse("archive:snapshots"))
    assert listing.status_code == 200
    assert reverse("archive:account_snapshots", args=[account.pk]) not in listing.content.decode()


def test_outsider_cannot_post_a_request(client_for, outsider, account):
    url = reverse("archive:account_snapshots", args=[account.pk])
    response = client_for(outsider).post(url, {"reason": "major_change", "note": "x"})
    assert response.status_code == 404
    assert not SnapshotRequest.objects.exists()


def test_account_people_see_pages_and_download_the_pdf(client_for, staff, account, snapshot):
    c = client_for(staff)
    for url in [reverse("archive:snapshots"), *_urls(account, snapshot)[:2]]:
        assert c.get(url).status_code == 200, url
    pdf = c.get(reverse("archive:snapshot_download", args=[snapshot.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    image = c.get(_urls(account, snapshot)[3])
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_list_query_count_does_not_grow_with_snapshots(
    client_for, info_officer, account, staff, django_assert_max_num_queries
):
    make_snapshot(account, staff)
    c = client_for(info_officer)
    with django_assert_max_num_queries(15):
        assert c.get(reverse("archive:snapshots")).status_code == 200


def test_owner_asks_for_a_snapshot_at_a_major_change(client_for, staff, account):
    url = reverse("archive:account_snapshots", args=[account.pk])
    response = client_for(staff).post(url, {"reason": "major_change", "note": "Nytt namn"})
    made = SnapshotRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("archive:snapshot_request", args=[made.pk])
    assert made.requested_by == staff and made.note == "Nytt namn"


def test_major_change_without_description_is_refused_with_400(client_for, staff, account):
    url = reverse("archive:account_snapshots", args=[account.pk])
    response = client_for(staff).post(url, {"reason": "major_change", "note": ""})
    assert response.status_code == 400
    assert not SnapshotRequest.objects.exists()


def test_svg_upload_through_the_page_is_refused_with_400(client_for, staff, account):
    from django.core.files.uploadedfile import SimpleUploadedFile

    made = snapshots.snapshot_request_create(
        account_id=account.pk, actor=staff, reason="major_change", note="Nytt namn"
    )
    url = reverse("archive:snapshot_request", args=[made.pk])
    svg = SimpleUploadedFile("a.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    response = client_for(staff).post(url, {"image": svg, "captured_on": "", "caption": ""})
    assert response.status_code == 400
    assert "PNG, JPEG eller WebP" in response.content.decode()
    assert not SnapshotScreenshot.objects.exists()
    ok = client_for(staff).post(url, {"image": png()})
    assert ok.status_code in (302, 400)


def test_make_button_queues_the_request(client_for, staff, account):
    made = request_with_screenshot(account, staff)
    url = reverse("archive:snapshot_request", args=[made.pk])
    response = client_for(staff).post(url, {"do": "make"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == SnapshotRequest.Status.QUEUED
    # The request says who queued it: a re-queued task runs on their behalf.
    assert made.queued_by == staff


def test_download_file_name_has_the_local_date_of_the_snapshot(client_for, staff, account):
    """Made at 00:30 in Stockholm on 2 June is 22:30 UTC on 1 June: the name says 2 June."""
    import datetime

    from archive.models import Snapshot
    from tests.archive.snapshot_helpers import final_snapshot_row

    snapshot = final_snapshot_row(account, staff)
    Snapshot.objects.filter(pk=snapshot.pk).update(
        made_at=datetime.datetime(2026, 6, 1, 22, 30, tzinfo=datetime.UTC)
    )
    response = client_for(staff).get(reverse("archive:snapshot_download", args=[snapshot.pk]))
    assert response.status_code == 200
    assert f"ogonblicksbild-{account.handle}-2026-06-02.pdf" in response["Content-Disposition"]
