"""The health page and the dead man's switch: a full sweep that has not
completed in 25 hours is reported."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from channels_registry.models import SweepRun

pytestmark = pytest.mark.django_db

HEALTH = reverse("channels_registry:health")
TEXT = reverse("channels_registry:health_text")


def _swept(hours_ago: float, **kwargs) -> SweepRun:
    at = timezone.now() - datetime.timedelta(hours=hours_ago)
    return SweepRun.objects.create(started_at=at, finished_at=at, **kwargs)


def test_anonymous_is_sent_to_login(client):
    assert client.get(HEALTH).status_code == 302


def test_staff_without_overview_gets_403(client_for, outsider):
    assert client_for(outsider).get(HEALTH).status_code == 403


def test_information_officer_sees_database_redis_worker_and_sweep(client_for, info_officer):
    _swept(1)
    response = client_for(info_officer).get(HEALTH)
    assert response.status_code in (200, 503)  # 503 when no worker answers
    checks = response.context["status"]["checks"]
    assert checks["database"]["state"] == "ok"
    assert checks["sweep"]["state"] == "ok"
    assert set(checks) == {"database", "redis", "worker", "sweep"}
    assert "Senaste fullständiga genomgång" in response.content.decode()


def test_no_full_sweep_in_25_hours_is_a_warning(client):
    _swept(26)
    _swept(1, time_critical_only=True)  # an hourly run is not a full sweep
    _swept(1, scoped=True)  # nor is a re-check of one account
    body = client.get(TEXT).content.decode()
    assert "sweep: warning" in body


def test_a_sweep_with_a_failed_rule_does_not_count(client):
    _swept(1, failed_rules="coverage")
    assert "sweep: warning" in client.get(TEXT).content.decode()


def test_text_status_for_monitoring_has_no_details(client, redis_url):
    _swept(2)
    response = client.get(TEXT)
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "database: ok" in body
    assert "redis: ok" in body
    assert "sweep: ok" in body
    assert "worker: " in body


def test_redis_down_is_an_error(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/15"
    response = client.get(TEXT)
    assert response.status_code == 503
    assert "redis: error" in response.content.decode()
