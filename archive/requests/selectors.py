"""Reads for requests: the registrar's queue with the clock, and the dashboard
(open requests by age, the median time to answer per month)."""

import datetime
import statistics
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from archive.requests import clock
from archive.requests.models import RecordsRequest
from archive.requests.permissions import visible_requests


@dataclass
class QueueRow:
    request: RecordsRequest
    hours: int
    state: str
    due: datetime.datetime | None


def queue(user: User, *, open_only: bool = True) -> list[QueueRow]:
    now = timezone.now()
    qs = visible_requests(user).select_related("case", "assigned_to").order_by("received_at")
    if open_only:
        qs = qs.exclude(status=RecordsRequest.Status.CLOSED)
    return [
        QueueRow(
            request=r,
            hours=clock.hours_since_receipt(r, now),
            state=clock.state(r, now),
            due=clock.due_at(r, now) if r.is_open else None,
        )
        for r in qs
    ]


AGE_BUCKETS = (
    (24, _("Under ett dygn")),
    (72, _("1–3 dygn")),
    (24 * 7, _("3–7 dygn")),
    (None, _("Över en vecka")),
)


def dashboard(user: User) -> dict:
    """Open requests by age, and per month of receipt the median hours from
    receipt to answer (hand-out or refusal)."""
    now = timezone.now()
    ages = {label: 0 for _limit, label in AGE_BUCKETS}
    answered: dict[str, list[float]] = {}
    for r in visible_requests(user).only("received_at", "answered_at", "status"):
        if r.is_open:
            hours = clock.hours_since_receipt(r, now)
            for limit, label in AGE_BUCKETS:
                if limit is None or hours < limit:
                    ages[label] += 1
                    break
        elif r.answered_at is not None:
            month = f"{timezone.localtime(r.received_at):%Y-%m}"
            hours_taken = (r.answered_at - r.received_at).total_seconds() / 3600
            answered.setdefault(month, []).append(hours_taken)
    months = [
        {"month": month, "count": len(values), "median": round(statistics.median(values), 1)}
        for month, values in sorted(answered.items(), reverse=True)
    ]
    return {"ages": list(ages.items()), "months": months[:12]}
