"""What the capture means for the policy: a comment gone without a note is a
finding and logging the action resolves it; a captured question starts the
clock and the account's captured answer closes it; an own post asks for its
author; barnpornografi is purged from the capture."""

import datetime
import gzip
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from accounts.models import Notification
from channels_registry.compliance.engine import run_sweep
from channels_registry.models import Finding
from moderation import services as moderation_services
from moderation.capture.chain import verify_account
from moderation.capture.models import (
    AuthorRequest,
    CapturedContent,
    CapturedObject,
    CaptureEvidence,
    CapturePurge,
    RawEvent,
    WarcFile,
)
from moderation.capture.services import intake_meta, poll_connection
from moderation.models import ModerationAction, Question
from tests.moderation.capture import recorded as r
from tests.moderation.capture.test_webhook import comment_change, feed_delivery

POST = r.fb_post("900", "Välkommen till biblioteket")
LATER = datetime.timedelta(hours=25)


def _poll(rsps, facebook, comments):
    rsps.reset()
    r.facebook_page(rsps, [POST], {POST["id"]: comments}, [])
    poll_connection(connection_id=facebook.pk)


def _open(code):
    return Finding.objects.filter(rule_code=code, resolved_at__isnull=True)


def test_a_deleted_comment_without_a_note_is_a_finding_and_logging_resolves_it(
    rsps, facebook, client_for, staff
):
    _poll(rsps, facebook, [r.fb_comment("900_1", "Ni är idioter allihop")])
    _poll(rsps, facebook, [])
    comment = CapturedObject.objects.get(platform_id="900_1")

    run_sweep(codes=["capture_removed_without_note"])
    assert not _open("capture_removed_without_note").exists()  # within the hours
    run_sweep(codes=["capture_removed_without_note"], now=timezone.now() + LATER)
    finding = _open("capture_removed_without_note").get()
    assert "borttagen utan anteckning" in finding.message

    page = client_for(staff).get(
        f"/moderering/konton/{facebook.account_id}/tidslinje/{comment.pk}/"
    )
    assert "Logga modereringsåtgärd" in page.content.decode()
    answer = client_for(staff).post(
        f"/moderering/konton/{facebook.account_id}/tidslinje/{comment.pk}/atgard/",
        {
            "action": "deleted",
            "origin": "citizen",
            "category": "personangrepp",
            "reason": "Personangrepp.",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    action = ModerationAction.objects.get()
    # The capture is the evidence: content copied, no screenshot needed.
    assert action.content_text == "Ni är idioter allihop" and not action.screenshot
    assert CaptureEvidence.objects.get(action=action).captured == comment

    run_sweep(codes=["capture_removed_without_note"], now=timezone.now() + LATER)
    assert not _open("capture_removed_without_note").exists()


def test_a_captured_question_starts_the_clock_and_a_captured_reply_closes_it(rsps, facebook, staff):
    _poll(rsps, facebook, [r.fb_comment("900_1", "När öppnar biblioteket på lördagar")])
    question = Question.objects.get()
    captured = CapturedObject.objects.get(platform_id="900_1")
    assert question.received_at == captured.first_seen_at
    assert question.status == Question.Status.OPEN
    assert question.due_at > question.received_at
    assert question.logged_by == staff  # the owner

    reply = r.fb_comment(
        "900_2", "Klockan 10–14!", name="Nora kommun", user_id=r.PAGE_ID, parent="900_1"
    )
    _poll(rsps, facebook, [r.fb_comment("900_1", "När öppnar biblioteket på lördagar"), reply])
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert question.answer == "Klockan 10–14!"


def test_a_plain_comment_is_not_a_question_but_the_staff_may_mark_it(
    rsps, facebook, client_for, staff
):
    _poll(rsps, facebook, [r.fb_comment("900_1", "Fin bild.")])
    assert not Question.objects.exists()
    comment = CapturedObject.objects.get(platform_id="900_1")
    answer = client_for(staff).post(
        f"/moderering/konton/{facebook.account_id}/tidslinje/{comment.pk}/fraga/", {"confirm": "on"}
    )
    assert answer.status_code == 302
    assert Question.objects.get().text == "Fin bild."


def test_a_message_to_the_page_is_a_question_and_the_pages_message_answers_it(client, facebook):
    inbound = {
        "object": "page",
        "entry": [
            {
                "id": r.PAGE_ID,
                "time": 1796000000000,
                "messaging": [
                    {
                        "sender": {"id": "7770001"},
                        "recipient": {"id": r.PAGE_ID},
                        "timestamp": 1796000000000,
                        "message": {"mid": "m_in_1", "text": "Hej, jag vill boka lokal"},
                    }
                ],
            }
        ],
    }
    outbound = {
        "object": "page",
        "entry": [
            {
                "id": r.PAGE_ID,
                "time": 1796000100000,
                "messaging": [
                    {
                        "sender": {"id": r.PAGE_ID},
                        "recipient": {"id": "7770001"},
                        "timestamp": 1796000100000,
                        "message": {"mid": "m_out_1", "text": "Välkommen, ring 0587-810 00."},
                    }
                ],
            }
        ],
    }
    import json

    from moderation.capture.services import process_pending_events

    for delivery in (inbound, outbound):
        intake_meta(json.dumps(delivery).encode())
        process_pending_events()
    question = Question.objects.get()
    assert question.text == "Hej, jag vill boka lokal"
    assert question.status == Question.Status.ANSWERED


def test_an_own_post_without_a_logged_author_asks_then_is_a_finding(
    rsps, facebook, staff, colleague
):
    _poll(rsps, facebook, [])
    assert AuthorRequest.objects.count() == 1
    assert Notification.objects.filter(recipient__in=[staff, colleague]).count() == 2

    later = timezone.now() + datetime.timedelta(hours=settings.CAPTURE_AUTHOR_DELAY_HOURS + 1)
    run_sweep(codes=["capture_post_without_author"], now=later)
    assert _open("capture_post_without_author").count() == 1

    moderation_services.post_log(
        account_id=facebook.account_id,
        actor=staff,
        author=staff,
        published_at=timezone.now() - datetime.timedelta(hours=1),
        text=POST["message"],
        link=POST["permalink_url"],
    )
    run_sweep(codes=["capture_post_without_author"], now=later)
    assert not _open("capture_post_without_author").exists()


def test_barnpornografi_purges_the_capture_and_keeps_the_metadata(
    rsps, facebook, client_for, staff, security_coordinator
):
    _poll(rsps, facebook, [r.fb_comment("900_1", "OLAGLIGT-INNEHÅLL-XYZ")])
    intake_meta(feed_delivery(comment_change("900_1", "OLAGLIGT-INNEHÅLL-XYZ")))
    comment = CapturedObject.objects.get(platform_id="900_1")
    answer = client_for(staff).post(
        f"/moderering/konton/{facebook.account_id}/tidslinje/{comment.pk}/atgard/",
        {
            "action": "deleted",
            "origin": "citizen",
            "category": "barnpornografi",
            "reason": "Anmäls.",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    action = ModerationAction.objects.get()
    assert action.content_text == ""
    purge = CapturePurge.objects.get(captured=comment)
    assert purge.contents_removed == 1 and purge.raw_events_removed == 1
    assert not CapturedContent.objects.filter(version__captured=comment).exists()
    assert not RawEvent.objects.filter(object_platform_id="900_1").exists()
    # The versions' metadata and the chain stay.
    assert comment.versions.count() == 1
    assert list(verify_account(facebook.account_id)) == []
    for warc in WarcFile.objects.all():
        data = gzip.decompress((Path(settings.MEDIA_ROOT) / warc.path).read_bytes())
        assert "OLAGLIGT-INNEHÅLL-XYZ".encode() not in data
