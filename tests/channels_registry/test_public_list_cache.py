"""The public list's cache (channels_registry/public/cache.py): a warm or
conditional request costs no database query, and a change shows at once, in
this worker and, through the shared cache, in every other."""

import re
import uuid

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from channels_registry import lifecycle_services, services
from channels_registry.models import SocialAccount
from channels_registry.public import cache as public_cache
from tests.factories import make_active_account, make_ready_account

LIST = reverse("channels_registry:public_list")
JSON = reverse("channels_registry:public_list_json")
EMBED = reverse("channels_registry:public_embed")

pytestmark = pytest.mark.django_db


def _bodies(client: Client) -> dict[str, str]:
    return {url: client.get(url).content.decode() for url in (LIST, JSON, EMBED)}


@pytest.mark.parametrize("url", [LIST, JSON, EMBED])
def test_a_warm_request_and_a_conditional_one_cost_no_query(org, url, django_assert_num_queries):
    make_active_account(unit=org["unit"])
    client = Client()
    client.get(url)  # the first visit: stamp, body and (for the page) the CSRF cookie
    etag = client.get(url)["ETag"]

    with django_assert_num_queries(0):
        warm = client.get(url)
    with django_assert_num_queries(0):
        conditional = client.get(url, headers={"if-none-match": etag})

    assert warm.status_code == 200
    assert warm["ETag"] == etag
    assert conditional.status_code == 304


def test_a_cached_body_is_byte_for_byte_the_freshly_rendered_one(org):
    make_active_account(unit=org["unit"], display_name="Nora kommun Kommunikation")
    client = Client()
    client.get(LIST)  # the CSRF cookie, so the page's token stays the same
    cold = _bodies(client)  # built now
    warm = _bodies(client)  # from the cache

    assert warm[JSON] == cold[JSON]
    assert warm[EMBED] == cold[EMBED]
    assert "Nora kommun Kommunikation" in warm[LIST]
    # The page differs only in the masked CSRF token of the language switch.
    strip = 'name="csrfmiddlewaretoken" value="'
    assert warm[LIST].split(strip)[0] == cold[LIST].split(strip)[0]
    assert (
        warm[LIST].split(strip)[1].split('"', 1)[1] == cold[LIST].split(strip)[1].split('"', 1)[1]
    )


def test_an_activated_account_appears_at_once(org, info_officer):
    make_active_account(unit=org["unit"])
    ready = make_ready_account(unit=org["unit"], display_name="Nora kommun Nyöppnat")
    client = Client()
    before = _bodies(client)
    assert all("Nora kommun Nyöppnat" not in body for body in before.values())

    lifecycle_services.account_activate(account_id=ready.pk, actor=info_officer)

    assert all("Nora kommun Nyöppnat" in body for body in _bodies(client).values())
    assert client.get(JSON).json()["count"] == 2


def test_an_account_being_closed_disappears_at_once(org, info_officer):
    listed = make_active_account(unit=org["unit"], display_name="Nora kommun Slutar")
    client = Client()
    etag = client.get(JSON)["ETag"]
    assert all("Nora kommun Slutar" in body for body in _bodies(client).values())

    lifecycle_services.account_start_closing(
        account_id=listed.pk, actor=info_officer, reason="Verksamheten slutar med Facebook."
    )

    assert all("Nora kommun Slutar" not in body for body in _bodies(client).values())
    # A browser revalidating its old copy gets the new list, not a 304.
    assert client.get(JSON, headers={"if-none-match": etag}).status_code == 200


def test_a_renamed_unit_shows_at_once_in_this_worker(org):
    make_active_account(unit=org["unit"])
    client = Client()
    assert "Kommunikation" in client.get(JSON).content.decode()

    org["unit"].name = "Kommunikationsenheten"
    org["unit"].save()

    assert client.get(JSON).json()["administrations"][0]["accounts"][0]["unit"] == (
        "Kommunikationsenheten"
    )


def test_a_change_committed_while_a_request_cached_the_old_stamp_still_shows(
    org, info_officer, django_capture_on_commit_callbacks
):
    listed = make_active_account(unit=org["unit"])
    client = Client()
    client.get(JSON)
    stale = public_cache.list_stamp()

    with django_capture_on_commit_callbacks(execute=True):
        services.account_update(
            account_id=listed.pk, actor=info_officer, changes={"contact": "ny@nora.se"}
        )
        # Another worker read the rows before the commit and cached their stamp.
        caches["shared"].set(public_cache.STAMP_KEY, stale, public_cache.STAMP_TTL)

    assert client.get(JSON).json()["administrations"][0]["accounts"][0]["contact"] == "ny@nora.se"


