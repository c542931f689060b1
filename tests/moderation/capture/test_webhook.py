"""Webhook intake: Meta's handshake, the signature over the raw body, the raw
event stored before the answer, idempotent redelivery, processing by a task."""

import hashlib
import hmac
import json
import logging

import pytest
from django.db import connection

from moderation.capture.chain import verify_account
from moderation.capture.models import (
    CapturedObject,
    CapturedVersion,
    RawEvent,
    RawEventProcessed,
)
from moderation.capture.services import Drained, poll_connection, process_pending_events
from moderation.capture.tasks import request_drain
from tests.moderation.capture import recorded as r

URL = "/capture/webhooks/facebook/"


def sign(body: bytes, secret: str = "test-app-secret") -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def feed_delivery(*changes: dict) -> bytes:
    return json.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "id": r.PAGE_ID,
                    "time": 1796000000,
                    "changes": [{"field": "feed", "value": v} for v in changes],
                }
            ],
        }
    ).encode()


def comment_change(comment_id: str, message: str, verb: str = "add") -> dict:
    return {
        "from": {"id": "5550001", "name": "Anna Andersson"},
        "item": "comment",
        "verb": verb,
        "comment_id": comment_id,
        "post_id": f"{r.PAGE_ID}_900",
        "parent_id": f"{r.PAGE_ID}_900",
        "message": message,
        "created_time": 1796000000,
    }


def post(client, body: bytes, signature: str | None):
    headers = {} if signature is None else {"HTTP_X_HUB_SIGNATURE_256": signature}
    return client.post(URL, data=body, content_type="application/json", **headers)


