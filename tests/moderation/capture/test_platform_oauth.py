"""Connecting YouTube, LinkedIn and X through their OAuth dialogs: the same
flow as Meta's (state in the session, PKCE where the platform takes it, the
redirect URI from SITE_URL), the refresh token escrowed with the access
token, and a callback with a wrong state refused with nothing changed."""

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from responses import matchers

from channels_registry.connections import oauth
from channels_registry.connections.models import PlatformConnection
from tests.channels_registry.escrow_support import stepped_up
from tests.moderation.capture import recorded as r
from tests.moderation.capture import recorded_linkedin_x as rx

pytestmark = pytest.mark.usefixtures("oauth_apps")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://sociala.nora.se"


def _start(client, account, provider) -> dict[str, str]:
    answer = client.get(
        reverse("channels_registry:connection_oauth_start", args=[account.pk, provider])
    )
    assert answer.status_code == 302
    return {k: v[0] for k, v in parse_qs(urlsplit(answer["Location"]).query).items()}


def _callback(client, provider, **params):
    return client.get(
        reverse("channels_registry:connection_oauth_callback", args=[provider]), params
    )


def _choose(client, account, provider, choice=None):
    url = reverse("channels_registry:connection_oauth_choose", args=[account.pk, provider])
    return client.post(url, {"choice": choice}) if choice else client.get(url)


def test_x_connects_with_pkce_and_keeps_its_refresh_token(rsps, staff, account):
    client = stepped_up(staff)
    dialog = _start(client, account, "x")
    assert dialog["scope"] == "tweet.read users.read offline.access"
    assert dialog["code_challenge_method"] == "S256"
    assert dialog["redirect_uri"] == "https://sociala.nora.se/register/insamling/x/tillbaka/"
    sent = {}

    def exchange(request):
        sent.update({k: v[0] for k, v in parse_qs(request.body).items()})
        return (True, "")

    rsps.add(
        "POST",
        rx.X_TOKEN,
        json={
            **rx.token_answer("x-access", refresh="x-refresh", expires_in=7200),
            "scope": "tweet.read users.read offline.access",
        },
        match=[exchange],
    )
    rsps.add(
        "GET",
        f"{rx.X}users/me",
        json={"data": {"id": rx.X_USER, "name": "Nora kommun", "username": "norakommun"}},
    )
    assert _callback(client, "x", state=dialog["state"], code="x-code").status_code == 302
    # The verifier went to X server to server and matches the challenge.
    digest = hashlib.sha256(sent["code_verifier"].encode()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == dialog["code_challenge"]
    assert sent["redirect_uri"] == dialog["redirect_uri"]
    page = _choose(client, account, "x").content.decode()
    assert "@norakommun" in page and "x-access" not in page and "x-refresh" not in page

    assert _choose(client, account, "x", f"x:{rx.X_USER}").status_code == 302
    connection = PlatformConnection.objects.get()
    assert (connection.kind, connection.external_id) == ("x", rx.X_USER)
    assert (connection.access_token, connection.refresh_token) == ("x-access", "x-refresh")
    assert connection.scopes == "tweet.read users.read offline.access"
    assert connection.token_expires_at is not None
    assert oauth.SESSION_KEY not in client.session


def test_linkedin_lists_the_pages_the_person_administers(rsps, staff, account):
    client = stepped_up(staff)
    dialog = _start(client, account, "linkedin")
    assert dialog["scope"] == "r_organization_social rw_organization_admin"
    rsps.add(
        "POST",
        rx.LINKEDIN_TOKEN,
        json={
            **rx.token_answer("li-access", refresh="li-refresh", expires_in=5_184_000),
            "refresh_token_expires_in": 31_536_000,
            "scope": "r_organization_social,rw_organization_admin",
        },
        match=[
            matchers.urlencoded_params_matcher(
                {
                    "grant_type": "authorization_code",
                    "code": "li-code",
                    "redirect_uri": "https://sociala.nora.se/register/insamling/linkedin/tillbaka/",
                    "client_id": "78linkedin",
                    "client_secret": "linkedin-secret-not-real",
                }
            )
        ],
    )
    rsps.add(
        "GET",
        f"{rx.LI}organizationAcls",
        json=rx.li_paged(
            [
                {
                    "organization": rx.ORG_URN,
                    "role": "ADMINISTRATOR",
                    "state": "APPROVED",
                    "roleAssignee": "urn:li:person:A1b2C3d4",
                }
            ]
        ),
    )
    rsps.add(
        "GET",
        f"{rx.LI}organizations/{rx.ORG_ID}",
        json={"id": int(rx.ORG_ID), "localizedName": "Nora kommun", "vanityName": "norakommun"},
    )
    _callback(client, "linkedin", state=dialog["state"], code="li-code")
    assert "Nora kommun" in _choose(client, account, "linkedin").content.decode()
    _choose(client, account, "linkedin", f"linkedin:{rx.ORG_ID}")

    connection = PlatformConnection.objects.get()
    assert (connection.kind, connection.external_id) == ("linkedin", rx.ORG_ID)
    assert connection.refresh_token == "li-refresh"
    assert connection.scopes == "r_organization_social rw_organization_admin"


def test_youtube_asks_for_offline_access_and_lists_the_channel(rsps, staff, account):
    client = stepped_up(staff)
    dialog = _start(client, account, "google")
    assert dialog["access_type"] == "offline" and dialog["code_challenge"]
    assert dialog["scope"] == "https://www.googleapis.com/auth/youtube.readonly"
    rsps.add("POST", rx.GOOGLE_TOKEN, json=rx.token_answer("ya29.a", refresh="1//g"))
    rsps.add(
        "GET",
        f"{r.YT}channels",
        json=r.yt_channel(),
        match=[matchers.query_param_matcher({"mine": "true"}, strict_match=False)],
    )
    _callback(client, "google", state=dialog["state"], code="4/0g-code")
    _choose(client, account, "google", f"youtube:{r.CHANNEL_ID}")
    connection = PlatformConnection.objects.get()
    assert (connection.kind, connection.refresh_token) == ("youtube", "1//g")


@pytest.mark.parametrize("provider", ["google", "linkedin", "x"])
def test_a_wrong_state_is_refused_and_changes_nothing(rsps, staff, account, provider):
    client = stepped_up(staff)
    _start(client, account, provider)
    back = _callback(client, provider, state="forged", code="stolen-code")
    assert back.status_code == 302
    assert back["Location"].endswith(f"/register/konton/{account.pk}/insamling/")
    assert len(rsps.calls) == 0  # the code was not exchanged
    assert not PlatformConnection.objects.exists()
    assert oauth.SESSION_KEY not in client.session
    # The dialog is spent: the right state no longer helps either.
    assert _callback(client, provider, state="anything", code="c").status_code == 404


def test_a_callback_for_another_platform_than_the_dialog_is_not_found(rsps, staff, account):
    client = stepped_up(staff)
    dialog = _start(client, account, "x")
    assert _callback(client, "linkedin", state=dialog["state"], code="c").status_code == 404
    assert len(rsps.calls) == 0


def test_a_platform_without_its_app_has_no_dialog(staff, account, settings):
    settings.CAPTURE_LINKEDIN_CLIENT_SECRET = ""
    client = stepped_up(staff)
    url = reverse("channels_registry:connection_oauth_start", args=[account.pk, "linkedin"])
    assert client.get(url).status_code == 404
    page = client.get(reverse("channels_registry:connection_list", args=[account.pk]))
    assert "Koppla via X" in page.content.decode()
    assert "Koppla via LinkedIn" not in page.content.decode()
