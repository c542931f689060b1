"""The in-app list of notifications, and marking one read."""

import pytest
from django.urls import reverse

from accounts.models import Notification

LIST = reverse("accounts:notifications")

pytestmark = pytest.mark.django_db


def _notice(user, subject="Ett konto saknar ersättare", **kwargs) -> Notification:
    return Notification.objects.create(recipient=user, subject=subject, **kwargs)


def _read_url(notice) -> str:
    return reverse("accounts:notification_read", args=[notice.pk])


def test_anonymous_is_sent_to_login(client, staff):
    notice = _notice(staff)
    for response in (client.get(LIST), client.post(_read_url(notice))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    notice.refresh_from_db()
    assert notice.read_at is None


def test_list_shows_my_notifications_only(client_for, staff, outsider):
    _notice(staff, "Din plan är godkänd", body="Kommunchefen har godkänt planen.")
    _notice(outsider, "Olles hemliga notis")

    response = client_for(staff).get(LIST)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Din plan är godkänd" in body
    assert "Kommunchefen har godkänt planen." in body
    assert "Olles hemliga notis" not in body
    assert "oläst" in body


def test_empty_list_says_so(client_for, staff):
    assert "Du har inga notiser." in client_for(staff).get(LIST).content.decode()


def test_marking_my_notification_read(client_for, staff):
    notice = _notice(staff)
    client = client_for(staff)

    response = client.post(_read_url(notice), {"next": LIST})

    assert response.status_code == 302
    assert response["Location"] == LIST
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "Markera som läst" not in client.get(LIST).content.decode()


def test_marking_someone_elses_notification_does_nothing(client_for, staff, outsider):
    theirs = _notice(outsider, "Olles notis")

    response = client_for(staff).post(_read_url(theirs))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_a_missing_notification_does_nothing(client_for, staff):
    response = client_for(staff).post(reverse("accounts:notification_read", args=[999999]))
    assert response.status_code == 404


def test_marking_read_needs_post(client_for, staff):
    notice = _notice(staff)
    assert client_for(staff).get(_read_url(notice)).status_code == 405
    notice.refresh_from_db()
    assert notice.read_at is None


def test_marking_read_never_redirects_to_another_site(client_for, staff):
    notice = _notice(staff)
    response = client_for(staff).post(_read_url(notice), {"next": "https://evil.example/"})
    assert response["Location"] == LIST


def test_unread_count_is_shown_in_the_header(client_for, staff):
    _notice(staff)
    _notice(staff)
    body = client_for(staff).get(LIST).content.decode()
    assert '<span class="badge">2<span class="visually-hidden"> olästa</span></span>' in body


def test_list_query_count_does_not_grow_with_notifications(client_for, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(staff)
    _notice(staff)
    client.get(LIST)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for i in range(40):
        _notice(staff, f"Notis {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(few.captured_queries) == len(many.captured_queries)


def test_existing_notices_are_linked_to_the_record_their_url_names(staff):
    """The migration that gave notices their record reads it from the URL;
    a URL that names no record, or a record that is gone, leaves no link."""
    import importlib

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    from tests.factories import SocialAccountFactory

    account = SocialAccountFactory()
    detail = "channels_registry:account_detail"
    linked = _notice(staff, url=reverse(detail, args=[account.pk]))
    gone = _notice(staff, url=reverse(detail, args=[account.pk + 1000]))
    no_record = _notice(staff, url=reverse("accounts:policy"))
    nowhere = _notice(staff, url="/finns-inte/")
    migration = importlib.import_module("accounts.migrations.0005_notification_about")

    migration.link_to_records(apps, None)

    linked.refresh_from_db()
    assert linked.about == account
    assert linked.about_type == ContentType.objects.get_for_model(account)
    for notice in (gone, no_record, nowhere):
        notice.refresh_from_db()
        assert (notice.about_type_id, notice.about_id) == (None, None)
