"""A real Celery worker on Redis processes what the webhook stored: a burst of
deliveries is one drain; a raw event whose drain was lost is processed after
the beat's round; a worker killed mid-batch leaves the batch pending and the
redelivered drain records it once."""

import psycopg
import pytest
import redis
from celery.worker import state as worker_state

from moderation.capture.models import CapturedObject, RawEvent, RawEventProcessed
from tests.celery_support import own_queue, running_worker, wait_for, worker_on
from tests.faults.conftest import postgres_only  # noqa: F401 - fixture of workers
from tests.faults.test_worker_killed import (  # noqa: F401 - the fixture "workers"
    _conninfo,
    _pending,
    _send,
    _terminate,
    _wait_for,
    _waiting_backends,
    workers_fixture,
)
from tests.moderation.capture import recorded as r
from tests.moderation.capture.test_webhook import (
    _post_is_known,
    comment_change,
    feed_delivery,
    post,
    sign,
)

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

DRAIN = "moderation.capture.tasks.drain_raw_events"


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


def test_a_burst_of_deliveries_is_one_drain_into_versions(
    redis_url, client, facebook, rsps, monkeypatch
):
    from django.core.cache import caches

    from moderation.capture import tasks

    # The burst within one flag's life, however slow the machine.
    monkeypatch.setattr(tasks, "DRAIN_FLAG_SECONDS", 300)
    shared = caches["shared"]
    asked = []
    real_add = shared.add
    monkeypatch.setattr(shared, "add", lambda *a, **kw: asked.append(a) or real_add(*a, **kw))
    _post_is_known(rsps, facebook)
    with own_queue(redis_url, "nora-capture-burst") as queue:
        for n in range(6):
            body = feed_delivery(comment_change(f"900_{n}", f"Kommentar {n}"))
            assert post(client, body, sign(body)).status_code == 200
        # This process saw the flag set at the first delivery: the other five
        # asked neither the flag store nor the broker.
        assert len(asked) == 1
        broker = redis.Redis.from_url(redis_url)
        try:
            queued = broker.lrange(queue, 0, -1)
        finally:
            broker.close()
        assert len(queued) == 1 and DRAIN.encode() in queued[0]
        drains_before = worker_state.total_count[DRAIN]
        with worker_on(queue):
            assert wait_for(lambda: RawEventProcessed.objects.count() == 6)
        assert worker_state.total_count[DRAIN] - drains_before == 1
    for n in range(6):
        assert CapturedObject.objects.get(platform_id=f"900_{n}").versions.count() == 1


def test_a_lost_drain_is_queued_again_by_the_poll_round(worker, facebook, rsps):
    from moderation.capture.services import intake_meta
    from moderation.capture.tasks import poll_all_connections

    # Stored, but its drain never reached the broker (a worker killed, Redis restarted).
    intake_meta(feed_delivery(comment_change("900_9", "Hej")))
    assert RawEvent.objects.count() == 1 and not RawEventProcessed.objects.exists()
    r.facebook_page(rsps, [], {}, [])
    poll_all_connections.delay()
    assert wait_for(lambda: RawEventProcessed.objects.count() == 1)


def test_a_drain_whose_worker_is_killed_mid_batch_records_the_batch_once(workers, facebook, rsps):
    from moderation.capture.services import intake_meta

    _post_is_known(rsps, facebook)
    for n in range(3):
        intake_meta(feed_delivery(comment_change(f"900_{n}", f"Kommentar {n}")))

    with psycopg.connect(_conninfo()) as blocker:
        # The account's chain lock: the drain has taken its batch and waits here.
        blocker.execute(
            "SELECT id FROM channels_registry_socialaccount WHERE id = %s FOR UPDATE",
            [facebook.account_id],
        )
        first = workers.start()
        task_id = _send(DRAIN, workers.queue)
        _wait_for(_waiting_backends, what="the drain to be mid-batch")
        stuck = _waiting_backends()
        workers.kill(first)
        _terminate(stuck)
        blocker.rollback()

    assert _pending(workers.broker_url, workers.queue, task_id)
    assert not RawEventProcessed.objects.exists()
    assert CapturedObject.objects.count() == 1  # only the post

    workers.start()
    _wait_for(
        lambda: workers.succeeded(task_id),
        what="the redelivered drain to finish",
        output=workers.output,
    )
    assert RawEventProcessed.objects.filter(failure="").count() == 3
    for n in range(3):
        assert CapturedObject.objects.get(platform_id=f"900_{n}").versions.count() == 1
