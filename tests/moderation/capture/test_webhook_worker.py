"""A real Celery worker on Redis processes what the webhook stored; a raw event
whose task was lost is queued again by the beat's round."""

import pytest

from moderation.capture.models import CapturedObject, RawEvent, RawEventProcessed
from tests.celery_support import running_worker, wait_for
from tests.moderation.capture import recorded as r
from tests.moderation.capture.test_webhook import comment_change, feed_delivery, post, sign

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(redis_url):
    with running_worker(redis_url, "nora-capture-test") as w:
        yield w


def test_the_worker_processes_a_stored_delivery(worker, client, facebook):
    body = feed_delivery(
        {
            "from": {"id": r.PAGE_ID, "name": "Nora kommun"},
            "item": "status",
            "verb": "add",
            "post_id": f"{r.PAGE_ID}_950",
            "message": "Välkommen till höstmarknaden!",
            "created_time": 1796000000,
        }
    )
    assert post(client, body, sign(body)).status_code == 200
    assert wait_for(lambda: RawEventProcessed.objects.exists())
    assert CapturedObject.objects.filter(platform_id=f"{r.PAGE_ID}_950", own=True).exists()


def test_a_lost_task_is_queued_again_by_the_poll_round(worker, facebook, rsps):
    from moderation.capture.services import intake_meta
    from moderation.capture.tasks import poll_all_connections

    # Stored, but its task never reached the broker (a worker killed, Redis restarted).
    intake_meta(feed_delivery(comment_change("900_9", "Hej")))
    assert RawEvent.objects.count() == 1 and not RawEventProcessed.objects.exists()
    r.facebook_page(rsps, [], {}, [])
    poll_all_connections.delay()
    assert wait_for(lambda: RawEventProcessed.objects.count() == 1)
