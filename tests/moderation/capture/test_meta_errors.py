"""Meta's refusals become the connection's health, which the sweep turns into a
finding for the account's people: "kontot arkiveras inte"."""

import pytest

from channels_registry.compliance.engine import run_sweep
from channels_registry.connections.models import PlatformConnection
from channels_registry.models import Finding
from moderation.capture.models import CapturedObject
from moderation.capture.services import poll_connection
from tests.moderation.capture import recorded as r

Health = PlatformConnection.Health


@pytest.mark.parametrize(
    ("answer", "health"),
    [
        (r.EXPIRED_TOKEN, Health.TOKEN_EXPIRED),
        (r.NO_PERMISSION, Health.MISSING_PERMISSION),
        (r.PAGE_RATE_LIMIT, Health.QUOTA_EXHAUSTED),
        (r.APP_RATE_LIMIT, Health.QUOTA_EXHAUSTED),
        (r.CUSTOM_RATE_LIMIT, Health.QUOTA_EXHAUSTED),
        ({"status": 429, "json": {}}, Health.QUOTA_EXHAUSTED),
    ],
)
def test_a_refusal_is_the_connections_health_and_a_finding(rsps, facebook, answer, health):
    rsps.add("GET", f"{r.GRAPH}{r.PAGE_ID}/posts", **answer)
    poll_connection(connection_id=facebook.pk)

    facebook.refresh_from_db()
    assert facebook.health == health
    run_sweep(codes=["capture_failing"])
    finding = Finding.objects.get(rule_code="capture_failing", resolved_at__isnull=True)
    assert finding.account_id == facebook.account_id
    assert "Kontot arkiveras inte" in finding.message
    assert "EAA" not in finding.message


def test_a_working_poll_resolves_the_finding(rsps, facebook):
    rsps.add("GET", f"{r.GRAPH}{r.PAGE_ID}/posts", **r.EXPIRED_TOKEN)
    poll_connection(connection_id=facebook.pk)
    run_sweep(codes=["capture_failing"])
    rsps.reset()
    r.facebook_page(rsps, [], {}, conversations=[])
    poll_connection(connection_id=facebook.pk)
    run_sweep(codes=["capture_failing"])
    assert not Finding.objects.filter(
        rule_code="capture_failing", resolved_at__isnull=True
    ).exists()


def test_a_token_past_its_expiry_is_a_finding_without_any_call(facebook):
    from datetime import timedelta

    from django.utils import timezone

    run_sweep(codes=["capture_failing"], now=timezone.now() + timedelta(days=1000))
    assert not Finding.objects.filter(rule_code="capture_failing").exists()
    PlatformConnection.objects.filter(pk=facebook.pk).update(
        token_expires_at=timezone.now() + timedelta(days=1)
    )
    run_sweep(codes=["capture_failing"], now=timezone.now() + timedelta(days=2))
    assert Finding.objects.filter(rule_code="capture_failing", resolved_at__isnull=True).exists()


def test_a_deleted_post_answers_code_100_subcode_33_and_its_comments_stop_there(rsps, facebook):
    post = r.fb_post("901", "Inlägget raderas")
    r.add_paged(rsps, f"{r.GRAPH}{r.PAGE_ID}/posts", [post])
    rsps.add("GET", f"{r.GRAPH}{post['id']}/comments", **r.DELETED_OBJECT)
    poll_connection(connection_id=facebook.pk)
    facebook.refresh_from_db()
    # The object is gone, not the token: nothing captured, no token finding.
    assert facebook.health == Health.FAILING
    assert not CapturedObject.objects.exists()
