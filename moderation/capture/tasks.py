"""The capture's Celery tasks: triggers only (webhooks are a trigger, the API
the truth). Each is idempotent: a raw event is processed once (its processed
row, written in the same transaction as its versions), a poll adds only what
changed. Imported in moderation's ``ready``."""

import logging
import time

from celery import shared_task
from django.core.cache import caches

from moderation.capture import services
from nora_social.core.tasks import NoraTask

logger = logging.getLogger(__name__)


# A drain is queued at most once per this many seconds (per flag store: every
# web worker when CACHE_URL names Redis, else each process), and runs this much
# later, so that a burst of deliveries is one batch. The flag must not outlive
# the delay: an event stored while the flag stands is then already stored when
# the queued drain reads, and one stored after it expired queues its own drain.
# A process also skips the flag for DRAIN_FLAG_SECONDS after it last saw it set
# (request_drain), so the delay must be at least twice the flag's life; the
# third second is a margin for the web and worker machines' clocks.
DRAIN_FLAG_SECONDS = 1
DRAIN_DELAY_SECONDS = 3
DRAIN_FLAG = "capture-drain-queued"
# When this process last knew the flag to be set (monotonic clock).
_flag_seen_at = float("-inf")
# Batches one drain takes before it hands the rest to a new task.
DRAIN_MAX_BATCHES = 20


@shared_task(base=NoraTask, bind=True)
def drain_raw_events(self) -> int:
    """Process the stored webhook events in batches until none is waiting;
    each connection with a child whose parent is not captured polls once."""
    done, to_poll = 0, set()
    for _ in range(DRAIN_MAX_BATCHES):
        drained = services.process_pending_events()
        done += drained.events
        to_poll |= drained.to_poll
        if drained.events < services.DRAIN_BATCH:
            break
    else:
        drain_raw_events.delay()
    for connection_id in sorted(to_poll):
        poll_connection.delay(connection_id)
    return done


def request_drain() -> None:
    """Queue a drain unless one was queued within DRAIN_FLAG_SECONDS: one
    Redis SET NX per delivery instead of a Celery message. A web request
    never fails because Redis is away: the event is stored, and the beat's
    round (poll_all_connections) queues a drain for whatever is waiting.

    A process that knew the flag set less than DRAIN_FLAG_SECONDS ago asks
    nothing: the flag was set at most that long before, so the drain it stands
    for starts DRAIN_DELAY_SECONDS after, later than this (already committed)
    event. In a burst, most deliveries then cost no Redis round trip."""
    global _flag_seen_at
    now = time.monotonic()
    if now - _flag_seen_at < DRAIN_FLAG_SECONDS:
        return
    try:
        if caches["shared"].add(DRAIN_FLAG, 1, timeout=DRAIN_FLAG_SECONDS):
            drain_raw_events.apply_async(countdown=DRAIN_DELAY_SECONDS, retry=False)
        _flag_seen_at = now
    except Exception:  # noqa: BLE001 - any cache or broker failure; the beat is the fallback
        logger.warning(
            "Could not queue the processing of stored webhook events; the next poll round will."
        )


@shared_task(base=NoraTask, bind=True)
def poll_connection(self, connection_id: int) -> int:
    outcome = services.poll_connection(connection_id=connection_id)
    return 0 if outcome is None else len(outcome.new_versions)


@shared_task(base=NoraTask, bind=True, autoretry_for=())
def poll_all_connections(self) -> int:
    """The beat's round: a poll per connected account, and any raw event whose
    task was lost (a worker killed mid-batch, Redis restarted) is queued again."""
    from channels_registry.connections.selectors import current_connections

    ids = list(current_connections().values_list("pk", flat=True))
    for connection_id in ids:
        poll_connection.delay(connection_id)
    if services.has_pending_events():
        drain_raw_events.delay()
    return len(ids)


@shared_task(base=NoraTask, bind=True, autoretry_for=())
def check_connection_health(self) -> int:
    from channels_registry.connections.selectors import current_connections

    ids = list(current_connections().values_list("pk", flat=True))
    for connection_id in ids:
        services.check_health(connection_id=connection_id)
    return len(ids)


@shared_task(base=NoraTask, bind=True, autoretry_for=())
def verify_capture_chains(self) -> int:
    """The nightly tamper check: each problem is logged as an error (account
    and position, never content) for monitoring to act on."""
    from moderation.capture.chain import verify_all

    problems = verify_all()
    for problem in problems:
        logger.error("Capture chain broken: %s", problem)
    return len(problems)
