"""Moderation's compliance rules, registered with the engine at import (from
``ModerationConfig.ready``). Each looks at all accounts in scope in one query."""

import calendar
import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from channels_registry.compliance.engine import Hit, SweepContext, rule
from channels_registry.models import Finding, Period, SocialAccount
from moderation.models import Question


def month_before(moment: datetime.datetime) -> datetime.datetime:
    """The same time one calendar month earlier (31 March → 28/29 February)."""
    year, month = (moment.year, moment.month - 1) if moment.month > 1 else (moment.year - 1, 12)
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def period_starts(now: datetime.datetime) -> dict[str, datetime.datetime]:
    return {Period.WEEK: now - datetime.timedelta(days=7), Period.MONTH: month_before(now)}


@rule(
    code="questions_overdue",
    title=gettext_lazy("Frågor obesvarade efter utlovad svarstid"),
    severity=Finding.Severity.HIGH,
    policy_section="§3, §5",
    responsible=gettext_lazy("Kontoansvarig, därefter enhetschef"),
    time_critical=True,
)
def questions_overdue(ctx: SweepContext):
    qs = Question.objects.filter(
        status__in=Question.UNANSWERED,
        due_at__lt=ctx.now,
        account__status__in=[SocialAccount.Status.ACTIVE, SocialAccount.Status.CLOSING],
    )
    if ctx.account_ids is not None:
        qs = qs.filter(account_id__in=ctx.account_ids)
    rows = (
        qs.values("account_id")
        .annotate(n=Count("pk"), oldest=Min("due_at"))
        .order_by("account_id")
        .values_list("account_id", "n", "oldest")
    )
    zone = timezone.get_current_timezone()
    for account_id, n, oldest in rows:
        due = timezone.localtime(oldest, zone)
        message = ngettext(
            "%(n)s fråga är obesvarad efter utlovad svarstid; "
            "den skulle vara besvarad %(due)s (§5).",
            "%(n)s frågor är obesvarade efter utlovad svarstid; "
            "den äldsta skulle vara besvarad %(due)s (§5).",
            n,
        )
        yield Hit(account_id, message % {"n": n, "due": f"{due:%Y-%m-%d %H:%M}"})


@rule(
    code="posts_below_promise",
    title=gettext_lazy("Färre inlägg än kontot lovar"),
    severity=Finding.Severity.LOW,
    policy_section="§4, §5",
    responsible=gettext_lazy("Kontoansvarig, därefter enhetschef"),
)
def posts_below_promise(ctx: SweepContext):
    starts = period_starts(ctx.now)
    week, month = starts[Period.WEEK], starts[Period.MONTH]
    in_window = Q(posts__published_at__lte=ctx.now)
    accounts = (
        ctx.scope(SocialAccount.objects.filter(status=SocialAccount.Status.ACTIVE))
        # Only accounts that have been active for at least one whole period.
        .filter(
            Q(posts_period=Period.WEEK, activated_on__lte=timezone.localdate(week))
            | Q(posts_period=Period.MONTH, activated_on__lte=timezone.localdate(month))
        )
        .annotate(
            week_posts=Count("posts", filter=in_window & Q(posts__published_at__gte=week)),
            month_posts=Count("posts", filter=in_window & Q(posts__published_at__gte=month)),
        )
        .order_by("pk")
        .values_list(
            "pk", "posts_min", "posts_period", "update_frequency_text", "week_posts", "month_posts"
        )
    )
    weekly_message = _(
        "%(n)s inlägg den senaste veckan; kontot lovar minst %(min)s i veckan (”%(promise)s”)."
    )
    monthly_message = _(
        "%(n)s inlägg den senaste månaden; kontot lovar minst %(min)s i månaden (”%(promise)s”)."
    )
    for account_id, posts_min, posts_period, promise, week_posts, month_posts in accounts:
        weekly = posts_period == Period.WEEK
        count = week_posts if weekly else month_posts
        if count >= posts_min:
            continue
        yield Hit(
            account_id,
            (weekly_message if weekly else monthly_message)
            % {"n": count, "min": posts_min, "promise": promise},
        )
