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
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DataError, IntegrityError, InterfaceError, OperationalError, transaction
from django.db import connection as db_connection
from django.utils import timezone

from channels_registry.connections.models import PlatformConnection
from channels_registry.connections.services import connection_record_health
from channels_registry.models import SocialAccount
from moderation.capture import chain
from moderation.capture.connectors.base import (
    CaptureFailure,
    Connector,
    Health,
    Item,
    Removal,
    connector_class,
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
logger = logging.getLogger(__name__)


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
    )
    if db_connection.vendor == "postgresql":
        rows = rows.distinct("captured_id")  # SQLite (`make run`) reads them all
    for version in rows:
        latest.setdefault(version.captured_id, version)
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
    value = part.get("value")
    message = part.get("message")
    value = value if isinstance(value, dict) else {}
    message = message if isinstance(message, dict) else {}
    return str(
        value.get("comment_id")
        or value.get("post_id")
        or value.get("id")
        or message.get("mid")
        or ""
    )[:200]


def _entry_id(payload: dict[str, Any]) -> str:
    """The page or Instagram account a stored change came to (one entry each)."""
    return str(payload["entry"][0].get("id", ""))


def _without_nul(value: Any) -> Any:
    """PostgreSQL's jsonb refuses the character U+0000, which JSON allows: it is
    kept as U+FFFD (the replacement character), so the delivery is stored."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    return value


def intake_meta(body: bytes) -> int:
    """Store each change of a verified Meta delivery as its own raw event,
    once, before the platform gets its answer: one INSERT ... ON CONFLICT DO
    NOTHING for the whole delivery, committed by itself (the request runs in
    autocommit), nothing read. The connection is not looked up here but when
    the event is processed, from the entry's id. Returns how many events
    were new (a redelivery stores none). A body that is not JSON raises
    ValueError."""
    payload = json.loads(body)
    if not isinstance(payload, dict):
        return 0
    platform = "instagram" if payload.get("object") == "instagram" else "facebook"
    now = timezone.now()
    has_nul = b"\\u0000" in body  # JSON carries U+0000 only escaped
    rows: list[tuple[str, str, str, datetime.datetime, str]] = []
    entries = payload.get("entry")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        entry_id = str(entry.get("id", ""))
        for key in ("changes", "messaging"):
            parts = entry.get(key)
            for part in parts if isinstance(parts, list) else []:
                if not isinstance(part, dict):
                    continue
                one = {
                    "object": payload.get("object"),
                    "entry": [{"id": entry_id, "time": entry.get("time"), key: [part]}],
                }
                rows.append(
                    (
                        platform,
                        _event_key(platform, entry_id, part),
                        _object_id(part),
                        now,
                        json.dumps(_without_nul(one) if has_nul else one),
                    )
                )
    if not rows:
        return 0
    # PostgreSQL keeps the payload as jsonb; SQLite (`make run`) as JSON text.
    payload = "%s::jsonb" if db_connection.vendor == "postgresql" else "%s"
    values = ", ".join([f"(%s, %s, %s, %s, {payload})"] * len(rows))
    return _insert_checked_by_use(
        f"INSERT INTO {RawEvent._meta.db_table} "  # noqa: S608 - our table, values as parameters  # nosec B608
        "(platform, event_key, object_platform_id, received_at, payload) "
        f"VALUES {values} ON CONFLICT (event_key) DO NOTHING",
        [value for row in rows for value in row],
    )


def _insert_checked_by_use(sql: str, params: list[Any]) -> int:
    """Run the intake's INSERT without Django's health check of a reused
    connection (CONN_HEALTH_CHECKS: a ``SELECT 1`` round trip before each
    request's first query, as much database time as the INSERT itself): the
    INSERT is the check. If the connection turns out to be gone (the database
    restarted, a proxy dropped it), it is closed and the INSERT runs once more
    on a new one; ON CONFLICT makes a repeat store nothing twice. Inside a
    transaction nothing is skipped or retried: closing would lose it."""
    retry = not db_connection.in_atomic_block
    if retry:
        db_connection.health_check_done = True  # type: ignore[attr-defined] # Django's, not in the stubs
    try:
        return _insert(sql, params)
    except (InterfaceError, OperationalError):
        if not retry or (db_connection.connection is not None and db_connection.is_usable()):
            raise
        logger.warning("Webhook intake: the database connection was gone; reconnecting.")
        db_connection.close()
        return _insert(sql, params)


def _insert(sql: str, params: list[Any]) -> int:
    with db_connection.cursor() as cursor:
        cursor.execute(sql, params)
        stored: int = cursor.rowcount
        return max(stored, 0)


# Processing: the drain -----------------------------------------------------------

DRAIN_BATCH = 500


@dataclass
class Drained:
    """One batch of the drain: how many events it took and the connections a
    poll should follow for (a child whose parent is not captured yet)."""

    events: int
    to_poll: set[int]


@dataclass
class _Run:
    """Consecutive changes of one connection that one ``record_items`` call
    records in their order: items first, then removals. An item of an object
    this run already removed starts the next run."""

    items: list[Item]
    gone: list[str]

    def takes(self, change: Item | Removal) -> bool:
        return not (isinstance(change, Item) and change.platform_id in self.gone)

    def add(self, change: Item | Removal) -> None:
        if isinstance(change, Item):
            self.items.append(change)
        else:
            self.gone.append(change.platform_id)


def _reader(connection: PlatformConnection) -> Connector:
    """The connector, only to read a stored delivery: no token is decrypted
    or renewed for that."""
    return connector_class(connection.kind)(connection, "")


def _current_connections(events: list[RawEvent]) -> dict[tuple[str, str], PlatformConnection]:
    wanted = {(e.platform, _entry_id(e.payload)) for e in events}
    found = PlatformConnection.objects.filter(
        kind__in={kind for kind, _ in wanted},
        external_id__in={external for _, external in wanted},
        disconnected_at__isnull=True,
    ).order_by("pk")
    return {(c.kind, c.external_id): c for c in reversed(found)}


def _changes(event: RawEvent, reader: Connector) -> tuple[list[Item | Removal], str]:
    """The event's changes, or none and why: a payload Meta signed but whose
    shape the connector cannot read is kept as it came and not retried."""
    try:
        return reader.webhook_changes(event.payload), ""
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        logger.warning(
            "Raw event %s could not be read (%s); kept unrecorded, the poll captures the object.",
            event.pk,
            type(exc).__name__,
        )
        return [], type(exc).__name__


def _record_runs(
    connections: dict[int, PlatformConnection], runs: dict[int, list[_Run]]
) -> set[int]:
    """Record each connection's runs; the connections that need a poll."""
    to_poll: set[int] = set()
    for connection_id, its_runs in runs.items():
        connection = connections[connection_id]
        item_ids: set[str] = set()
        for run in its_runs:
            if run.items or run.gone:
                record_items(connection=connection, items=run.items, gone=run.gone)
            item_ids.update(i.platform_id for i in run.items)
        if item_ids:
            captured = set(
                CapturedObject.objects.filter(
                    connection=connection, platform_id__in=item_ids
                ).values_list("platform_id", flat=True)
            )
            if item_ids - captured:
                to_poll.add(connection_id)
    return to_poll


def _plan(
    parsed: list[tuple[PlatformConnection, list[Item | Removal]]],
) -> tuple[dict[int, PlatformConnection], dict[int, list[_Run]]]:
    connections: dict[int, PlatformConnection] = {}
    runs: dict[int, list[_Run]] = {}
    for connection, changes in parsed:
        connections[connection.pk] = connection
        its_runs = runs.setdefault(connection.pk, [_Run([], [])])
        for change in changes:
            if not its_runs[-1].takes(change):
                its_runs.append(_Run([], []))
            its_runs[-1].add(change)
    return connections, runs


def process_pending_events(*, limit: int = DRAIN_BATCH) -> Drained:
    """Turn the oldest stored webhook events (up to ``limit``) into versions,
    all in one transaction with their processed rows: a worker that dies
    mid-batch leaves the whole batch pending, and a later run records it once.

    Batches run one at a time (a PostgreSQL advisory lock), so changes are
    recorded in the order they arrived: an edit after the comment it edits.
    Each connection's changes go through ``record_items`` together. If the
    database refuses what one event carries, the batch is recorded again
    event by event, and that event is marked as not recorded."""
    with transaction.atomic():
        if db_connection.vendor == "postgresql":
            with db_connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('capture-drain'))")
        events = list(
            RawEvent.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(processed__isnull=True)
            .order_by("pk")[:limit]
        )
        if not events:
            return Drained(0, set())
        current = _current_connections(events)
        readers: dict[int, Connector] = {}
        markers: list[RawEventProcessed] = []
        parsed: list[tuple[RawEventProcessed, PlatformConnection | None, list]] = []
        for event in events:
            marker = RawEventProcessed(event=event)
            markers.append(marker)
            connection = current.get((event.platform, _entry_id(event.payload)))
            changes: list[Item | Removal] = []
            if connection is not None:
                reader = readers.setdefault(connection.pk, _reader(connection))
                changes, marker.failure = _changes(event, reader)
            parsed.append((marker, connection, changes))
        whole = [(c, ch) for _, c, ch in parsed if c is not None]
        try:
            with transaction.atomic():
                to_poll = _record_runs(*_plan(whole))
        except (DataError, IntegrityError):
            to_poll = set()
            for marker, connection, changes in parsed:
                if connection is None:
                    continue
                try:
                    with transaction.atomic():
                        to_poll |= _record_runs(*_plan([(connection, changes)]))
                except (DataError, IntegrityError) as exc:
                    marker.failure = type(exc).__name__
                    logger.warning(
                        "Raw event %s could not be recorded (%s); kept, the poll captures "
                        "the object.",
                        marker.event_id,
                        marker.failure,
                    )
        RawEventProcessed.objects.bulk_create(markers)
    return Drained(len(events), to_poll)


def has_pending_events() -> bool:
    return RawEvent.objects.filter(processed__isnull=True).exists()
