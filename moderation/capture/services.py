"""Writes of the capture: raw events in, versions out, chained per account.

Nothing captured is updated in place: an edit is a new version, a hide or a
deletion a version with that state and the time it was first seen. A version
is only added when what the object says or whether it is visible changed, so
a webhook and the poll that follows it, or a redelivered webhook, add nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from channels_registry.connections.models import PlatformConnection
from channels_registry.connections.services import connection_record_health
from channels_registry.models import SocialAccount
from moderation.capture import chain
from moderation.capture.connectors.base import (
    CaptureFailure,
    Health,
    Item,
    Removal,
    connector_for,
)
from moderation.capture.models import (
    CapturedContent,
    CapturedObject,
    CapturedVersion,
    RawEvent,
    RawEventProcessed,
)

State = CapturedVersion.State


@dataclass
class Outcome:
    new_objects: list[CapturedObject]
    new_versions: list[CapturedVersion]


def _latest_versions(object_ids: Iterable[int]) -> dict[int, CapturedVersion]:
    latest: dict[int, CapturedVersion] = {}
    rows = (
        CapturedVersion.objects.filter(captured_id__in=list(object_ids))
        .select_related("content")
        .order_by("captured_id", "-number")
        .distinct("captured_id")
    )
    for version in rows:
        latest[version.captured_id] = version
    return latest


def _same(version: CapturedVersion, state: str, item: Item | None) -> bool:
    if version.state != state:
        return False
    if item is None:
        return True
    content = getattr(version, "content", None)
    return content is not None and content.text == item.text


class _Chain:
    """Appends versions to one account's chain; the account row is locked for
    the batch so that two workers never take the same position."""

    def __init__(self, account_id: int):
        SocialAccount.objects.select_for_update().filter(pk=account_id).first()
        self.account_id = account_id
        self.seq, self.prev = chain.chain_head(account_id)
        self.versions: list[CapturedVersion] = []
        self.contents: list[CapturedContent] = []

    def flush(self) -> None:
        """Insert what was appended: versions, then their contents (one
        statement each, whatever the batch's size)."""
        CapturedVersion.objects.bulk_create(self.versions)
        CapturedContent.objects.bulk_create(self.contents)
        self.versions, self.contents = [], []

    def append(
        self,
        captured: CapturedObject,
        number: int,
        state: str,
        item: Item | None,
        now: datetime.datetime,
    ) -> CapturedVersion:
        self.seq += 1
        content_fields: dict[str, Any] | None = None
        if item is not None:
            content_fields = {
                "author_name": item.author_name[:300],
                "author_platform_id": item.author_platform_id[:200],
                "text": item.text,
                "permalink": item.permalink[:1000],
                "raw": item.raw,
            }
            digest = chain.content_digest(**content_fields)
        else:
            digest = chain.content_digest(
                author_name="", author_platform_id="", text="", permalink="", raw={}
            )
        version = CapturedVersion(
            captured=captured,
            account_id=self.account_id,
            seq=self.seq,
            number=number,
            state=state,
            captured_at=now,
            edited_at=item.edited_at if item else None,
            content_sha256=digest,
            prev_hash=self.prev,
        )
        version.chain_hash = chain.link_hash(
            prev_hash=self.prev,
            account_id=self.account_id,
            seq=self.seq,
            platform_id=captured.platform_id,
            number=number,
            state=state,
            captured_at=now.isoformat(),
            content_sha256=digest,
        )
        self.versions.append(version)
        # A removal carries no content of its own: its digest is of nothing, and
        # an empty content row keeps the chain check's "content present" rule.
        content = CapturedContent(
            version=version,
            **(
                content_fields
                or {
                    "author_name": "",
                    "author_platform_id": "",
                    "text": "",
                    "permalink": "",
                    "raw": {},
                }
            ),
        )
        self.contents.append(content)
        self.prev = version.chain_hash
        return version


@transaction.atomic
def record_items(
    *, connection: PlatformConnection, items: list[Item], gone: Iterable[str] = ()
) -> Outcome:
    """Record what the platform returned (``items``) and what is known to be
    gone (platform ids). Parents must come before their children in ``items``
    or already be captured; a child whose parent is unknown is skipped (the
    poll that follows captures both)."""
    now = timezone.now()
    ids = [item.platform_id for item in items] + list(gone)
    parents = {i.parent_platform_id for i in items if i.parent_platform_id}
    known = {
        o.platform_id: o
        for o in CapturedObject.objects.filter(
            connection=connection, platform_id__in=set(ids) | parents
        )
    }
    latest = _latest_versions(o.pk for o in known.values())
    ledger = _Chain(connection.account_id)
    outcome = Outcome([], [])
    outcome.new_objects = _create_objects(connection, items, known, now)
    for item in items:
        captured = known.get(item.platform_id)
        if captured is None:
            continue  # its parent is not captured yet
        state = State.HIDDEN if item.hidden else State.VISIBLE
        previous = latest.get(captured.pk)
        if previous is not None and _same(previous, state, item):
            continue
        number = previous.number + 1 if previous else 1
        version = ledger.append(captured, number, state, item, now)
        latest[captured.pk] = version
        outcome.new_versions.append(version)
    for platform_id in gone:
        captured = known.get(platform_id)
        previous = latest.get(captured.pk) if captured else None
        if captured is None or previous is None or previous.state == State.GONE:
            continue
        version = ledger.append(captured, previous.number + 1, State.GONE, None, now)
        latest[captured.pk] = version
        outcome.new_versions.append(version)
    ledger.flush()
    from moderation.capture import ties

    ties.after_capture(outcome)
    return outcome


def _create_objects(
    connection: PlatformConnection,
    items: list[Item],
    known: dict[str, CapturedObject],
    now: datetime.datetime,
) -> list[CapturedObject]:
    """Insert the objects not yet captured, in waves: those whose parent is
    known (or who have none), then their children, and so on; one statement
    per wave. ``known`` gains them."""
    created: list[CapturedObject] = []
    waiting = [i for i in items if i.platform_id not in known]
    while waiting:
        wave: list[CapturedObject] = []
        rest: list[Item] = []
        in_wave: set[str] = set()
        for item in waiting:
            if item.platform_id in known or item.platform_id in in_wave:
                continue
            parent = known.get(item.parent_platform_id) if item.parent_platform_id else None
            if item.parent_platform_id and parent is None:
                rest.append(item)
                continue
            in_wave.add(item.platform_id)
            wave.append(
                CapturedObject(
                    account_id=connection.account_id,
                    connection=connection,
                    kind=item.kind,
                    platform_id=item.platform_id,
                    parent=parent,
                    own=item.own,
                    published_at=item.published_at,
                    first_seen_at=now,
                )
            )
        if not wave:
            break  # the rest wait for their parents (the next poll)
        CapturedObject.objects.bulk_create(wave)
        known.update((o.platform_id, o) for o in wave)
        created += wave
        waiting = rest
    return created


def _watched_children(connection: PlatformConnection, post: CapturedObject) -> set[str]:
    """Platform ids of a post's comments and replies last seen present."""
    ids = list(
        CapturedObject.objects.filter(connection=connection, parent=post).values_list(
            "pk", "platform_id"
        )
    )
    ids += list(
        CapturedObject.objects.filter(connection=connection, parent__parent=post).values_list(
            "pk", "platform_id"
        )
    )
    latest = _latest_versions(pk for pk, _ in ids)
    return {pid for pk, pid in ids if pk in latest and latest[pk].state != State.GONE}


def poll_connection(*, connection_id: int) -> Outcome | None:
    """Fetch the account's posts of the watch window, their comments and
    replies, and its messages; what was there and is no longer is gone. A
    refusal by the platform is recorded as the connection's health."""
    connection = PlatformConnection.objects.filter(
        pk=connection_id, disconnected_at__isnull=True
    ).first()
    if connection is None:
        return None
    since = timezone.now() - datetime.timedelta(days=settings.CAPTURE_WATCH_DAYS)
    total = Outcome([], [])
    try:
        connector = connector_for(connection)
        for post in list(connector.posts_since(since)):
            comments = list(connector.comments(post))
            outcome = record_items(connection=connection, items=[post])
            captured_post = CapturedObject.objects.get(
                connection=connection, platform_id=post.platform_id
            )
            gone: set[str] = set()
            if connector.comments_complete(post):
                seen = {c.platform_id for c in comments}
                gone = _watched_children(connection, captured_post) - seen
            more = record_items(connection=connection, items=_parents_first(comments), gone=gone)
            for part in (outcome, more):
                total.new_objects += part.new_objects
                total.new_versions += part.new_versions
        messages = list(connector.messages(connection.last_polled_at or since))
        if messages:
            more = record_items(connection=connection, items=messages)
            total.new_objects += more.new_objects
            total.new_versions += more.new_versions
    except CaptureFailure as exc:
        connection_record_health(connection_id=connection.pk, health=exc.health, message=str(exc))
        return total
    connection_record_health(
        connection_id=connection.pk, health=PlatformConnection.Health.OK, polled=True
    )
    return total


def _parents_first(items: list[Item]) -> list[Item]:
    top = [i for i in items if i.kind != "reply"]
    return top + [i for i in items if i.kind == "reply"]


def check_health(*, connection_id: int) -> None:
    connection = PlatformConnection.objects.get(pk=connection_id)
    try:
        report = connector_for(connection).health()
    except CaptureFailure as exc:
        report = Health(False, exc.health, str(exc))
    connection_record_health(
        connection_id=connection.pk, health=report.health, message=report.message
    )


# Webhook intake ---------------------------------------------------------------


def _event_key(platform: str, entry_id: str, part: dict[str, Any]) -> str:
    digest = hashlib.sha256(chain.canonical(part)).hexdigest()
    return f"{platform}:{entry_id}:{digest}"


def _object_id(part: dict[str, Any]) -> str:
    value = part.get("value") or {}
    message = part.get("message") or {}
    return str(
        value.get("comment_id")
        or value.get("post_id")
        or value.get("id")
        or message.get("mid")
        or ""
    )[:200]


@transaction.atomic
def intake_meta(body: bytes) -> list[int]:
    """Store each change of a verified Meta delivery as its own raw event,
    once, before the platform gets its answer. Returns the ids of the events
    not yet processed (a redelivery returns those still waiting, if any)."""
    payload = json.loads(body)
    platform = "instagram" if payload.get("object") == "instagram" else "facebook"
    events = []
    for entry in payload.get("entry", []):
        entry_id = str(entry.get("id", ""))
        connection = (
            PlatformConnection.objects.filter(
                kind=platform, external_id=entry_id, disconnected_at__isnull=True
            )
            .only("pk")
            .first()
        )
        for key in ("changes", "messaging"):
            for part in entry.get(key, []):
                one = {
                    "object": payload.get("object"),
                    "entry": [{"id": entry_id, "time": entry.get("time"), key: [part]}],
                }
                events.append(
                    RawEvent(
                        platform=platform,
                        connection=connection,
                        event_key=_event_key(platform, entry_id, part),
                        object_platform_id=_object_id(part),
                        payload=one,
                    )
                )
    RawEvent.objects.bulk_create(events, ignore_conflicts=True)
    return list(
        RawEvent.objects.filter(
            event_key__in=[e.event_key for e in events], processed__isnull=True
        ).values_list("pk", flat=True)
    )


def process_raw_event(*, event_id: int) -> bool:
    """Turn a stored webhook change into versions. Returns whether a poll of
    the connection should follow (a child whose parent is not yet captured:
    the API is the truth, the webhook only the trigger)."""
    with transaction.atomic():
        event = (
            RawEvent.objects.select_for_update(of=("self",))
            .filter(pk=event_id, processed__isnull=True)
            .select_related("connection")
            .first()
        )
        if event is None:
            return False
        needs_poll = False
        connection = event.connection
        if connection is not None and connection.disconnected_at is None:
            changes = connector_for(connection).webhook_changes(event.payload)
            items = [c for c in changes if isinstance(c, Item)]
            gone = [c.platform_id for c in changes if isinstance(c, Removal)]
            outcome = record_items(connection=connection, items=items, gone=gone)
            recorded = {v.captured.platform_id for v in outcome.new_versions}
            known = set(
                CapturedObject.objects.filter(
                    connection=connection, platform_id__in=[i.platform_id for i in items]
                ).values_list("platform_id", flat=True)
            )
            needs_poll = any(i.platform_id not in known | recorded for i in items)
        RawEventProcessed(event=event).save()
    return needs_poll


def pending_event_ids(limit: int = 1000) -> list[int]:
    return list(
        RawEvent.objects.filter(processed__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
