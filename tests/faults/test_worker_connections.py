"""A Celery worker keeps its database connection between tasks as a web worker
keeps it between requests (DB_CONN_MAX_AGE, health checks), instead of Celery's
default of closing it around every task: a new PostgreSQL connection loads the
Swedish dictionary again on its first text search (~0.25 s of server CPU per
snapshot, README "Prestanda"). A connection the server cut is noticed and
replaced before the next task, which then succeeds.

A real worker (in a thread of the test process) against Redis and the test's
PostgreSQL database; the worker's backend is the one connection to the test
database that is not the test's own."""

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections

from channels_registry.models import SweepRun
from nora_social.celery import app
from tests.celery_support import running_worker, wait_for
from tests.channels_registry.compliance_support import compliant_account
from tests.faults.test_worker_killed import _conninfo

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _other_backends() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {pid for (pid,) in cursor.fetchall()}


def _terminate(pids: set[int]) -> None:
    with psycopg.connect(_conninfo(), autocommit=True) as admin:
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture
def connection_lifetime():
    """Set the lifetime the worker's connection gets (it opens it in the first
    task); afterwards cut whatever the worker left open, so the test database
    can be dropped."""
    db = connections.settings["default"]
    old = db["CONN_MAX_AGE"]

    def set_lifetime(seconds: int) -> None:
        db["CONN_MAX_AGE"] = seconds

    yield set_lifetime
    db["CONN_MAX_AGE"] = old
    _terminate(_other_backends())


@pytest.fixture
def worker(postgres_only, connection_lifetime, redis_url):
    connection_lifetime(60)  # production's DB_CONN_MAX_AGE
    with running_worker(redis_url, "nora-test-conn") as w:
        yield w


def _sweep() -> None:
    before = SweepRun.objects.filter(finished_at__isnull=False).count()
    entry = settings.CELERY_BEAT_SCHEDULE["compliance-nightly-full-sweep"]
    app.send_task(entry["task"], kwargs=entry.get("kwargs", {}), queue=app.conf.task_default_queue)
    assert wait_for(
        lambda: SweepRun.objects.filter(finished_at__isnull=False).count() > before, timeout=60
    )


def test_the_worker_keeps_its_connection_between_tasks(worker, org, staff, colleague, platform):
    compliant_account(org["unit"], staff, colleague, platform)
    _sweep()
    after_first = _other_backends()
    assert len(after_first) == 1, "the worker's connection was closed after its task"
    _sweep()
    assert _other_backends() == after_first


def test_a_connection_cut_between_tasks_is_replaced_and_the_next_task_succeeds(
    worker, org, staff, colleague, platform
):
    compliant_account(org["unit"], staff, colleague, platform)
    _sweep()
    cut = _other_backends()
    assert len(cut) == 1
    _terminate(cut)

    _sweep()
    now = _other_backends()
    assert len(now) == 1
    assert now.isdisjoint(cut)


def test_in_development_the_connection_is_closed_after_each_task(
    postgres_only, connection_lifetime, redis_url, org, staff, colleague, platform
):
    connection_lifetime(0)  # DB_CONN_MAX_AGE's default with DEBUG on
    compliant_account(org["unit"], staff, colleague, platform)
    with running_worker(redis_url, "nora-test-conn"):
        _sweep()
        assert wait_for(lambda: not _other_backends())
