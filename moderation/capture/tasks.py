"""The capture's Celery tasks: triggers only (webhooks are a trigger, the API
the truth). Each is idempotent: a raw event is processed once (its processed
row), a poll adds only what changed. Imported in moderation's ``ready``."""

import logging

from celery import shared_task
from django.db import transaction

from moderation.capture import services
from nora_social.core.tasks import NoraTask

logger = logging.getLogger(__name__)


@shared_task(base=NoraTask, bind=True)
def process_raw_events(self, event_ids: list[int]) -> int:
    """Process stored webhook events; any that needs the API polls once."""
    to_poll: set[int] = set()
    from moderation.capture.models import RawEvent

    for event_id in event_ids:
        if services.process_raw_event(event_id=event_id):
            connection_id = (
                RawEvent.objects.filter(pk=event_id).values_list("connection_id", flat=True).first()
            )
            if connection_id:
                to_poll.add(connection_id)
    for connection_id in to_poll:
        poll_connection.delay(connection_id)
    return len(event_ids)


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
    pending = services.pending_event_ids()
    if pending:
        process_raw_events.delay(pending)
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


def queue_processing(event_ids: list[int]) -> None:
    if event_ids:
        transaction.on_commit(lambda: process_raw_events.delay(event_ids))