def test_the_subscription_handshake_echoes_the_challenge_only_for_our_verify_token(client, db):
    ok = client.get(
        URL,
        {"hub.mode": "subscribe", "hub.verify_token": "nora-verify", "hub.challenge": "1158201444"},
    )
    assert ok.status_code == 200 and ok.content == b"1158201444"
    wrong = client.get(
        URL, {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"}
    )
    assert wrong.status_code == 403


@pytest.mark.parametrize("signature", [None, "sha256=" + "0" * 64, "sha1=abc", "garbage"])
def test_a_wrong_or_missing_signature_is_refused_and_changes_nothing(client, facebook, signature):
    body = feed_delivery(comment_change("900_7", "Hej"))
    assert post(client, body, signature).status_code == 403
    assert not RawEvent.objects.exists()


def test_a_signature_over_other_bytes_is_refused(client, facebook):
    body = feed_delivery(comment_change("900_7", "Hej"))
    tampered = body.replace(b"Hej", b"Hej!")
    assert post(client, tampered, sign(body)).status_code == 403
    assert not RawEvent.objects.exists()


def test_without_an_app_secret_every_delivery_is_refused(client, facebook, settings):
    settings.CAPTURE_META_APP_SECRET = ""
    body = feed_delivery(comment_change("900_7", "Hej"))
    assert post(client, body, sign(body, "")).status_code == 403


def test_a_signed_delivery_is_stored_with_one_query_and_a_drain_requested(
    client, facebook, django_assert_num_queries, django_capture_on_commit_callbacks
):
    body = feed_delivery(comment_change("900_7", "Hej från webhooken"))
    with django_capture_on_commit_callbacks() as queued, django_assert_num_queries(1):
        answer = post(client, body, sign(body))
    assert answer.status_code == 200
    event = RawEvent.objects.get()
    assert event.object_platform_id == "900_7" and event.platform == "facebook"
    assert event.payload["entry"][0]["changes"][0]["value"]["message"] == "Hej från webhooken"
    assert not RawEventProcessed.objects.exists()  # processing is the drain's
    assert queued == [request_drain]  # asked for after the commit


def test_a_signed_delivery_with_a_nul_character_is_stored_not_refused(client, facebook):
    """JSON may carry U+0000, PostgreSQL's jsonb may not: the delivery is kept
    with U+FFFD in its place instead of failing (Meta would retry, then drop it)."""
    body = feed_delivery(comment_change("900_7", "Hej\u0000då"))
    assert "\\u0000" in body.decode()
    assert post(client, body, sign(body)).status_code == 200
    stored = RawEvent.objects.get(object_platform_id="900_7")
    assert stored.payload["entry"][0]["changes"][0]["value"]["message"] == "Hej\ufffddå"


def test_the_drain_starts_after_every_delivery_its_flag_let_through():
    """A process skips the flag store for the flag's life after it saw the flag
    set, which was itself set at most that long before: the queued drain must
    start later than both, or an event could be stored after its last read."""
    from moderation.capture import tasks

    assert tasks.DRAIN_DELAY_SECONDS > 2 * tasks.DRAIN_FLAG_SECONDS


def test_a_signed_delivery_is_processed_into_versions_once(client, facebook, rsps):
    _post_is_known(rsps, facebook)
    body = feed_delivery(comment_change("900_7", "Hej från webhooken"))
    assert post(client, body, sign(body)).status_code == 200

    # Meta redelivers when unsure: nothing new is stored.
    assert post(client, body, sign(body)).status_code == 200
    assert RawEvent.objects.count() == 1

    assert process_pending_events() == Drained(1, set())
    assert process_pending_events() == Drained(0, set())  # processed once
    comment = CapturedObject.objects.get(platform_id="900_7")
    assert comment.parent.platform_id == f"{r.PAGE_ID}_900"
    assert CapturedVersion.objects.filter(captured=comment).count() == 1

    # Redelivered after processing: still nothing new.
    post(client, body, sign(body))
    assert process_pending_events().events == 0
    assert CapturedVersion.objects.filter(captured=comment).count() == 1

    # A removal webhook records the comment as gone.
    removal = feed_delivery(comment_change("900_7", "", verb="remove"))
    post(client, removal, sign(removal))
    process_pending_events()
    assert list(comment.versions.order_by("number").values_list("state", flat=True)) == [
        "visible",
        "gone",
    ]
    assert list(verify_account(facebook.account_id)) == []


def test_a_burst_in_one_batch_keeps_the_order_of_arrival(client, facebook, rsps):
    """A comment, two edits and its removal, in separate deliveries and one
    batch: successive versions in the order they came; another comment added
    in the same batch is recorded too."""
    _post_is_known(rsps, facebook)
    for change in (
        comment_change("900_7", "Hej"),
        comment_change("900_8", "Vilken tid öppnar marknaden?"),
        comment_change("900_7", "Hej igen", verb="edited"),
        comment_change("900_7", "Hej igen!", verb="edited"),
        comment_change("900_7", "", verb="remove"),
    ):
        body = feed_delivery(change)
        assert post(client, body, sign(body)).status_code == 200
    assert process_pending_events() == Drained(5, set())
    comment = CapturedObject.objects.get(platform_id="900_7")
    versions = comment.versions.order_by("number").select_related("content")
    assert [(v.number, v.state, v.content.text) for v in versions] == [
        (1, "visible", "Hej"),
        (2, "visible", "Hej igen"),
        (3, "visible", "Hej igen!"),
        (4, "gone", ""),
    ]
    assert CapturedObject.objects.get(platform_id="900_8").versions.count() == 1
    assert RawEventProcessed.objects.filter(failure="").count() == 5
    assert list(verify_account(facebook.account_id)) == []


def test_a_comment_on_an_unknown_post_asks_for_a_poll(client, facebook):
    body = feed_delivery(comment_change("900_8", "Hej"))
    post(client, body, sign(body))
    assert process_pending_events() == Drained(1, {facebook.pk})
    assert not CapturedObject.objects.exists()
    assert RawEventProcessed.objects.get().failure == ""


def test_a_delivery_for_a_page_not_connected_is_stored_and_recorded_nowhere(client, db):
    body = feed_delivery(comment_change("900_8", "Hej"))
    assert post(client, body, sign(body)).status_code == 200
    assert process_pending_events() == Drained(1, set())
    assert not CapturedObject.objects.exists()
    assert RawEventProcessed.objects.count() == 1


def test_an_unreadable_change_is_kept_and_does_not_hold_up_the_others(client, facebook, rsps):
    _post_is_known(rsps, facebook)
    odd = json.dumps(
        {
            "object": "page",
            "entry": [{"id": r.PAGE_ID, "time": 1, "changes": [{"field": "feed", "value": "x"}]}],
        }
    ).encode()
    good = feed_delivery(comment_change("900_7", "Hej"))
    for body in (odd, good):
        assert post(client, body, sign(body)).status_code == 200
    assert process_pending_events().events == 2
    assert CapturedObject.objects.get(platform_id="900_7").versions.count() == 1
    failures = dict(RawEventProcessed.objects.values_list("event__object_platform_id", "failure"))
    assert failures == {"": "AttributeError", "900_7": ""}
    assert RawEvent.objects.get(object_platform_id="").payload["entry"][0]["changes"] == [
        {"field": "feed", "value": "x"}
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps a text of any length")
def test_a_change_the_database_refuses_is_marked_and_the_rest_recorded_once(client, facebook, rsps):
    """The batch fails midway on a comment id longer than the database keeps:
    nothing of the failed attempt stays, each event is then recorded on its
    own, exactly once, and the refused one is marked."""
    _post_is_known(rsps, facebook)
    long_id = "9" * 250
    for change in (
        comment_change("900_7", "Före"),
        comment_change(long_id, "För långt id"),
        comment_change("900_8", "Efter"),
    ):
        body = feed_delivery(change)
        assert post(client, body, sign(body)).status_code == 200
    assert process_pending_events().events == 3
    for platform_id in ("900_7", "900_8"):
        assert CapturedObject.objects.get(platform_id=platform_id).versions.count() == 1
    assert CapturedObject.objects.count() == 3  # the post and the two comments
    assert sorted(RawEventProcessed.objects.values_list("failure", flat=True)) == [
        "",
        "",
        "DataError",
    ]
    assert process_pending_events().events == 0
    assert list(verify_account(facebook.account_id)) == []


@pytest.mark.parametrize("body", [b"not json", b"\xff\xfe", b"[1, 2]", b'{"entry": "x"}'])
def test_a_signed_body_that_is_not_a_delivery_stores_nothing_and_never_fails(
    client, facebook, body
):
    assert post(client, body, sign(body)).status_code in {200, 400}
    assert not RawEvent.objects.exists()


def _post_is_known(rsps, facebook) -> None:
    r.facebook_page(rsps, [r.fb_post("900", "Inlägget")], {f"{r.PAGE_ID}_900": []}, [])
    poll_connection(connection_id=facebook.pk)


@pytest.mark.django_db(transaction=True)
def test_with_redis_unreachable_the_delivery_is_stored_and_acknowledged(
    client, facebook, settings, caplog, monkeypatch
):
    """Neither the drain's flag nor the broker answers: the event is stored
    (the beat's round drains it) and Meta gets its 200, without the content
    in the log."""
    from nora_social.celery import app
    from tests.faults.conftest import CLOSED_BROKER, _fresh_pools

    # An in-process Celery worker of an earlier test leaves the root logger at
    # its own level (ERROR); the warning is what this test reads.
    caplog.set_level(logging.WARNING, logger="moderation.capture.tasks")
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED_BROKER,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    old = app.conf.broker_url
    _fresh_pools()
    monkeypatch.setenv("CELERY_BROKER_URL", CLOSED_BROKER)  # Celery reads it first
    settings.CELERY_BROKER_URL = CLOSED_BROKER
    app.conf.broker_url = CLOSED_BROKER
    assert app.connection_for_write().port == 1
    try:
        body = feed_delivery(comment_change("900_7", "Hemligt innehåll"))
        assert post(client, body, sign(body)).status_code == 200
        # The shared cache answers again, the broker does not.
        settings.CACHES = {**settings.CACHES, "shared": {"BACKEND": LOCMEM}}
        other = feed_delivery(comment_change("900_8", "Mer innehåll"))
        assert post(client, other, sign(other)).status_code == 200
    finally:
        app.conf.broker_url = old
        _fresh_pools()
    assert RawEvent.objects.count() == 2 and not RawEventProcessed.objects.exists()
    assert caplog.text.count("the next poll round will") == 2
    assert "innehåll" not in caplog.text


LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
