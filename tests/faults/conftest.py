"""Fixtures for the fault tests: a broker that is down, and the PostgreSQL
database the test run created (for a worker process of its own)."""

import kombu.pools
import pytest
from django.core.cache import cache
from django.db import connection

from nora_social.celery import app

# A port nothing listens on: Redis is "down".
CLOSED_BROKER = "redis://127.0.0.1:1/14"


def _fresh_pools() -> None:
    """Drop Celery's pooled broker connections so the next publish reconnects."""
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down(monkeypatch, settings):
    """Redis is down for the web app: Celery and the health page both point at a
    closed port. Celery reads CELERY_BROKER_URL from the environment before its
    configuration, so both are set."""
    old = app.conf.broker_url
    _fresh_pools()
    monkeypatch.setenv("CELERY_BROKER_URL", CLOSED_BROKER)
    settings.CELERY_BROKER_URL = CLOSED_BROKER
    app.conf.broker_url = CLOSED_BROKER
    assert app.connection_for_write().port == 1
    cache.clear()  # the re-check debounce must not hide an attempt
    yield CLOSED_BROKER
    app.conf.broker_url = old
    _fresh_pools()
    cache.clear()


@pytest.fixture
def postgres_only():
    """The SQLite run skips these; CI's PostgreSQL run (make test-postgres) has them."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with DATABASE_URL=postgres://...)")
