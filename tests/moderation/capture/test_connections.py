"""Connecting an account in the browser: who may, the token encrypted and never
shown again, the capture's health on the account's page, and the timeline."""

import datetime
import re
from html import unescape

import pytest
import time_machine
from django.db import connection as db
from django.test.utils import CaptureQueriesContext

from channels_registry.connections.models import ConnectionEvent, PlatformConnection
from tests.channels_registry.escrow_support import stepped_up
from tests.moderation.capture import recorded as r

TOKEN = "EAApastedtoken1234567890notreal"  # noqa: S105 - not a credential


def _url(account, suffix=""):
    return f"/register/konton/{account.pk}/insamling/{suffix}"


def test_the_owner_connects_with_a_pasted_token_which_is_never_shown(client_for, staff, account):
    # A token is access like a password: the owner confirms who they are first.
    assert client_for(staff).get(_url(account, "koppla/"))["Location"].startswith("/")
    client = stepped_up(staff)
    assert client.get(_url(account, "koppla/")).status_code == 200
    answer = client.post(
        _url(account, "koppla/"),
        {
            "kind": "facebook",
            "external_id": r.PAGE_ID,
            "external_name": "Nora kommun",
            "access_token": TOKEN,
        },
    )
    assert answer.status_code == 302
    connection = PlatformConnection.objects.get()
    assert connection.access_token == TOKEN
    assert TOKEN not in repr(connection)
    with db.cursor() as cursor:
        cursor.execute("SELECT access_token FROM channels_registry_platformconnection")
        stored = cursor.fetchone()[0]
    assert TOKEN not in stored  # Fernet ciphertext
    page = client.get(_url(account)).content.decode()
    assert "Nora kommun" in page and TOKEN not in page
    assert ConnectionEvent.objects.get().kind == "connected"


def test_a_refused_connect_does_not_echo_the_token(client_for, staff, account):
    answer = stepped_up(staff).post(
        _url(account, "koppla/"), {"kind": "facebook", "external_id": "", "access_token": TOKEN}
    )
    assert answer.status_code == 200
    assert TOKEN not in answer.content.decode()
    assert not PlatformConnection.objects.exists()


def test_who_may_see_and_who_may_connect(client_for, account, outsider, registrar, client):
    assert client.get(_url(account)).status_code == 302  # anonymous → login
    assert client_for(outsider).get(_url(account)).status_code == 404
    assert client_for(registrar).get(_url(account)).status_code == 200
    assert client_for(registrar).get(_url(account, "koppla/")).status_code == 403


def test_disconnecting_overwrites_the_token(client_for, staff, facebook):
    answer = client_for(staff).post(_url(facebook.account, f"{facebook.pk}/koppla-bort/"))
    assert answer.status_code == 302
    facebook.refresh_from_db()
    assert facebook.disconnected_at is not None
    assert facebook.access_token == "-"


def test_the_timeline_lists_captures_in_a_constant_number_of_queries(
    rsps, facebook, client_for, staff
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from moderation.capture.services import poll_connection

    client = client_for(staff)
    url = f"/moderering/konton/{facebook.account_id}/tidslinje/"
    post = r.fb_post("900", "Inlägg")
    counts = []
    for n in (2, 12):
        rsps.reset()
        comments = [r.fb_comment(f"900_{i}", f"k {i}") for i in range(n)]
        r.facebook_page(rsps, [post], {post["id"]: comments}, [])
        poll_connection(connection_id=facebook.pk)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.status_code == 200 and f"k {n - 1}" in page.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]


def _timeline_objects(html: str) -> list[int]:
    return [int(x) for x in re.findall(r"Text nummer (\d+)", html)]


def _link(html: str, label: str) -> str | None:
    found = re.search(rf'<a href="([^"]*)"[^>]*>{label}</a>', html)
    return unescape(found[1]) if found else None


def _capture_posts(facebook, numbers, when=None):
    from moderation.capture.connectors.base import Item
    from moderation.capture.services import record_items

    for i in numbers:  # one poll each: first seen in this order
        item = Item(kind="post", platform_id=f"p{i}", raw={"i": i}, text=f"Text nummer {i}")
        if when is None:
            record_items(connection=facebook, items=[item])
        else:
            with time_machine.travel(when + datetime.timedelta(seconds=i), tick=False):
                record_items(connection=facebook, items=[item])


