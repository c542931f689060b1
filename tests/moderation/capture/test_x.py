"""X: the account's posts, replies from its conversations, an edit through
``edit_history_tweet_ids``, HTTP 429 with ``x-rate-limit-reset``, and the
plan's monthly cap on posts read, counted like YouTube's units."""

import datetime

from django.utils import timezone
from responses import matchers

from channels_registry.compliance.engine import run_sweep
from channels_registry.connections.models import PlatformConnection
from channels_registry.models import Finding
from moderation.capture.models import CapturedObject, CapturedVersion
from moderation.capture.services import poll_connection
from tests.moderation.capture import recorded_linkedin_x as rx

POST = "1867000000000000001"
CITIZEN = {"id": "99001", "name": "Anna Andersson", "username": "anna_a"}
ACCOUNT = {"id": rx.X_USER, "name": "Nora kommun", "username": "norakommun"}


def _timeline(rsps, posts, replies):
    """The timeline on two pages (``pagination_token``), the replies in one."""
    rsps.add(
        "GET",
        f"{rx.X}users/{rx.X_USER}/tweets",
        json=rx.x_page(posts[:1], next_token="7140dibdnow9c7btw3z2v"),
        match=[lambda request: ("pagination_token" not in request.url, "")],
    )
    rsps.add(
        "GET",
        f"{rx.X}users/{rx.X_USER}/tweets",
        json=rx.x_page(posts[1:]),
        match=[
            matchers.query_param_matcher(
                {"pagination_token": "7140dibdnow9c7btw3z2v"}, strict_match=False
            )
        ],
    )
    rsps.add(
        "GET",
        f"{rx.X}tweets/search/recent",
        json=rx.x_page(replies, users=[CITIZEN, ACCOUNT]),
        match=[
            matchers.query_param_matcher({"query": f"conversation_id:{POST}"}, strict_match=False)
        ],
    )
    for post in posts[1:]:
        rsps.add(
            "GET",
            f"{rx.X}tweets/search/recent",
            json=rx.x_page([]),
            match=[
                matchers.query_param_matcher(
                    {"query": f"conversation_id:{post['conversation_id']}"}, strict_match=False
                )
            ],
        )


def test_posts_replies_an_edit_and_the_posts_read_are_counted(rsps, x_connection):
    post = rx.x_post(POST, "Vattnet är avstängt på Storgatan i dag.")
    older = rx.x_post("1866000000000000009", "God jul önskar Nora kommun", days_ago=3)
    question = rx.x_post(
        "1867000000000000100",
        "@norakommun Hur länge?",
        author=CITIZEN["id"],
        conversation=POST,
        replied_to=POST,
    )
    answer = rx.x_post(
        "1867000000000000200", "@anna_a Till kl. 15.", conversation=POST, replied_to=question["id"]
    )
    _timeline(rsps, [post, older], [answer, question])
    poll_connection(connection_id=x_connection.pk)

    x_connection.refresh_from_db()
    assert x_connection.health == PlatformConnection.Health.OK
    objects = {o.platform_id: o for o in CapturedObject.objects.filter(connection=x_connection)}
    assert objects[POST].own and objects[POST].kind == "post"
    assert objects[older["id"]].kind == "post"  # the second page was read
    assert objects[question["id"]].kind == "comment" and not objects[question["id"]].own
    assert objects[question["id"]].parent == objects[POST]
    assert objects[answer["id"]].kind == "reply" and objects[answer["id"]].own
    assert objects[answer["id"]].parent == objects[question["id"]]
    content = CapturedVersion.objects.get(captured=objects[question["id"]]).content
    assert content.author_name == "anna_a"
    assert "_author" not in content.raw
    # Four posts were read: the two of the timeline and the two replies.
    assert x_connection.quota_used == 4
    assert x_connection.quota_day == timezone.localdate().replace(day=1)
    assert "Authorization" in rsps.calls[0].request.headers

    rsps.reset()
    edit_id = "1867000000000000002"
    edited = rx.x_post(
        edit_id,
        "Vattnet är avstängt på Storgatan till kl. 15.",
        history=[POST, edit_id],
        conversation=POST,
    )
    _timeline(rsps, [edited, older], [answer, question])
    poll_connection(connection_id=x_connection.pk)

    versions = CapturedVersion.objects.filter(captured=objects[POST]).order_by("number")
    assert [v.content.text for v in versions] == [
        "Vattnet är avstängt på Storgatan i dag.",
        "Vattnet är avstängt på Storgatan till kl. 15.",
    ]
    assert versions.last().edited_at is not None
    assert CapturedObject.objects.filter(platform_id=edit_id).count() == 0


