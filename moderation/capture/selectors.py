"""Reads of captured content: an account's timeline, an object's versions."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from moderation.capture.models import CapturedObject, CapturedVersion

TIMELINE_ORDER = ("-first_seen_at", "-pk")


def timeline(account_id: int) -> QuerySet[CapturedObject]:
    """An account's captured objects, newest first, each with its versions and
    their content in two more queries whatever the page's length. How many
    versions an object has is counted from those (``version_count``): an
    aggregate here would group every object of the account before the page's
    LIMIT (docs/performance.md, "Captured content at scale")."""
    versions = CapturedVersion.objects.select_related("content").order_by("number")
    return (
        CapturedObject.objects.filter(account_id=account_id)
        .select_related("parent", "connection", "purge")
        .prefetch_related(Prefetch("versions", queryset=versions), "evidence")
        .order_by(*TIMELINE_ORDER)
    )


@dataclass(frozen=True)
class TimelineKey:
    """Where a timeline page starts or ends: an object's place in the order
    (first seen, then id). In a link it is ``<microseconds since 1970>.<id>``."""

    first_seen_at: datetime.datetime
    pk: int

    def __str__(self) -> str:
        return f"{(self.first_seen_at - EPOCH) // MICROSECOND}.{self.pk}"

    @classmethod
    def parse(cls, text: str) -> TimelineKey | None:
        """The key a link carries, or None when it is not one."""
        match = _KEY.fullmatch(text)
        if match is None:
            return None
        try:
            return cls(EPOCH + int(match[1]) * MICROSECOND, int(match[2]))
        except OverflowError:
            return None

    @classmethod
    def of(cls, captured: CapturedObject) -> TimelineKey:
        return cls(captured.first_seen_at, captured.pk)

    @classmethod
    def day_end(cls, day: datetime.date) -> TimelineKey:
        """Just after the last object first seen on ``day`` (local time)."""
        day = min(day, datetime.date.max - datetime.timedelta(days=1))  # 9999-12-31
        midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
        return cls(timezone.make_aware(midnight), 0)


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MICROSECOND = datetime.timedelta(microseconds=1)
_KEY = re.compile(r"(-?\d{1,17})\.(\d{1,18})")  # any id a bigint holds


@dataclass
class TimelinePage:
    """One page of a timeline, newest first, and where its neighbours begin."""

    object_list: list[CapturedObject]
    count: int  # objects on the account's whole timeline
    has_newer: bool
    has_older: bool

    @property
    def newer(self) -> TimelineKey | None:
        return TimelineKey.of(self.object_list[0]) if self.object_list else None

    @property
    def older(self) -> TimelineKey | None:
        return TimelineKey.of(self.object_list[-1]) if self.object_list else None


def timeline_page(
    account_id: int,
    *,
    older_than: TimelineKey | None = None,
    newer_than: TimelineKey | None = None,
    oldest: bool = False,
    day: datetime.date | None = None,
    per_page: int,
) -> TimelinePage:
    """A page of the account's timeline read by key: the newest page, the
    page just older than a key (the "Äldre" link), the page just newer than a
    key ("Nyare"), a day and the days before it, or the oldest page. The
    page's ids come from the index on (account, first_seen_at, id), starting
    at the key, so a page costs the same on the newest or the oldest objects
    of any account (Django's paginator stepped over every newer object with
    OFFSET). One more object than the page is read to tell whether there is a
    further page; a page that starts at an object always has that object
    beyond it."""
    on_account = CapturedObject.objects.filter(account_id=account_id)
    objects = on_account
    if day is not None:
        older_than = TimelineKey.day_end(day)
    forward = newer_than is not None or oldest
    if newer_than is not None:
        objects = objects.filter(first_seen_at__gte=newer_than.first_seen_at).exclude(
            first_seen_at=newer_than.first_seen_at, pk__lte=newer_than.pk
        )
    elif older_than is not None:
        objects = objects.filter(first_seen_at__lte=older_than.first_seen_at).exclude(
            first_seen_at=older_than.first_seen_at, pk__gte=older_than.pk
        )
    order = ("first_seen_at", "pk") if forward else TIMELINE_ORDER
    keys = objects.order_by(*order).values("pk")[: per_page + 1]
    # Each row also gets ``latest`` and ``version_count`` (below).
    rows: list[Any] = list(timeline(account_id).filter(pk__in=keys))
    more = len(rows) > per_page
    if forward:
        rows = rows[1:] if more else rows
        has_newer, has_older = more, not oldest
    else:
        rows = rows[:per_page]
        has_newer, has_older = older_than is not None, more
        if day is not None and older_than is not None:  # a date, not an object: ask
            has_newer = on_account.filter(first_seen_at__gte=older_than.first_seen_at).exists()
    for captured in rows:
        versions = list(captured.versions.all())
        captured.latest = versions[-1] if versions else None
        captured.version_count = len(versions)
    count = on_account.count()
    return TimelinePage(rows, count, has_newer, has_older)


def captured_for_account(account_id: int, pk: int) -> CapturedObject | None:
    return (
        CapturedObject.objects.filter(account_id=account_id, pk=pk)
        .select_related("parent", "account")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=CapturedVersion.objects.select_related("content").order_by("number"),
            ),
            "evidence",
        )
        .first()
    )


def latest(captured: CapturedObject) -> CapturedVersion | None:
    versions = list(captured.versions.all())
    return versions[-1] if versions else None
