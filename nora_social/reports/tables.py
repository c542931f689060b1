"""The shape every section of the report takes: a table (columns with their
Swedish explanation, rows of plain values) and, where a person would rather
look than read, a chart of one of its columns."""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Column:
    title: str
    explanation: str


@dataclass
class ChartSpec:
    """A horizontal bar chart of ``value_column`` labelled by ``label_column``."""

    title: str
    label_column: int
    value_column: int
    description: str = ""


@dataclass
class Table:
    key: str  # file and sheet name, ASCII
    section: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    chart: ChartSpec | None = None
    note: str = ""


@dataclass(frozen=True)
class Period:
    """Dates inclusive; ``administration_id`` None for the whole municipality."""

    start: datetime.date
    end: datetime.date
    administration_id: int | None = None

    @property
    def starts_at(self) -> datetime.datetime:
        return _midnight(self.start)

    @property
    def ends_at(self) -> datetime.datetime:
        """The first moment after the period (exclusive bound)."""
        return _midnight(self.end + datetime.timedelta(days=1))

    @property
    def months(self) -> list[datetime.date]:
        first = self.start.replace(day=1)
        months = []
        while first <= self.end:
            months.append(first)
            first = (first + datetime.timedelta(days=32)).replace(day=1)
        return months


def _midnight(day: datetime.date) -> datetime.datetime:
    zone = ZoneInfo(settings.TIME_ZONE)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()), zone)


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def hours(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
