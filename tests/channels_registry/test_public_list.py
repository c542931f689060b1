"""The published list of accounts (§10): /konton/, /konton.json, /konton/embed/."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from channels_registry import lifecycle_services, services
from channels_registry.models import SocialAccount
from channels_registry.public.cache import public_list_changed
from channels_registry.public.views import PUBLIC_ACCOUNT_FIELDS
from tests.factories import (
    AdministrationFactory,
    PlatformFactory,
    SocialAccountFactory,
    UnitFactory,
    account_address,
    make_active_account,
    make_ready_account,
)

LIST = reverse("channels_registry:public_list")
JSON = reverse("channels_registry:public_list_json")
EMBED = reverse("channels_registry:public_embed")

pytestmark = pytest.mark.django_db

EXPECTED_ACCOUNT_KEYS = {
    "id",
    "platform",
    "platform_slug",
    "name",
    "handle",
    "url",
    "purpose",
    "unit",
    "update_frequency",
    "response_time",
    "contact",
    "active_since",
}


def _csp(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.fixture
def two_administrations(db):
    social = UnitFactory(
        name="Individ- och familjeomsorgen",
        administration=AdministrationFactory(name="Socialförvaltningen", register_series="SN"),
    )
    culture = UnitFactory(
        name="Biblioteket",
        administration=AdministrationFactory(
            name="Kultur- och fritidsförvaltningen", register_series="KFN"
        ),
    )
    return social, culture


def _active(unit, name, **kwargs):
    return SocialAccountFactory(
        unit=unit,
        display_name=name,
        status=SocialAccount.Status.ACTIVE,
        activated_on="2025-03-01",
        **kwargs,
    )


def test_only_active_accounts_are_listed(two_administrations):
    social, _culture = two_administrations
    _active(social, "Nora kommun Familjecentralen")
    for status, name in [
        (SocialAccount.Status.PLANNED, "Nora kommun Planerat"),
        (SocialAccount.Status.CLOSING, "Nora kommun Avvecklas"),
        (SocialAccount.Status.CLOSED, "Nora kommun Stängt"),
    ]:
        SocialAccountFactory(unit=social, display_name=name, status=status)

    page = Client().get(LIST).content.decode()
    data = Client().get(JSON).json()
    embed = Client().get(EMBED).content.decode()

    for body in (page, embed, json.dumps(data, ensure_ascii=False)):
        assert "Nora kommun Familjecentralen" in body
        assert "Planerat" not in body
        assert "Avvecklas" not in body
        assert "Stängt" not in body
    assert data["count"] == 1


def test_accounts_are_grouped_by_administration(two_administrations):
    social, culture = two_administrations
    _active(culture, "Nora kommun Biblioteket")
    _active(social, "Nora kommun Familjecentralen")
    _active(culture, "Nora kommun Lokalhistoria")

    data = Client().get(JSON).json()

    assert [g["administration"] for g in data["administrations"]] == [
        "Kultur- och fritidsförvaltningen",
        "Socialförvaltningen",
    ]
    assert [a["name"] for a in data["administrations"][0]["accounts"]] == [
        "Nora kommun Biblioteket",
        "Nora kommun Lokalhistoria",
    ]
    page = Client().get(LIST).content.decode()
    assert page.index('<h2 id="adm-1">Kultur- och fritidsförvaltningen</h2>') < page.index(
        "Nora kommun Lokalhistoria"
    )
    assert page.index("Nora kommun Lokalhistoria") < page.index("Socialförvaltningen</h2>")


def test_json_has_exactly_the_public_fields_and_nothing_internal(org):
    account = make_active_account(unit=org["unit"], display_name="Nora kommun Kommunikation")
    member_usernames = [m.user.username for m in account.members.all()]
    member_emails = [m.user.email for m in account.members.all()]

    response = Client().get(JSON)

    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == {"publisher", "policy", "count", "administrations"}
    assert set(data["administrations"][0]) == {"administration", "accounts"}
    entry = data["administrations"][0]["accounts"][0]
    assert set(entry) == EXPECTED_ACCOUNT_KEYS == set(PUBLIC_ACCOUNT_FIELDS)
    assert entry["id"] == account.pk
    assert entry["name"] == "Nora kommun Kommunikation"
    assert entry["unit"] == "Kommunikation"
    assert entry["active_since"] == account.activated_on.isoformat()
    body = response.content.decode()
    assert "recovery-secret-xyz" not in body  # the escrowed business account recovery
    assert "Nora kommun BM" not in body
    for secret_or_person in member_usernames + member_emails:
        assert secret_or_person not in body


def test_responses_carry_etag_and_cache_control(org):
    make_active_account(unit=org["unit"])
    for url in (LIST, JSON, EMBED):
        response = Client().get(url)
        assert response.status_code == 200
        assert response["ETag"].startswith('"')
        assert "max-age=300" in response["Cache-Control"]
    assert "public" in Client().get(JSON)["Cache-Control"]
    # The HTML page carries the visitor's CSRF token: never in a shared cache.
    assert "private" in Client().get(LIST)["Cache-Control"]


@pytest.mark.parametrize("url", [LIST, JSON, EMBED])
def test_if_none_match_with_the_etag_gives_304(org, url):
    make_active_account(unit=org["unit"])
    client = Client()
    client.get(url)  # the first visit sets the CSRF cookie that the HTML ETag includes
    etag = client.get(url)["ETag"]

    again = client.get(url, headers={"if-none-match": etag})

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert "max-age=300" in again["Cache-Control"]
    assert client.get(url, headers={"if-none-match": '"stale"'}).status_code == 200


def test_etag_changes_when_an_account_is_saved_activated_or_closed(org, info_officer):
    listed = make_active_account(unit=org["unit"])
    ready = make_ready_account(unit=org["unit"])
    client = Client()
    seen = [client.get(JSON)["ETag"]]

    services.account_update(
        account_id=listed.pk, actor=info_officer, changes={"contact": "info@nora.se"}
    )
    seen.append(client.get(JSON)["ETag"])

    lifecycle_services.account_activate(account_id=ready.pk, actor=info_officer)
    seen.append(client.get(JSON)["ETag"])

    lifecycle_services.account_start_closing(
        account_id=listed.pk, actor=info_officer, reason="Verksamheten slutar med Facebook."
    )
    seen.append(client.get(JSON)["ETag"])
    assert listed.display_name not in client.get(JSON).content.decode()

    # closing -> closed (the service's own preconditions are tested with it).
    closed = SocialAccount.objects.get(pk=listed.pk)
    closed.status = SocialAccount.Status.CLOSED
    closed._history_user = info_officer
    closed.save()
    seen.append(client.get(JSON)["ETag"])

    assert len(set(seen)) == len(seen), seen


def test_html_etag_differs_between_visitors_with_different_csrf_cookies(org):
    make_active_account(unit=org["unit"])
    first, second = Client(), Client()
    first.get(LIST)
    second.get(LIST)

    assert first.get(LIST)["ETag"] != second.get(LIST)["ETag"]


def test_conditional_request_after_a_change_gets_the_new_list(org, info_officer):
    listed = make_active_account(unit=org["unit"])
    client = Client()
    etag = client.get(JSON)["ETag"]

    services.account_update(
        account_id=listed.pk, actor=info_officer, changes={"contact": "ny@nora.se"}
    )
    response = client.get(JSON, headers={"if-none-match": etag})

    assert response.status_code == 200
    assert response.json()["administrations"][0]["accounts"][0]["contact"] == "ny@nora.se"


def _make_active_accounts(start: int, stop: int) -> None:
    platforms = [
        PlatformFactory(slug="facebook", name="Facebook"),
        PlatformFactory(slug="instagram", name="Instagram"),
    ]
    units = [
        UnitFactory(administration=AdministrationFactory(name=f"Förvaltning {start}-{i}"))
        for i in range(3)
    ]
    SocialAccount.objects.bulk_create(
        SocialAccount(
            platform=platforms[i % 2],
            unit=units[i % 3],
            display_name=f"Nora kommun Verksamhet {i}",
            handle=f"norakommun.verksamhet{i}",
            url=account_address(platforms[i % 2], f"norakommun.verksamhet{i}"),
            purpose="Informera invånarna.",
            contact="info@nora.se",
            update_frequency_text="Varje vecka",
            response_time_text="Inom en arbetsdag",
            status=SocialAccount.Status.ACTIVE,
            activated_on="2025-01-15",
        )
        for i in range(start, stop)
    )
    public_list_changed()  # bulk_create skips save(), so the cached stamp would not know


def _queries_for(url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = Client().get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [LIST, JSON, EMBED])
def test_query_count_does_not_grow_with_the_number_of_accounts(url):
    _make_active_accounts(0, 5)
    few = _queries_for(url)
    assert Client().get(JSON).json()["count"] == 5

    _make_active_accounts(5, 500)
    many = _queries_for(url)
    assert Client().get(JSON).json()["count"] == 500

    assert few == many
    assert many <= 3  # the ETag aggregate and the list itself, once per change


def test_embed_is_framable_by_nora_se_only(org, settings):
    settings.NORA_EMBED_ORIGINS = ["https://www.nora.se", "https://nora.se"]
    make_active_account(unit=org["unit"])
    client = Client()

    response = client.get(EMBED)

    assert "X-Frame-Options" not in response
    assert _csp(response)["frame-ancestors"] == ["https://www.nora.se", "https://nora.se"]
    # A revalidated copy keeps the same framing, or nora.se would lose the widget.
    revalidated = client.get(EMBED, headers={"if-none-match": response["ETag"]})
    assert revalidated.status_code == 304
    assert "X-Frame-Options" not in revalidated
    assert _csp(revalidated)["frame-ancestors"] == ["https://www.nora.se", "https://nora.se"]


def test_embed_with_no_origins_configured_is_framable_by_nobody(settings):
    settings.NORA_EMBED_ORIGINS = []
    assert _csp(Client().get(EMBED))["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize(
    "url",
    [LIST, JSON, reverse("index"), reverse("accessibility"), reverse("accounts:login")],
)
def test_other_pages_may_not_be_framed(db, url):
    response = Client().get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert _csp(response)["frame-ancestors"] == ["'none'"]


def test_display_name_with_markup_is_escaped(org):
    make_active_account(
        unit=org["unit"],
        display_name='Nora kommun <script>alert("x")</script>',
        purpose="<img src=x onerror=alert(1)> Informera.",
    )
    for url in (LIST, EMBED):
        body = Client().get(url).content.decode()
        assert "<script>alert" not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
        assert "<img src=x" not in body
    data = Client().get(JSON).json()
    assert data["administrations"][0]["accounts"][0]["name"] == (
        'Nora kommun <script>alert("x")</script>'
    )


def test_a_non_http_url_is_never_published_as_a_link(org):
    make_active_account(unit=org["unit"], url="javascript:alert(1)")
    for url in (LIST, EMBED):
        assert "javascript:" not in Client().get(url).content.decode()
    assert Client().get(JSON).json()["count"] == 0


def test_list_pages_have_main_landmark_and_heading(org):
    make_active_account(unit=org["unit"])
    for url in (LIST, EMBED):
        body = Client().get(url).content.decode()
        assert "<main" in body
        assert "<h1>" in body
        assert '<html lang="sv">' in body


def test_empty_list_says_so_in_swedish(db):
    assert "inga aktiva konton" in Client().get(LIST).content.decode()
    assert Client().get(JSON).json() == {
        "publisher": "Nora kommun",
        "policy": "Policy för sociala medier, KF 2014-11-12 § 145",
        "count": 0,
        "administrations": [],
    }


@pytest.mark.parametrize("url", [LIST, JSON, EMBED])
def test_list_only_answers_get(db, url):
    assert Client().post(url).status_code == 405
