"""Reads of the compliance findings: who may see which, and the information
officer's dashboard. Each function runs a fixed number of queries, however many
accounts and findings there are."""

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import Administration, User
from channels_registry.compliance.engine import get_rule, registered_rules
from channels_registry.compliance.permissions import can_view_overview
from channels_registry.models import Finding, SocialAccount
from channels_registry.selectors import accounts_visible_to

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import StrOrPromise, WithAnnotations

    class _FindingCounts(TypedDict):
        open_count: int
        open_high: int


def findings_visible_to(user: User) -> QuerySet[Finding]:
    """Findings on the accounts a person may see (all for ``view_all_accounts``)."""
    if not user.is_authenticated:
        return Finding.objects.none()
    qs = Finding.objects.select_related("account__platform", "account__unit__administration")
    if can_view_overview(user):
        return qs
    return qs.filter(account__in=accounts_visible_to(user).values("pk"))


def open_findings_for_account(account: SocialAccount) -> QuerySet[Finding]:
    """For the account's page, which is only shown to people who may see it."""
    return account.findings.filter(resolved_at__isnull=True).order_by("-severity", "opened_at")


def rule_title(code: str) -> "StrOrPromise":
    current = get_rule(code)
    return current.title if current else code


@dataclass
class ResolveTimes:
    count: int
    median_days: float | None
    mean_days: float | None


def _resolve_times(durations: list[datetime.timedelta]) -> ResolveTimes:
    if not durations:
        return ResolveTimes(0, None, None)
    days = [d.total_seconds() / 86400 for d in durations]
    return ResolveTimes(len(days), statistics.median(days), statistics.fmean(days))


def _month_starts(now: datetime.datetime, months: int) -> list[datetime.datetime]:
    local = timezone.localtime(now)
    first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return [first - relativedelta(months=n) for n in range(months - 1, -1, -1)]


def open_findings_per_month(now: datetime.datetime | None = None, months: int = 12) -> list[dict]:
    """How many findings were open at the end of each of the last ``months``
    months (now, for the current month). One query."""
    now = now or timezone.now()
    starts = _month_starts(now, months)
    rows = list(
        Finding.objects.filter(opened_at__lte=now)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=starts[0]))
        .values_list("opened_at", "resolved_at")
    )
    points = []
    for start in starts:
        at = min(start + relativedelta(months=1), now)
        count = sum(
            1 for opened, resolved in rows if opened <= at and (resolved is None or resolved > at)
        )
        points.append({"month": start.date(), "count": count})
    return points


def chart(points: list[dict], width: int = 640, height: int = 220) -> dict:
    """Geometry for a server-rendered SVG bar chart (no script, no inline style)."""
    top, bottom, left = 20, 30, 36
    plot_h = height - top - bottom
    peak = max([p["count"] for p in points] + [1])
    slot = (width - left) / max(len(points), 1)
    bars = []
    for i, p in enumerate(points):
        h = round(plot_h * p["count"] / peak, 1)
        x = round(left + i * slot + slot * 0.15, 1)
        bars.append(
            {
                **p,
                "x": x,
                "y": round(top + plot_h - h, 1),
                "w": round(slot * 0.7, 1),
                "h": h,
                "label_x": round(x + slot * 0.35, 1),
            }
        )
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "peak": peak,
        "axis_y": top + plot_h,
        "label_y": height - 10,
        "left": left,
        "top": top,
    }


def dashboard(now: datetime.datetime | None = None) -> dict:
    """Everything on the information officer's dashboard, in six queries."""
    now = now or timezone.now()
    accounts = _accounts_with_counts()
    open_by_rule = Counter(
        dict(
            Finding.objects.filter(resolved_at__isnull=True)
            .values_list("rule_code")
            .annotate(n=Count("pk"))
            .values_list("rule_code", "n")
        )
    )
    durations = _resolve_durations(now)
    points = open_findings_per_month(now)
    return {
        "administrations": _by_administration(accounts),
        "rules": _rule_rows(open_by_rule, durations),
        "open_total": sum(open_by_rule.values()),
        "accounts_with_findings": sum(1 for a in accounts if a.open_count),
        "account_count": len(accounts),
        "times": _resolve_times([d for ds in durations.values() for d in ds]),
        "points": points,
        "chart": chart(points),
    }


def _accounts_with_counts() -> "list[WithAnnotations[SocialAccount, _FindingCounts]]":
    open_q = Q(findings__resolved_at__isnull=True)
    return list(
        SocialAccount.objects.exclude(status=SocialAccount.Status.CLOSED)
        .select_related("platform", "unit__administration")
        .annotate(
            open_count=Count("findings", filter=open_q),
            open_high=Count("findings", filter=open_q & Q(findings__severity="high")),
        )
        .order_by("unit__administration__name", "display_name")
    )


def _by_administration(accounts) -> list[dict]:
    by_administration: dict[int, list[WithAnnotations[SocialAccount, _FindingCounts]]] = (
        defaultdict(list)
    )
    for account in accounts:
        by_administration[account.unit.administration_id].append(account)
    return [
        {
            "administration": adm,
            "accounts": by_administration.get(adm.pk, []),
            "open": sum(a.open_count for a in by_administration.get(adm.pk, [])),
        }
        for adm in Administration.objects.order_by("name")
    ]


def _resolve_durations(now: datetime.datetime) -> dict[str, list[datetime.timedelta]]:
    """How long each finding resolved in the last year stayed open, by rule."""
    durations: dict[str, list[datetime.timedelta]] = defaultdict(list)
    for code, opened, closed in Finding.objects.filter(
        resolved_at__gte=now - datetime.timedelta(days=365)
    ).values_list("rule_code", "opened_at", "resolved_at"):
        assert closed is not None  # read from resolved findings only  # nosec B101
        durations[code].append(closed - opened)
    return durations


def _rule_rows(open_by_rule: Counter, durations: dict) -> list[dict]:
    """Every registered rule, then any code with open findings but no rule now."""
    codes = [r.code for r in registered_rules()]
    codes += sorted(set(open_by_rule) - set(codes))
    rows = []
    for code in codes:
        current = get_rule(code)
        rows.append(
            {
                "code": code,
                "title": current.title if current else code,
                "severity": current.severity if current else "",
                "policy_section": current.policy_section if current else "",
                "responsible": current.responsible if current else "",
                "open": open_by_rule.get(code, 0),
                "times": _resolve_times(durations.get(code, [])),
            }
        )
    return rows