def test_a_reply_missing_from_a_young_post_is_gone_but_not_from_an_old_one(rsps, x_connection):
    young = rx.x_post(POST, "Nytt inlägg")
    old_id = "1860000000000000001"
    old = rx.x_post(old_id, "Gammalt inlägg", days_ago=20)
    reply_young = rx.x_post("1867000000000000300", "Svar", author="99001", replied_to=POST)
    reply_old = rx.x_post(
        "1860000000000000300", "Gammalt svar", author="99001", replied_to=old_id, days_ago=19
    )
    reply_old["conversation_id"] = old_id

    def poll(young_replies, old_replies):
        rsps.reset()
        rsps.add("GET", f"{rx.X}users/{rx.X_USER}/tweets", json=rx.x_page([young, old]))
        for conversation, replies in ((POST, young_replies), (old_id, old_replies)):
            rsps.add(
                "GET",
                f"{rx.X}tweets/search/recent",
                json=rx.x_page(replies),
                match=[
                    matchers.query_param_matcher(
                        {"query": f"conversation_id:{conversation}"}, strict_match=False
                    )
                ],
            )
        poll_connection(connection_id=x_connection.pk)

    poll([reply_young], [reply_old])
    poll([], [])  # both vanish from the search: only the young post's is known to be gone

    state = {
        o.platform_id: CapturedVersion.objects.filter(captured=o).order_by("-number").first().state
        for o in CapturedObject.objects.filter(kind="comment")
    }
    assert state == {reply_young["id"]: "gone", reply_old["id"]: "visible"}


def test_http_429_says_when_the_window_resets(rsps, x_connection):
    reset = int(timezone.now().timestamp()) + 600
    rsps.add(
        "GET",
        f"{rx.X}users/{rx.X_USER}/tweets",
        status=429,
        json={
            "title": "Too Many Requests",
            "detail": "Too Many Requests",
            "type": "about:blank",
            "status": 429,
        },
        headers={
            "x-rate-limit-limit": "900",
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(reset),
        },
    )
    poll_connection(connection_id=x_connection.pk)

    x_connection.refresh_from_db()
    assert x_connection.health == PlatformConnection.Health.QUOTA_EXHAUSTED
    when = timezone.localtime(datetime.datetime.fromtimestamp(reset, tz=datetime.UTC))
    assert when.strftime("%Y-%m-%d %H:%M") in x_connection.health_message
    run_sweep(codes=["capture_failing"])
    finding = Finding.objects.get(rule_code="capture_failing", resolved_at__isnull=True)
    assert "Kontot arkiveras inte" in finding.message


def test_a_spent_monthly_cap_stops_the_capture_before_the_platform(rsps, x_connection, settings):
    settings.CAPTURE_X_MONTHLY_POST_CAP = 500
    PlatformConnection.objects.filter(pk=x_connection.pk).update(
        quota_day=timezone.localdate().replace(day=1), quota_used=500
    )
    poll_connection(connection_id=x_connection.pk)

    x_connection.refresh_from_db()
    assert len(rsps.calls) == 0
    assert x_connection.health == PlatformConnection.Health.QUOTA_EXHAUSTED
    assert "500" in x_connection.health_message
    run_sweep(codes=["capture_failing"])
    assert Finding.objects.filter(rule_code="capture_failing", resolved_at__isnull=True).exists()


def test_x_saying_the_usage_cap_is_exceeded_reads_the_same(rsps, x_connection):
    rsps.add(
        "GET",
        f"{rx.X}users/{rx.X_USER}/tweets",
        status=429,
        json={
            "title": "UsageCapExceeded",
            "detail": "Usage cap exceeded: Monthly product cap",
            "type": "https://api.twitter.com/2/problems/usage-capped",
            "period": "Monthly",
            "scope": "Product",
        },
    )
    poll_connection(connection_id=x_connection.pk)
    x_connection.refresh_from_db()
    assert x_connection.health == PlatformConnection.Health.QUOTA_EXHAUSTED
    assert "månadstak" in x_connection.health_message
