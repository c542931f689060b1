"""Renewing an OAuth token before it expires: the new token is escrowed like
the first and never logged; a revoked refresh token (``invalid_grant``) is
the finding "Kontot arkiveras inte" with a Swedish reason."""

import datetime
import logging

import pytest
from django.db import connection as db
from django.utils import timezone
from responses import matchers

from channels_registry.compliance.engine import run_sweep
from channels_registry.connections.models import ConnectionEvent, PlatformConnection
from channels_registry.connections.services import connection_create
from channels_registry.models import Finding
from moderation.capture.services import check_health, poll_connection
from tests.moderation.capture import recorded as r
from tests.moderation.capture import recorded_linkedin_x as rx

REFRESH = "1//0gRefreshTokenNotReal"  # noqa: S105 - not a credential
NEW_ACCESS = "ya29.NewAccessTokenNotReal"  # noqa: S105 - not a credential

pytestmark = pytest.mark.usefixtures("oauth_apps")


def _connect(account, staff, kind, external_id, minutes_left=5):
    return connection_create(
        account_id=account.pk,
        actor=staff,
        kind=kind,
        external_id=external_id,
        access_token="old-access-not-real",  # noqa: S106 - not a credential
        refresh_token=REFRESH,
        token_expires_at=timezone.now() + datetime.timedelta(minutes=minutes_left),
    )


def _stored(column: str, pk: int) -> str:
    with db.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM channels_registry_platformconnection WHERE id = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()[0]


def _youtube_answers(rsps):
    rsps.add("GET", f"{r.YT}channels", json=r.yt_channel())
    rsps.add("GET", f"{r.YT}playlistItems", json={"items": []})


def test_a_token_about_to_expire_is_renewed_before_the_poll(rsps, account, staff, caplog):
    youtube = _connect(account, staff, "youtube", r.CHANNEL_ID)
    rsps.add(
        "POST",
        rx.GOOGLE_TOKEN,
        json=rx.token_answer(NEW_ACCESS),
        match=[
            matchers.urlencoded_params_matcher(
                {
                    "grant_type": "refresh_token",
                    "refresh_token": REFRESH,
                    "client_id": "nora.apps.googleusercontent.com",
                    "client_secret": "google-secret-not-real",
                }
            )
        ],
    )
    _youtube_answers(rsps)
    with caplog.at_level(logging.DEBUG):
        poll_connection(connection_id=youtube.pk)

    youtube.refresh_from_db()
    assert youtube.health == PlatformConnection.Health.OK
    assert youtube.access_token == NEW_ACCESS
    assert youtube.refresh_token == REFRESH  # Google does not rotate it
    assert youtube.token_expires_at > timezone.now() + datetime.timedelta(minutes=50)
    # The poll used the new token, and it is stored encrypted, like the first.
    assert rsps.calls[1].request.headers["Authorization"] == f"Bearer {NEW_ACCESS}"
    assert NEW_ACCESS not in _stored("access_token", youtube.pk)
    assert REFRESH not in _stored("refresh_token", youtube.pk)
    event = ConnectionEvent.objects.get(kind="token_refreshed")
    assert NEW_ACCESS not in event.note and REFRESH not in event.note
    assert NEW_ACCESS not in caplog.text and REFRESH not in caplog.text


def test_a_token_far_from_expiry_is_not_renewed(rsps, account, staff):
    youtube = _connect(account, staff, "youtube", r.CHANNEL_ID, minutes_left=55)
    _youtube_answers(rsps)
    poll_connection(connection_id=youtube.pk)
    assert [c.request.url.split("?")[0] for c in rsps.calls] == [
        f"{r.YT}channels",
        f"{r.YT}playlistItems",
    ]


def test_a_revoked_refresh_token_is_the_finding_with_a_swedish_reason(rsps, account, staff):
    youtube = _connect(account, staff, "youtube", r.CHANNEL_ID)
    rsps.add("POST", rx.GOOGLE_TOKEN, **rx.INVALID_GRANT)
    poll_connection(connection_id=youtube.pk)

    youtube.refresh_from_db()
    assert youtube.health == PlatformConnection.Health.TOKEN_REVOKED
    assert "invalid_grant" in youtube.health_message
    assert "Koppla kontot på nytt" in youtube.health_message
    assert youtube.access_token == "old-access-not-real"  # nothing overwritten
    assert len(rsps.calls) == 1  # the platform was not asked with a dead token
    run_sweep(codes=["capture_failing"])
    finding = Finding.objects.get(rule_code="capture_failing", resolved_at__isnull=True)
    assert finding.account_id == account.pk
    assert "Kontot arkiveras inte: Åtkomsten är återkallad" in finding.message
    assert REFRESH not in finding.message

    check_health(connection_id=youtube.pk)  # the daily check reads the same
    youtube.refresh_from_db()
    assert youtube.health == PlatformConnection.Health.TOKEN_REVOKED


def test_x_rotates_its_refresh_token_and_linkedin_keeps_its_own(rsps, account, staff):
    x = _connect(account, staff, "x", rx.X_USER)
    linkedin = _connect(account, staff, "linkedin", rx.ORG_ID)
    rsps.add(
        "POST",
        rx.X_TOKEN,
        json=rx.token_answer("x-new-access", refresh="x-rotated-refresh", expires_in=7200),
        match=[
            matchers.urlencoded_params_matcher(
                {
                    "grant_type": "refresh_token",
                    "refresh_token": REFRESH,
                    "client_id": "x-client-id",
                }
            )
        ],
    )
    rsps.add(
        "POST",
        rx.LINKEDIN_TOKEN,
        json=rx.token_answer("li-new-access", expires_in=5_184_000),
    )
    rsps.add("GET", f"{rx.X}users/{rx.X_USER}/tweets", json=rx.x_page([]))
    rsps.add("GET", f"{rx.LI}posts", json=rx.li_paged([]))
    poll_connection(connection_id=x.pk)
    poll_connection(connection_id=linkedin.pk)

    x.refresh_from_db()
    linkedin.refresh_from_db()
    assert (x.access_token, x.refresh_token) == ("x-new-access", "x-rotated-refresh")
    assert (linkedin.access_token, linkedin.refresh_token) == ("li-new-access", REFRESH)
    assert x.health == linkedin.health == PlatformConnection.Health.OK


def test_x_refusing_a_spent_refresh_token_is_a_revoked_access(rsps, account, staff):
    x = _connect(account, staff, "x", rx.X_USER)
    rsps.add(
        "POST",
        rx.X_TOKEN,
        status=400,
        json={
            "error": "invalid_request",
            "error_description": "Value passed for the token was invalid.",
        },
    )
    poll_connection(connection_id=x.pk)
    x.refresh_from_db()
    assert x.health == PlatformConnection.Health.TOKEN_REVOKED
    assert x.health_message.startswith("X nekade förnyelsen av token")
