"""Webhook intake: Meta's handshake, the signature over the raw body, the raw
event stored before the answer, idempotent redelivery, processing by a task."""

import hashlib
import hmac
import json

import pytest

from moderation.capture.models import CapturedObject, CapturedVersion, RawEvent
from moderation.capture.services import process_raw_event
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


def test_a_signed_delivery_is_stored_once_and_processed_into_versions(
    client, facebook, rsps, django_capture_on_commit_callbacks
):
    r.facebook_page(rsps, [r.fb_post("900", "Inlägget")], {f"{r.PAGE_ID}_900": []}, [])
    from moderation.capture.services import poll_connection

    poll_connection(connection_id=facebook.pk)  # the post is known
    body = feed_delivery(comment_change("900_7", "Hej från webhooken"))
    with django_capture_on_commit_callbacks() as queued:
        answer = post(client, body, sign(body))
    assert answer.status_code == 200
    event = RawEvent.objects.get()
    assert event.object_platform_id == "900_7" and event.connection_id == facebook.pk
    assert len(queued) == 1  # processing is queued for after the commit

    # Meta redelivers when unsure: nothing new is stored.
    assert post(client, body, sign(body)).status_code == 200
    assert RawEvent.objects.count() == 1

    assert process_raw_event(event_id=event.pk) is False
    assert process_raw_event(event_id=event.pk) is False  # processed once
    comment = CapturedObject.objects.get(platform_id="900_7")
    assert comment.parent.platform_id == f"{r.PAGE_ID}_900"
    assert CapturedVersion.objects.filter(captured=comment).count() == 1

    # A removal webhook records the comment as gone.
    removal = feed_delivery(comment_change("900_7", "", verb="remove"))
    post(client, removal, sign(removal))
    process_raw_event(event_id=RawEvent.objects.latest("pk").pk)
    assert list(comment.versions.order_by("number").values_list("state", flat=True)) == [
        "visible",
        "gone",
    ]


def test_a_comment_on_an_unknown_post_asks_for_a_poll(client, facebook):
    body = feed_delivery(comment_change("900_8", "Hej"))
    post(client, body, sign(body))
    assert process_raw_event(event_id=RawEvent.objects.get().pk) is True
    assert not CapturedObject.objects.exists()
