"""LinkedIn organisation pages: the page's posts, comments and replies, an
edit and a deletion, paging by start/count, and the daily limit (HTTP 429)."""

from urllib.parse import quote

import pytest
from responses import matchers

from channels_registry.compliance.engine import run_sweep
from channels_registry.connections.models import PlatformConnection
from channels_registry.models import Finding
from moderation.capture.models import CapturedObject, CapturedVersion
from moderation.capture.services import poll_connection
from tests.moderation.capture import recorded_linkedin_x as rx

SHARE = "urn:li:share:7046540938340392960"
ACTIVITY = "7046540938340392960"


def _comments_url(urn: str) -> str:
    return f"{rx.LI}socialActions/{quote(urn, safe='')}/comments"


def _page(rsps, posts, comments, replies=None):
    """The organisation's posts on two pages (start=0, start=1), the first
    post's comments, and a comment's replies."""
    for start, chunk in ((0, posts[:1]), (1, posts[1:])):
        rsps.add(
            "GET",
            f"{rx.LI}posts",
            json=rx.li_paged(chunk, start=start, total=len(posts)),
            match=[matchers.query_param_matcher({"start": str(start)}, strict_match=False)],
        )
    rsps.add("GET", _comments_url(SHARE), json=rx.li_paged(comments))
    for post in posts[1:]:
        rsps.add("GET", _comments_url(post["id"]), json=rx.li_paged([]))
    if replies is not None:
        rsps.add("GET", _comments_url(comments[0]["commentUrn"]), json=rx.li_paged(replies))


def test_posts_comments_replies_an_edit_and_a_deletion(rsps, linkedin):
    post = rx.li_post(ACTIVITY, "Öppet hus på biblioteket")
    older = rx.li_post("7046540938340392001", "Snöröjningen i gång", hours=-5)
    first = rx.li_comment(ACTIVITY, "1001", "Vilka tider gäller?", replies=1)
    second = rx.li_comment(ACTIVITY, "1002", "Bra initiativ")
    reply = rx.li_comment(
        ACTIVITY, "1003", "Kl. 10–16.", actor=rx.ORG_URN, parent=first["commentUrn"]
    )
    _page(rsps, [post, older], [first, second], replies=[reply])
    poll_connection(connection_id=linkedin.pk)

    linkedin.refresh_from_db()
    assert linkedin.health == PlatformConnection.Health.OK
    objects = {o.platform_id: o for o in CapturedObject.objects.filter(connection=linkedin)}
    assert objects[SHARE].own and objects[SHARE].kind == "post"
    assert objects[older["id"]].kind == "post"  # the second page was read
    assert objects[first["commentUrn"]].parent == objects[SHARE]
    assert objects[reply["commentUrn"]].kind == "reply" and objects[reply["commentUrn"]].own
    assert objects[reply["commentUrn"]].parent == objects[first["commentUrn"]]
    sent = rsps.calls[0].request
    assert sent.headers["LinkedIn-Version"] == "202611"
    assert sent.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert "author=urn%3Ali%3Aorganization%3A5515715" in sent.url

    rsps.reset()
    edited_post = rx.li_post(ACTIVITY, "Öppet hus på biblioteket lördag", edited_hours=3)
    edited = rx.li_comment(
        ACTIVITY, "1001", "Vilka tider gäller på lördag?", replies=1, edited=True
    )
    _page(rsps, [edited_post, older], [edited], replies=[reply])  # "Bra initiativ" is deleted
    poll_connection(connection_id=linkedin.pk)

    post_versions = CapturedVersion.objects.filter(captured=objects[SHARE]).order_by("number")
    assert [v.content.text for v in post_versions] == [
        "Öppet hus på biblioteket",
        "Öppet hus på biblioteket lördag",
    ]
    assert post_versions.last().edited_at is not None
    comment_versions = CapturedVersion.objects.filter(captured=objects[first["commentUrn"]])
    assert comment_versions.count() == 2
    gone = CapturedVersion.objects.filter(captured=objects[second["commentUrn"]]).order_by("number")
    assert [v.state for v in gone] == ["visible", "gone"]


@pytest.mark.parametrize(
    ("answer", "health"),
    [
        (
            rx.li_error(
                429,
                "TOO_MANY_REQUESTS",
                101,
                "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
            ),
            PlatformConnection.Health.QUOTA_EXHAUSTED,
        ),
        (
            rx.li_error(
                401, "REVOKED_ACCESS_TOKEN", 65601, "The token used in the request has been revoked"
            ),
            PlatformConnection.Health.TOKEN_EXPIRED,
        ),
        (
            rx.li_error(
                403,
                "ACCESS_DENIED",
                100,
                "Not enough permissions to access: partnerApiPostsExternal.FINDER-author",
            ),
            PlatformConnection.Health.MISSING_PERMISSION,
        ),
    ],
)
def test_refusals_are_the_connections_health_and_a_finding(rsps, linkedin, answer, health):
    rsps.add("GET", f"{rx.LI}posts", **answer)
    poll_connection(connection_id=linkedin.pk)

    linkedin.refresh_from_db()
    assert linkedin.health == health
    assert linkedin.last_polled_at is None
    run_sweep(codes=["capture_failing"])
    finding = Finding.objects.get(rule_code="capture_failing", resolved_at__isnull=True)
    assert "Kontot arkiveras inte" in finding.message and "LinkedIn" in finding.message


def test_the_daily_limit_says_when_it_resets(rsps, linkedin):
    rsps.add(
        "GET",
        f"{rx.LI}posts",
        **rx.li_error(429, "TOO_MANY_REQUESTS", 101, "APPLICATION DAY limit reached"),
    )
    poll_connection(connection_id=linkedin.pk)
    linkedin.refresh_from_db()
    assert linkedin.health_message.startswith("LinkedIn: dagens gräns för anrop är nådd")
    assert not CapturedObject.objects.exists()
