"""PostgreSQL restarted (every connection of the app cut from the server's
side): the app recovers by itself; the first request afterwards succeeds.

The real server is shared, so it is not restarted: every backend of the test
database is terminated instead, which is what the app sees of a restart.
Requests go through the project's real WSGI application in this thread, as in
a gunicorn sync worker that keeps its connection between requests
(CONN_MAX_AGE as in production, CONN_HEALTH_CHECKS from settings). Not the
test client: it switches off Django's per-request connection handling. Not a
live server: it opens a new thread, so a new connection, per request."""

import io
from wsgiref.util import setup_testing_defaults

import psycopg
import pytest
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connection, connections
from django.urls import reverse

from tests.channels_registry.compliance_support import compliant_account
from tests.faults.test_worker_killed import _conninfo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def persistent_connections():
    """Connections kept between requests, as production does (DB_CONN_MAX_AGE)."""
    db = connections.settings["default"]
    old = db["CONN_MAX_AGE"]
    db["CONN_MAX_AGE"] = 60
    connection.close()  # reopened with the production lifetime
    yield
    db["CONN_MAX_AGE"] = old
    connection.close()


def _get(path: str, session: str) -> tuple[int, str]:
    environ = {
        "PATH_INFO": path,
        "REQUEST_METHOD": "GET",
        "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={session}",
        "wsgi.input": io.BytesIO(),
    }
    setup_testing_defaults(environ)
    status = []
    response = get_wsgi_application()(environ, lambda s, headers, exc=None: status.append(s))
    try:
        body = b"".join(response).decode()
    finally:
        response.close()  # request_finished, as a WSGI server sends it
    return int(status[0].split()[0]), body


def _terminate_every_backend() -> list[int]:
    with psycopg.connect(_conninfo(), autocommit=True) as admin:
        rows = admin.execute(
            "WITH others AS MATERIALIZED (SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()) "
            "SELECT pid, pg_terminate_backend(pid) FROM others"
        ).fetchall()
    return [pid for pid, terminated in rows if terminated]


def test_first_request_after_every_connection_was_cut_succeeds(
    postgres_only, persistent_connections, client, org, staff, colleague, platform
):
    account = compliant_account(org["unit"], staff, colleague, platform)
    client.force_login(staff)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page = reverse("channels_registry:account_detail", args=[account.pk])

    for _ in range(2):
        status, body = _get(page, session)
        assert status == 200
        assert account.display_name in body
    # The app kept its connection across requests...
    assert connection.connection is not None
    app_backend = connection.connection.info.backend_pid

    # ...and the server cuts it, as a restart does.
    assert app_backend in _terminate_every_backend()

    status, body = _get(page, session)
    assert status == 200, body[:500]
    assert account.display_name in body
    assert connection.connection.info.backend_pid != app_backend

    status, body = _get(reverse("channels_registry:health_text"), session)
    assert "database: ok" in body
