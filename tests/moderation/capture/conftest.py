"""Capture fixtures: the moderation account (``staff`` owner, ``colleague``
deputy) connected to its Facebook page, Instagram account or YouTube channel
with a dummy token; the Meta app's secret for webhooks. No test reaches the
network: ``responses`` refuses any request not recorded."""

import pytest
import responses

from channels_registry.connections.services import connection_create
from tests.moderation.capture import recorded
from tests.moderation.capture import recorded_linkedin_x as rx

DUMMY_TOKEN = "EAAtestdummytoken0000notreal"  # noqa: S105 - not a credential


@pytest.fixture(autouse=True)
def _capture_settings(settings):
    settings.CAPTURE_META_APP_SECRET = "test-app-secret"  # noqa: S105
    settings.CAPTURE_META_VERIFY_TOKEN = "nora-verify"  # noqa: S105
    settings.CAPTURE_META_APP_ID = ""
    settings.CAPTURE_META_GRAPH_VERSION = "v21.0"
    settings.CAPTURE_WATCH_DAYS = 3650


@pytest.fixture(autouse=True)
def _drain_flag_unseen(monkeypatch):
    """Each test starts as a process that has not yet asked for a drain."""
    from moderation.capture import tasks

    monkeypatch.setattr(tasks, "_flag_seen_at", float("-inf"))


@pytest.fixture
def oauth_apps(settings):
    """The municipality's apps at Google, LinkedIn and X (X as a public
    client: PKCE, no secret)."""
    settings.CAPTURE_GOOGLE_CLIENT_ID = "nora.apps.googleusercontent.com"
    settings.CAPTURE_GOOGLE_CLIENT_SECRET = "google-secret-not-real"  # noqa: S105
    settings.CAPTURE_LINKEDIN_CLIENT_ID = "78linkedin"
    settings.CAPTURE_LINKEDIN_CLIENT_SECRET = "linkedin-secret-not-real"  # noqa: S105
    settings.CAPTURE_X_CLIENT_ID = "x-client-id"
    settings.CAPTURE_X_CLIENT_SECRET = ""


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def _connect(account, actor, kind, external_id, name="Nora kommun", scopes=""):
    return connection_create(
        account_id=account.pk,
        actor=actor,
        kind=kind,
        external_id=external_id,
        external_name=name,
        access_token=DUMMY_TOKEN,
        scopes=scopes,
    )


@pytest.fixture
def facebook(account, staff):
    return _connect(
        account,
        staff,
        "facebook",
        recorded.PAGE_ID,
        scopes="pages_read_engagement pages_read_user_content pages_messaging",
    )


@pytest.fixture
def instagram_connection(account, staff):
    return _connect(account, staff, "instagram", recorded.IG_ID, name="norakommun")


@pytest.fixture
def youtube(account, staff):
    return _connect(account, staff, "youtube", recorded.CHANNEL_ID)


@pytest.fixture
def linkedin(account, staff):
    return _connect(
        account, staff, "linkedin", rx.ORG_ID, scopes="r_organization_social rw_organization_admin"
    )


@pytest.fixture
def x_connection(account, staff):
    return _connect(
        account, staff, "x", rx.X_USER, name="norakommun", scopes="tweet.read users.read"
    )
