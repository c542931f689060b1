"""YouTube: uploads, comment threads with replies past the five a thread
carries, edits, held-for-review comments, and the 10,000 units a day."""

import pytest

from channels_registry.connections.models import PlatformConnection
from moderation.capture.models import CapturedObject, CapturedVersion
from moderation.capture.services import poll_connection
from tests.moderation.capture import recorded as r

VIDEO = "dQw4w9WgXcQ"


def _channel(rsps, uploads, threads, replies=None):
    rsps.add("GET", f"{r.YT}channels", json=r.yt_channel())
    rsps.add("GET", f"{r.YT}playlistItems", json={"items": uploads})
    rsps.add(
        "GET",
        f"{r.YT}commentThreads",
        json={"nextPageToken": "CDIQAA", "items": threads[:1]},
        match=[r._without("pageToken")],
    )
    from responses import matchers

    rsps.add(
        "GET",
        f"{r.YT}commentThreads",
        json={"items": threads[1:]},
        match=[matchers.query_param_matcher({"pageToken": "CDIQAA"}, strict_match=False)],
    )
    if replies is not None:
        rsps.add("GET", f"{r.YT}comments", json={"items": replies})


def test_videos_threads_replies_and_an_edit(rsps, youtube):
    top1 = r.yt_comment("Ug1", "Bra möte!", video_id=VIDEO)
    top2 = r.yt_comment("Ug2", "Var finns protokollet?", video_id=VIDEO, author_channel="UCbo")
    six = [r.yt_comment(f"Ug2.r{i}", f"svar {i}", video_id=VIDEO, parent="Ug2") for i in range(6)]
    _channel(
        rsps,
        [r.yt_upload(VIDEO, "Kommunfullmäktige 1 december")],
        [r.yt_thread(top1, []), r.yt_thread(top2, six[:5], total=6)],
        replies=six,
    )
    poll_connection(connection_id=youtube.pk)

    objects = {o.platform_id: o for o in CapturedObject.objects.filter(connection=youtube)}
    assert objects[VIDEO].own and objects[VIDEO].kind == "post"
    assert objects["Ug2.r5"].kind == "reply" and objects["Ug2.r5"].parent == objects["Ug2"]
    assert len(objects) == 1 + 2 + 6
    youtube.refresh_from_db()
    # channels, playlistItems, two pages of threads, one page of replies: 1 unit each.
    assert youtube.quota_used == 5
    assert youtube.health == PlatformConnection.Health.OK

    rsps.reset()
    edited = r.yt_comment(
        "Ug1", "Bra möte! (ändrat)", video_id=VIDEO, updated="2026-12-03T10:00:00Z"
    )
    _channel(
        rsps,
        [r.yt_upload(VIDEO, "Kommunfullmäktige 1 december")],
        [r.yt_thread(edited, []), r.yt_thread(top2, six[:5], total=6)],
        replies=six,
    )
    poll_connection(connection_id=youtube.pk)
    versions = CapturedVersion.objects.filter(captured=objects["Ug1"]).order_by("number")
    assert [v.content.text for v in versions] == ["Bra möte!", "Bra möte! (ändrat)"]
    assert versions.last().edited_at is not None


def test_a_comment_held_for_review_is_captured_as_hidden(rsps, youtube):
    held = r.yt_comment("Ug3", "Köp billiga klockor", video_id=VIDEO)
    held["snippet"]["moderationStatus"] = "heldForReview"
    _channel(rsps, [r.yt_upload(VIDEO, "Film")], [r.yt_thread(held, [])])
    poll_connection(connection_id=youtube.pk)
    assert CapturedVersion.objects.get(captured__platform_id="Ug3").state == "hidden"


@pytest.mark.parametrize(
    ("answer", "health"),
    [
        (
            r.yt_error(
                403,
                "quotaExceeded",
                "The request cannot be completed because you have exceeded your quota.",
            ),
            "quota_exhausted",
        ),
        (r.yt_error(401, "authError", "Invalid Credentials"), "token_expired"),
        (
            r.yt_error(
                403, "insufficientPermissions", "Request had insufficient authentication scopes."
            ),
            "missing_permission",
        ),
        (r.yt_error(429, "rateLimitExceeded", "Too many requests"), "quota_exhausted"),
    ],
)
def test_refusals_are_the_connections_health(rsps, youtube, answer, health):
    rsps.add("GET", f"{r.YT}channels", **answer)
    poll_connection(connection_id=youtube.pk)
    youtube.refresh_from_db()
    assert youtube.health == health


def test_the_capture_stops_before_the_daily_quota_is_spent(rsps, youtube):
    from django.utils import timezone

    PlatformConnection.objects.filter(pk=youtube.pk).update(
        quota_day=timezone.localdate(), quota_used=9_999
    )
    _channel(rsps, [r.yt_upload(VIDEO, "Film")], [])
    poll_connection(connection_id=youtube.pk)
    youtube.refresh_from_db()
    assert youtube.health == PlatformConnection.Health.QUOTA_EXHAUSTED
    assert len(rsps.calls) == 0  # the 10,000th unit was not spent on the platform


def test_comments_disabled_on_a_video_is_no_failure(rsps, youtube):
    rsps.add("GET", f"{r.YT}channels", json=r.yt_channel())
    rsps.add("GET", f"{r.YT}playlistItems", json={"items": [r.yt_upload(VIDEO, "Film")]})
    rsps.add(
        "GET",
        f"{r.YT}commentThreads",
        **r.yt_error(403, "commentsDisabled", "The video has disabled comments."),
    )
    poll_connection(connection_id=youtube.pk)
    youtube.refresh_from_db()
    assert youtube.health == PlatformConnection.Health.OK
    assert CapturedObject.objects.filter(platform_id=VIDEO).exists()