def test_a_bulk_write_that_skips_save_shows_within_the_stamp_ttl(org):
    listed = make_active_account(unit=org["unit"], display_name="Nora kommun Före")
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.get(JSON)
        SocialAccount.objects.filter(pk=listed.pk).update(
            display_name="Nora kommun Efter", updated_at=timezone.now()
        )
        traveller.shift(public_cache.STAMP_TTL + 1)

        assert "Nora kommun Efter" in client.get(JSON).content.decode()


def test_a_bulk_write_that_says_so_shows_at_once(org):
    listed = make_active_account(unit=org["unit"], display_name="Nora kommun Före")
    client = Client()
    client.get(JSON)
    SocialAccount.objects.filter(pk=listed.pk).update(
        display_name="Nora kommun Efter", updated_at=timezone.now()
    )

    public_cache.public_list_changed()

    assert "Nora kommun Efter" in client.get(JSON).content.decode()


@pytest.fixture
def shared_redis(settings, redis_url):
    """The "shared" cache in Redis, as production runs it (CACHE_URL), under a
    key prefix of this test's own."""
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"test-public-list-{uuid.uuid4().hex}",
        },
    }
    yield settings.CACHES["shared"]
    caches["shared"].delete_many([public_cache.STAMP_KEY, public_cache.MARK_KEY])


def test_a_change_through_one_worker_reaches_the_others_at_once(org, info_officer, shared_redis):
    listed = make_active_account(unit=org["unit"])
    client = Client()
    etag = client.get(JSON)["ETag"]
    other = caches.create_connection("shared")  # another worker's own connection to Redis
    assert other.get(public_cache.STAMP_KEY) is not None  # the other worker reads this stamp

    services.account_update(
        account_id=listed.pk, actor=info_officer, changes={"contact": "ny@nora.se"}
    )

    assert other.get(public_cache.STAMP_KEY) is None  # ...and now asks the database
    assert client.get(JSON)["ETag"] != etag
    assert other.get(public_cache.STAMP_KEY) == public_cache.list_stamp()


def test_with_redis_away_the_list_is_served_from_the_database(org, settings):
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    make_active_account(unit=org["unit"], display_name="Nora kommun Kommunikation")
    client = Client()

    for url in (LIST, JSON, EMBED):
        response = client.get(url)
        assert response.status_code == 200
        assert "Nora kommun Kommunikation" in response.content.decode()
    etag = client.get(JSON)["ETag"]
    assert client.get(JSON, headers={"if-none-match": etag}).status_code == 304


def _without_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", page)


def test_the_cached_page_is_the_rendered_page_with_the_visitors_own_token(org):
    make_active_account(unit=org["unit"], display_name="Nora kommun Kommunikation")
    client = Client()
    client.get(LIST)
    cached = client.get(LIST).content.decode()
    # With a query string the page is rendered for this request alone.
    rendered = client.get(f"{LIST}?utm_source=nora.se").content.decode()

    assert _without_tokens(cached) == _without_tokens(rendered).replace(
        f'value="{LIST}?utm_source=nora.se"', f'value="{LIST}"'
    )
    assert "nora-public-list-csrf-token" not in cached
    assert "Nora kommun Kommunikation" in cached


def test_the_language_switch_on_a_cached_page_works(org):
    make_active_account(unit=org["unit"])
    client = Client(enforce_csrf_checks=True)
    client.get(LIST)
    page = client.get(LIST).content.decode()  # from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = client.post(
        reverse("set_language"), {"language": "en", "next": LIST, "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert '<html lang="en">' in client.get(LIST).content.decode()


def test_a_signed_in_visitor_gets_their_own_page_not_the_shared_one(org, client):
    make_active_account(unit=org["unit"])
    Client().get(LIST)  # an anonymous visitor fills the cache
    client.force_login(org["manager"])

    page = client.get(LIST).content.decode()

    assert "Logga ut" in page
    assert str(org["manager"]) in page


def test_a_unit_renamed_through_another_worker_reaches_this_one_at_once(org, shared_redis):
    """No account's updated_at records a renamed unit: the change mark in the
    shared cache makes the new stamp, so this worker's body in memory and a
    browser's copy are both replaced at once."""
    make_active_account(unit=org["unit"])
    client = Client()
    etag = client.get(JSON)["ETag"]
    bodies_here = dict(public_cache._bodies)  # this worker's memory

    # Another worker saves the rename: its signal drops the stamp in Redis and
    # replaces the mark; this worker's memory is not touched.
    org["unit"].name = "Kommunikationsenheten"
    org["unit"].save()
    public_cache._bodies.update(bodies_here)

    response = client.get(JSON)
    assert response.json()["administrations"][0]["accounts"][0]["unit"] == "Kommunikationsenheten"
    assert response["ETag"] != etag
    assert client.get(JSON, headers={"if-none-match": etag}).status_code == 200