def test_the_timeline_pages_list_every_capture_once_newest_first(facebook, client_for, staff):
    """Pages are read by key (moderation.capture.selectors.timeline_page): from
    the newest page, "Äldre" reaches every object exactly once, newest first,
    each with its own number of versions; "Nyare" walks the same pages back;
    "Äldst" is the oldest full page."""
    from moderation.capture.connectors.base import Item
    from moderation.capture.services import record_items
    from moderation.capture.views import PAGE_SIZE

    n = PAGE_SIZE * 2 + 7
    _capture_posts(facebook, range(n))
    edited = Item(kind="post", platform_id="p3", raw={"i": 3}, text="Text nummer 3, ändrad")
    record_items(connection=facebook, items=[edited])
    client = client_for(staff)
    url = f"/moderering/konton/{facebook.account_id}/tidslinje/"
    pages, link = [], url
    while link is not None:
        html = client.get(link if link.startswith("/") else url + link).content.decode()
        pages.append(_timeline_objects(html))
        link = _link(html, "Äldre")
    assert [len(page) for page in pages] == [PAGE_SIZE, PAGE_SIZE, 7]
    with CaptureQueriesContext(db) as deepest:  # the last page is read from its key
        client.get(url + _link(html, "Nyare").replace("efter=", "fore="))
    assert not [q for q in deepest.captured_queries if "OFFSET" in q["sql"].upper()]
    assert sum(pages, []) == list(reversed(range(n)))
    assert f"Visar 7 av {n} hämtade objekt" in html
    assert _link(html, "Äldst") is None and _link(html, "Nyast") == url
    assert len(re.findall(r"\b2 versioner", html)) == 1
    assert len(re.findall(r"\b1 version\b", html)) == 6
    back = []
    while (link := _link(html, "Nyare")) is not None:
        html = client.get(url + link).content.decode()
        back.append(_timeline_objects(html))
    assert back == [pages[1], pages[0]]
    assert _link(html, "Nyare") is None and _link(html, "Nyast") is None
    oldest = client.get(url, {"aldst": 1}).content.decode()
    assert _timeline_objects(oldest) == list(reversed(range(PAGE_SIZE)))
    assert _link(oldest, "Äldre") is None and _link(oldest, "Nyare") is not None


def test_the_timeline_goes_to_a_date(facebook, client_for, staff):
    """An archivist asked for what the account received on a day finds it by
    date: that day's objects first, then older ones; a date before anything
    was captured says so; a date that is not one is refused in Swedish."""
    from django.utils import timezone

    day_one = timezone.make_aware(datetime.datetime(2025, 3, 10, 12, 0))
    _capture_posts(facebook, range(0, 5), when=day_one)
    _capture_posts(facebook, range(5, 10), when=day_one + datetime.timedelta(days=1))
    _capture_posts(facebook, range(10, 15), when=day_one + datetime.timedelta(days=2))
    client = client_for(staff)
    url = f"/moderering/konton/{facebook.account_id}/tidslinje/"

    html = client.get(url, {"datum": "2025-03-11"}).content.decode()
    assert _timeline_objects(html) == list(reversed(range(10)))
    assert "Visar det som hämtades 2025-03-11 och tidigare." in html
    newer = _link(html, "Nyare")
    assert newer is not None
    assert _timeline_objects(client.get(url + newer).content.decode()) == list(
        reversed(range(10, 15))
    )

    html = client.get(url, {"datum": "2025-03-13"}).content.decode()
    assert _timeline_objects(html) == list(reversed(range(15)))
    assert _link(html, "Nyare") is None

    html = client.get(url, {"datum": "2024-01-01"}).content.decode()
    assert _timeline_objects(html) == []
    assert "Inget hämtades 2024-01-01 eller tidigare." in html

    for edge in ("9999-12-31", "0001-01-01"):  # the first and last dates a form takes
        assert client.get(url, {"datum": edge}).status_code == 200

    answer = client.get(url, {"datum": "den tionde"})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Ange ett datum som ÅÅÅÅ-MM-DD" in html
    assert _timeline_objects(html) == list(reversed(range(15)))


@pytest.mark.parametrize("param", ["fore", "efter"])
@pytest.mark.parametrize(
    "value", ["", "x.1", "99999999999999999999999.1", "1.-4", "1.2.3", "1.9999999999999999999"]
)
def test_a_page_link_that_is_not_one_shows_the_newest_page_with_a_message(
    facebook, client_for, staff, param, value
):
    _capture_posts(facebook, range(3))
    url = f"/moderering/konton/{facebook.account_id}/tidslinje/"
    answer = client_for(staff).get(url, {param: value})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Länken till sidan gick inte att läsa" in html
    assert _timeline_objects(html) == [2, 1, 0]
