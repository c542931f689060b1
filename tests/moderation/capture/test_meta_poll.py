"""Polling a Facebook page and an Instagram account captures posts, comments,
replies, messages and edits, each as versions; what vanished is recorded."""

from channels_registry.connections.models import PlatformConnection
from moderation.capture.models import CapturedObject, CapturedVersion
from moderation.capture.services import poll_connection
from tests.moderation.capture import recorded as r

POST = r.fb_post("900", "Nu öppnar badhuset igen!")


def _states(connection) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for v in CapturedVersion.objects.filter(captured__connection=connection).order_by("seq"):
        out.setdefault(v.captured.platform_id, []).append(v.state)
    return out


def test_poll_follows_the_cursors_and_captures_posts_comments_and_replies(rsps, facebook):
    comments = [
        r.fb_comment("900_1", "Äntligen!"),
        r.fb_comment("900_2", "Bra jobbat", user_id="5550002"),
        r.fb_comment("900_3", "Håller med", parent="900_1", user_id="5550003"),
        r.fb_comment(
            "900_4", "Tack för att ni läser!", name="Nora kommun", user_id=r.PAGE_ID, parent="900_2"
        ),
        r.fb_comment("900_5", "Dold kommentar", hidden=True, user_id="5550005"),
    ]
    r.facebook_page(rsps, [POST], {POST["id"]: comments}, conversations=[])

    poll_connection(connection_id=facebook.pk)

    objects = {o.platform_id: o for o in CapturedObject.objects.filter(connection=facebook)}
    assert set(objects) == {POST["id"], "900_1", "900_2", "900_3", "900_4", "900_5"}
    assert objects[POST["id"]].own and objects[POST["id"]].kind == "post"
    assert objects["900_3"].kind == "reply" and objects["900_3"].parent == objects["900_1"]
    assert objects["900_4"].own and not objects["900_1"].own
    assert _states(facebook)["900_5"] == ["hidden"]
    facebook.refresh_from_db()
    assert facebook.health == PlatformConnection.Health.OK
    assert facebook.last_polled_at is not None


def test_an_edit_is_a_new_version_and_a_repeat_poll_adds_nothing(rsps, facebook):
    r.facebook_page(rsps, [POST], {POST["id"]: [r.fb_comment("900_1", "Första")]}, [])
    poll_connection(connection_id=facebook.pk)
    rsps.reset()
    r.facebook_page(rsps, [POST], {POST["id"]: [r.fb_comment("900_1", "Första")]}, [])
    poll_connection(connection_id=facebook.pk)
    assert CapturedVersion.objects.filter(captured__connection=facebook).count() == 2

    rsps.reset()
    edited = r.fb_post("900", "Nu öppnar badhuset igen, kl. 10!", updated_day=2)
    r.facebook_page(rsps, [edited], {POST["id"]: [r.fb_comment("900_1", "Första (ändrad)")]}, [])
    poll_connection(connection_id=facebook.pk)

    post_versions = CapturedVersion.objects.filter(captured__platform_id=POST["id"]).order_by(
        "number"
    )
    assert [v.content.text for v in post_versions] == [
        "Nu öppnar badhuset igen!",
        "Nu öppnar badhuset igen, kl. 10!",
    ]
    comment_versions = CapturedVersion.objects.filter(captured__platform_id="900_1")
    assert comment_versions.count() == 2
    # The first version is still there, unchanged.
    assert comment_versions.order_by("number").first().content.text == "Första"


def test_a_comment_that_vanishes_is_recorded_as_gone_when_first_seen_missing(rsps, facebook):
    r.facebook_page(
        rsps,
        [POST],
        {POST["id"]: [r.fb_comment("900_1", "Kvar"), r.fb_comment("900_2", "Borta snart")]},
        [],
    )
    poll_connection(connection_id=facebook.pk)
    rsps.reset()
    r.facebook_page(rsps, [POST], {POST["id"]: [r.fb_comment("900_1", "Kvar")]}, [])
    poll_connection(connection_id=facebook.pk)

    assert _states(facebook)["900_2"] == ["visible", "gone"]
    assert _states(facebook)["900_1"] == ["visible"]
    gone = CapturedVersion.objects.get(captured__platform_id="900_2", state="gone")
    assert (
        gone.captured_at
        > CapturedVersion.objects.get(captured__platform_id="900_2", number=1).captured_at
    )


def test_messages_to_the_page_are_captured_where_the_permission_is_granted(rsps, facebook):
    conversation = {
        "id": "t_1001",
        "updated_time": r.meta_time(3),
        "messages": {
            "data": [
                {
                    "id": "m_abc",
                    "message": "Hej! När töms soporna i jul?",
                    "created_time": r.meta_time(3),
                    "from": {"name": "Bo Berg", "id": "6660001"},
                }
            ]
        },
    }
    r.facebook_page(rsps, [], {}, conversations=[conversation])
    poll_connection(connection_id=facebook.pk)
    message = CapturedObject.objects.get(platform_id="m_abc")
    assert message.kind == "message" and not message.own


def test_instagram_media_comments_and_replies(rsps, instagram_connection):
    media = r.ig_media("1790001", "Vinter i Nora")
    reply = r.ig_comment("1780002", "@anna.a tack!", username="norakommun")
    comment = r.ig_comment("1780001", "Så fint", replies=[reply])
    r.add_paged(rsps, f"{r.GRAPH}{r.IG_ID}/media", [media])
    r.add_paged(rsps, f"{r.GRAPH}1790001/comments", [comment])

    poll_connection(connection_id=instagram_connection.pk)

    objects = {
        o.platform_id: o for o in CapturedObject.objects.filter(connection=instagram_connection)
    }
    assert objects["1790001"].kind == "post" and objects["1790001"].own
    assert objects["1780001"].kind == "comment" and not objects["1780001"].own
    assert objects["1780002"].kind == "reply" and objects["1780002"].own
    assert objects["1780002"].parent == objects["1780001"]
