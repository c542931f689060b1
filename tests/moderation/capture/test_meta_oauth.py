"""Connecting through Meta's OAuth dialog: the state is checked, the code is
exchanged server to server, the person picks the page, and no token reaches a
page or stays in the session."""

import pytest
from django.urls import reverse

from channels_registry.connections import oauth
from channels_registry.connections.models import PlatformConnection
from tests.channels_registry.escrow_support import stepped_up
from tests.moderation.capture import recorded as r

PAGE_TOKEN = "EAApagetokenfromoauthnotreal"  # noqa: S105 - not a credential


@pytest.fixture(autouse=True)
def _meta_app(settings):
    settings.CAPTURE_META_APP_ID = "1234567890"


def _meta_answers(rsps):
    rsps.add(
        "GET",
        f"{r.GRAPH}oauth/access_token",
        json={"access_token": "short-lived-user", "token_type": "bearer", "expires_in": 5183944},
        match=[r._without("grant_type")],
    )
    from responses import matchers

    rsps.add(
        "GET",
        f"{r.GRAPH}oauth/access_token",
        json={"access_token": "long-lived-user", "token_type": "bearer", "expires_in": 5183944},
        match=[
            matchers.query_param_matcher({"grant_type": "fb_exchange_token"}, strict_match=False)
        ],
    )
    rsps.add(
        "GET",
        f"{r.GRAPH}me/accounts",
        json={
            "data": [
                {
                    "id": r.PAGE_ID,
                    "name": "Nora kommun",
                    "access_token": PAGE_TOKEN,
                    "instagram_business_account": {"id": r.IG_ID, "username": "norakommun"},
                }
            ],
            "paging": {"cursors": {"before": "QVFIUa", "after": "QVFIUb"}},
        },
    )


def test_the_dialog_round_trip_connects_the_chosen_page(rsps, staff, account):
    client = stepped_up(staff)
    start = client.get(
        reverse("channels_registry:connection_oauth_start", args=[account.pk, "meta"])
    )
    assert start.status_code == 302 and start["Location"].startswith("https://www.facebook.com/")
    state = client.session[oauth.SESSION_KEY]["state"]
    _meta_answers(rsps)

    back = client.get(
        reverse("channels_registry:connection_oauth_callback", args=["meta"]),
        {"state": state, "code": "AQD-code"},
    )
    assert back.status_code == 302
    choose_url = reverse("channels_registry:connection_oauth_choose", args=[account.pk, "meta"])
    page = client.get(choose_url).content.decode()
    assert "Nora kommun" in page and "norakommun" in page
    assert PAGE_TOKEN not in page and "long-lived-user" not in page
    assert "long-lived-user" not in str(dict(client.session))  # encrypted while pending

    done = client.post(choose_url, {"choice": f"instagram:{r.IG_ID}"})
    assert done.status_code == 302
    connection = PlatformConnection.objects.get()
    assert (connection.kind, connection.external_id) == ("instagram", r.IG_ID)
    assert connection.access_token == PAGE_TOKEN
    assert oauth.SESSION_KEY not in client.session


def test_a_wrong_state_is_refused_and_nothing_is_exchanged(rsps, staff, account):
    client = stepped_up(staff)
    client.get(reverse("channels_registry:connection_oauth_start", args=[account.pk, "meta"]))
    back = client.get(
        reverse("channels_registry:connection_oauth_callback", args=["meta"]),
        {"state": "forged", "code": "x"},
    )
    assert back.status_code == 302
    assert len(rsps.calls) == 0
    assert not PlatformConnection.objects.exists()
    assert oauth.SESSION_KEY not in client.session


def test_without_the_app_configured_there_is_no_dialog(staff, account, settings):
    settings.CAPTURE_META_APP_ID = ""
    client = stepped_up(staff)
    assert (
        client.get(
            reverse("channels_registry:connection_oauth_start", args=[account.pk, "meta"])
        ).status_code
        == 404
    )
