"""The response-time clock (§5: "besvara inkommande synpunkter ... inom
rekommenderad tid"): calendar hours, or working hours Monday–Friday 08–17 in
Europe/Stockholm, not on Swedish public holidays.

Holidays come from ``holidays.Sweden``: its public category (which also lists
Sundays such as Easter Day and Pentecost; weekends are excluded here anyway) and
its de facto category (midsummer eve, Christmas eve, New Year's eve), days that
arbetstidslagen treats like Sundays and that municipal offices keep closed.
"""

import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from channels_registry.models import ClockKind

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DAY_STARTS = datetime.time(8, 0)
DAY_ENDS = datetime.time(17, 0)


@lru_cache(maxsize=32)
def _holidays(year: int) -> frozenset[datetime.date]:
    days = holidays.Sweden(years=year, categories=(holidays.PUBLIC, holidays.DE_FACTO))
    return frozenset(days.keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=STOCKHOLM)


def _next_working_day(day: datetime.date) -> datetime.date:
    day += datetime.timedelta(days=1)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def _start_of_work(moment: datetime.datetime) -> datetime.datetime:
    """The moment itself if within working hours, else the next opening."""
    day = moment.date()
    if is_working_day(day):
        if moment.time() < DAY_STARTS:
            return _at(day, DAY_STARTS)
        if moment.time() < DAY_ENDS:
            return moment
    return _at(_next_working_day(day), DAY_STARTS)


def add_working_hours(start: datetime.datetime, hours: float) -> datetime.datetime:
    cursor = _start_of_work(start.astimezone(STOCKHOLM))
    remaining = datetime.timedelta(hours=hours)
    while True:
        closing = _at(cursor.date(), DAY_ENDS)
        if remaining <= closing - cursor:
            return cursor + remaining
        remaining -= closing - cursor
        cursor = _at(_next_working_day(cursor.date()), DAY_STARTS)


def working_seconds_between(start: datetime.datetime, end: datetime.datetime) -> int:
    """The working time from ``start`` to ``end`` in seconds: only the hours
    08–17 of working days count (a pause over a weekend or a holiday is the
    working hours on either side of it)."""
    end = end.astimezone(STOCKHOLM)
    cursor = _start_of_work(start.astimezone(STOCKHOLM))
    total = datetime.timedelta(0)
    while cursor < end:
        total += min(_at(cursor.date(), DAY_ENDS), end) - cursor
        cursor = _at(_next_working_day(cursor.date()), DAY_STARTS)
    return int(total.total_seconds())


def due_at(received_at: datetime.datetime, hours: int, clock: str) -> datetime.datetime:
    """When an answer is due for a question received at ``received_at``."""
    if clock == ClockKind.WORKING:
        return add_working_hours(received_at, hours)
    return received_at + datetime.timedelta(hours=hours)
