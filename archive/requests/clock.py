"""The "skyndsamt" clock (TF 2 kap. 15 §; JO: the same day, a day or a few at
most). It starts when the request comes in and stops when the documents are
handed out or refused; a pause with a recorded reason moves the deadline by
the working hours it lasted (a pause over a weekend or a holiday moves it by
the working hours on either side, not by the calendar days). The limit is ``RECORDS_REQUEST_LIMIT_WORKING_DAYS`` working days
(default 1) on the working-hours clock questions use (Monday–Friday 08–17,
not on Swedish public holidays), so a request that comes in on a Friday
afternoon before a holiday Monday is due on Tuesday afternoon."""

import datetime

from django.conf import settings
from django.utils import timezone

from moderation.clock import (
    DAY_ENDS,
    DAY_STARTS,
    STOCKHOLM,
    add_working_hours,
    is_working_day,
    working_seconds_between,
)

HOURS_PER_DAY = (
    datetime.datetime.combine(datetime.date.min, DAY_ENDS)
    - datetime.datetime.combine(datetime.date.min, DAY_STARTS)
).seconds // 3600


def limit_working_days() -> int:
    return int(getattr(settings, "RECORDS_REQUEST_LIMIT_WORKING_DAYS", 1))


def paused_for(request, now: datetime.datetime) -> datetime.timedelta:
    """The working time the clock has stood still (``paused_seconds`` holds
    the working seconds of the pauses that have ended)."""
    seconds = request.paused_seconds
    if request.paused_at is not None:
        seconds += working_seconds_between(request.paused_at, now)
    return datetime.timedelta(seconds=seconds)


def due_at(request, now: datetime.datetime | None = None) -> datetime.datetime:
    """When the request must be answered: the limit in working hours from
    receipt, plus the working hours the clock stood still."""
    now = now or timezone.now()
    hours = limit_working_days() * HOURS_PER_DAY + paused_for(request, now).total_seconds() / 3600
    return add_working_hours(request.received_at, hours)


def hours_since_receipt(request, now: datetime.datetime | None = None) -> int:
    """Calendar hours from receipt to the answer (or now): what "skyndsamt" is shown as."""
    end = request.answered_at or now or timezone.now()
    return max(0, int((end - request.received_at).total_seconds() // 3600))


def state(request, now: datetime.datetime | None = None) -> str:
    """``"ok"``, ``"today"`` (answer today: the warning the same working day),
    ``"late"`` (past the limit: a compliance finding), ``"paused"`` or ``"done"``."""
    now = now or timezone.now()
    if not request.is_open:
        return "done"
    if request.is_paused:
        return "paused"
    due = due_at(request, now)
    if due <= now:
        return "late"
    today = now.astimezone(STOCKHOLM).date()
    if is_working_day(today) and request.received_at.astimezone(STOCKHOLM).date() <= today:
        return "today"
    return "ok"
