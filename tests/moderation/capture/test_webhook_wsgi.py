"""The webhook as the server runs it: through the project's WSGI application
(nora_social/handlers.py), where the platforms' webhook URLs have a short
middleware stack of their own and every other URL has the site's. The Django
test client cannot show this (it always uses the site's stack), so these
tests call the application as gunicorn does, with real request signals: the
old-connection clean-up and Django's connection health check run as in
production."""

import io
import sys
from wsgiref.util import setup_testing_defaults

import psycopg
import pytest
from django.db import connection

from moderation.capture.models import RawEvent
from nora_social.handlers import Application
from tests.moderation.capture.test_webhook import URL, comment_change, feed_delivery, sign

pytestmark = pytest.mark.django_db(transaction=True)

only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a PostgreSQL connection kept between requests (SQLite's is a file)",
)


@pytest.fixture(scope="module")
def application():
    return Application()


@pytest.fixture
def kept_connection(monkeypatch):
    """The database connection as production keeps it between requests
    (DB_CONN_MAX_AGE) and health-checks it (CONN_HEALTH_CHECKS); the tests'
    settings close it after each request."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", None)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    connection.close()


def call(application, path, body=b"", headers=None, method="POST"):
    """One request through the WSGI application; (status code, headers, body)."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "HTTP_HOST": "testserver",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        **(headers or {}),
    }
    setup_testing_defaults(environ)
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started["status"] = int(status.split()[0])
        started["headers"] = {name.lower(): value for name, value in response_headers}

    response = application(environ, start_response)
    try:
        content = b"".join(response)
    finally:
        response.close()  # request_finished, as a WSGI server does
    return started["status"], started["headers"], content


def deliver(application, comment_id, message="Hej", signature=None, headers=None):
    body = feed_delivery(comment_change(comment_id, message))
    signed = {"HTTP_X_HUB_SIGNATURE_256": signature or sign(body), **(headers or {})}
    return call(application, URL, body, signed)


def test_a_signed_delivery_is_stored_and_answered_without_the_sites_session_or_pages(
    application, facebook
):
    status, headers, content = deliver(application, "900_1", "Första kommentaren")
    assert (status, content) == (200, b"EVENT_RECEIVED")
    assert RawEvent.objects.get().payload["entry"][0]["changes"][0]["value"]["comment_id"] == (
        "900_1"
    )
    # The security headers stay; nothing of a browser session is made.
    assert headers["x-content-type-options"] == "nosniff"
    assert "set-cookie" not in headers


def test_metas_subscription_handshake_is_answered_on_the_short_stack(application, facebook):
    query = "hub.mode=subscribe&hub.verify_token=nora-verify&hub.challenge=1158201444"
    status, headers, content = call(application, URL, method="GET", headers={"QUERY_STRING": query})
    assert (status, content) == (200, b"1158201444")
    assert "set-cookie" not in headers
    wrong = query.replace("nora-verify", "guess")
    assert call(application, URL, method="GET", headers={"QUERY_STRING": wrong})[0] == 403


@pytest.mark.parametrize("signature", ["sha256=" + "0" * 64, "garbage"])
def test_a_wrong_signature_is_refused_and_stores_nothing(application, facebook, signature):
    status, _, _ = deliver(application, "900_2", signature=signature)
    assert status == 403
    assert not RawEvent.objects.exists()


def test_a_host_the_site_does_not_serve_is_refused_and_stores_nothing(application, facebook):
    status, _, _ = deliver(application, "900_3", headers={"HTTP_HOST": "evil.example"})
    assert status == 400
    assert not RawEvent.objects.exists()


def test_a_body_over_the_limit_is_refused_with_a_plain_413_before_it_is_read(
    application, facebook, settings
):
    settings.MAX_REQUEST_BYTES = 100
    status, headers, content = deliver(application, "900_4", "x" * 200)
    assert status == 413
    assert headers["content-type"].startswith("text/plain") and content == b""
    assert not RawEvent.objects.exists()


def test_other_urls_keep_the_sites_stack(application, facebook):
    """A platform the webhook does not take, and the site's pages, are not
    served by the short stack: the site's 404 page in Swedish, its CSP."""
    status, headers, content = call(application, "/capture/webhooks/twitter/", b"{}")
    assert status == 404
    assert "content-security-policy" in headers
    assert b"Sidan finns inte" in content
    status, headers, _ = call(application, "/", method="GET")
    assert "content-security-policy" in headers


@only_postgresql
def test_a_delivery_on_a_reused_connection_makes_no_health_check_round_trip(
    application, facebook, kept_connection, monkeypatch
):
    """CONN_HEALTH_CHECKS would run a SELECT 1 before each request's first
    query: as much database time as the delivery's INSERT. The INSERT is the
    check instead (next test)."""
    checks = []
    real = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or real())
    for n in range(3):
        assert deliver(application, f"900_1{n}")[0] == 200
    assert checks == []
    assert RawEvent.objects.count() == 3  # (this read, outside a request, is checked)


@only_postgresql
def test_a_delivery_after_the_database_dropped_the_connection_is_stored(
    application, facebook, kept_connection
):
    """The database restarted (or a proxy dropped the idle connection)
    between two deliveries: the second reconnects and is stored once."""
    assert deliver(application, "900_20")[0] == 200
    backend = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(
        **{k: v for k, v in params.items() if k != "cursor_factory"}, autocommit=True
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [backend])
    status, _, content = deliver(application, "900_21")
    assert (status, content) == (200, b"EVENT_RECEIVED")
    assert connection.connection.info.backend_pid != backend
    assert sorted(RawEvent.objects.values_list("object_platform_id", flat=True)) == [
        "900_20",
        "900_21",
    ]
