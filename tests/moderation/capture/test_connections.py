"""Connecting an account in the browser: who may, the token encrypted and never
shown again, and the capture's health on the account's page."""

from django.db import connection as db

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


def test_the_timeline_pages_list_every_capture_once_newest_first(facebook, client_for, staff):
    """Pages are read by key (moderation.capture.selectors.TimelinePaginator):
    every object on exactly one page, newest first, each with its own number
    of versions, the last page holding what is left."""
    import re

    from moderation.capture.connectors.base import Item
    from moderation.capture.services import record_items
    from moderation.capture.views import PAGE_SIZE

    n = PAGE_SIZE * 2 + 7
    for i in range(n):  # one poll each: first seen in this order
        item = Item(kind="post", platform_id=f"p{i}", raw={"i": i}, text=f"Text nummer {i}")
        record_items(connection=facebook, items=[item])
    edited = Item(kind="post", platform_id="p3", raw={"i": 3}, text="Text nummer 3, ändrad")
    record_items(connection=facebook, items=[edited])
    client = client_for(staff)
    url = f"/moderering/konton/{facebook.account_id}/tidslinje/"
    seen = []
    for page in (1, 2, 3):
        html = client.get(url, {"sida": page}).content.decode()
        seen += [int(x) for x in re.findall(r"Text nummer (\d+)", html)]
    assert seen == list(reversed(range(n)))
    assert "Sida 3 av 3" in html
    assert len(re.findall(r"\b2 versioner", html)) == 1
    assert len(re.findall(r"\b1 version\b", html)) == 6
