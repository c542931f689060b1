"""The report's figures on accounts, people and activity, read straight from the
models in a fixed number of queries however many accounts there are.

An account "exists" on a day from its registration (``planned_on``) until it is
closed (``closed_on``, the day it was closed no longer counts): the same accounts
as the compliance dashboard lists (all but the closed ones) when the day is today.
"""

import datetime
from collections import Counter, defaultdict

from dateutil.relativedelta import relativedelta
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Administration, PlatformCompetence
from accounts.selectors import current_acknowledgements
from activity_plans.models import ActivityPlan
from channels_registry.models import AccountMember, SocialAccount
from channels_registry.models import Period as PostPeriod
from moderation.models import Post
from nora_social.reports.tables import ChartSpec, Column, Period, Table, percent

# A plan is evaluated (and renewed or confirmed) a year after its approval: the
# plan's own "hur målen utvärderas" is free text, so the report uses the year.
PLAN_EVALUATION_MONTHS = 12


def accounts_in_scope(period: Period) -> QuerySet[SocialAccount]:
    """Every account that existed at some time in the period, in the scope."""
    qs = (
        SocialAccount.objects.filter(planned_on__lte=period.end)
        .exclude(closed_on__lt=period.start)
        .select_related("platform", "unit__administration")
        .order_by("unit__administration__name", "display_name", "pk")
    )
    if period.administration_id:
        qs = qs.filter(unit__administration_id=period.administration_id)
    return qs


def exists_on(account: SocialAccount, day: datetime.date) -> bool:
    return account.planned_on <= day and (account.closed_on is None or account.closed_on > day)


def active_on(account: SocialAccount, day: datetime.date) -> bool:
    activated = account.activated_on is not None and account.activated_on <= day
    return activated and (account.closed_on is None or account.closed_on > day)


def _within(day: datetime.date | None, period: Period) -> bool:
    return day is not None and period.start <= day <= period.end


def accounts_table(period: Period, accounts: list[SocialAccount]) -> Table:
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for account in accounts:
        key = (account.unit.administration.name, account.platform.name)
        counts[key]["registered"] += exists_on(account, period.end)
        counts[key]["active"] += active_on(account, period.end)
        counts[key]["opened"] += _within(account.activated_on, period)
        counts[key]["closed"] += _within(account.closed_on, period)
    rows: list[list] = [
        [adm, platform, c["registered"], c["active"], c["opened"], c["closed"]]
        for (adm, platform), c in sorted(counts.items())
    ]
    totals = [sum(r[i] for r in rows) for i in range(2, 6)]
    rows.append([_("Totalt"), "", *totals])
    return Table(
        key="konton",
        section=_("Konton"),
        title=_("Konton per förvaltning och plattform"),
        columns=[
            Column(_("Förvaltning"), _("Förvaltningen som kontots enhet hör till.")),
            Column(_("Plattform"), _("Plattformen kontot finns på.")),
            Column(
                _("I registret vid periodens slut"),
                _("Registrerade konton som inte var stängda sista dagen i perioden."),
            ),
            Column(
                _("Aktiva vid periodens slut"),
                _("Aktiverade konton som inte var stängda sista dagen i perioden."),
            ),
            Column(_("Aktiverade under perioden"), _("Konton som aktiverades under perioden.")),
            Column(_("Stängda under perioden"), _("Konton som stängdes under perioden.")),
        ],
        rows=rows,
        chart=ChartSpec(
            _("Konton i registret vid periodens slut per förvaltning och plattform"),
            label_column=1,
            value_column=2,
        ),
    )


def _latest_plans(account_ids: list[int], until: datetime.datetime) -> dict[int, ActivityPlan]:
    latest: dict[int, ActivityPlan] = {}
    plans = ActivityPlan.objects.filter(
        account_id__in=account_ids,
        status=ActivityPlan.Status.APPROVED,
        approved_at__lt=until,
    ).order_by("account_id", "approved_at")
    for plan in plans.only("pk", "account_id", "approved_at"):
        assert plan.account_id is not None  # filtered on account_id  # nosec B101
        latest[plan.account_id] = plan
    return latest


def plans_table(period: Period, accounts: list[SocialAccount]) -> Table:
    current = [a for a in accounts if exists_on(a, period.end)]
    plans = _latest_plans([a.pk for a in current], period.ends_at)
    rows = []
    for account in current:
        plan = plans.get(account.pk)
        if plan is None or plan.approved_at is None:
            rows.append(
                [
                    account.unit.administration.name,
                    account.display_name,
                    account.platform.name,
                    account.get_status_display(),
                    _("Saknas"),
                    "",
                    _("Ja") if active_on(account, period.end) else _("Nej"),
                ]
            )
            continue
        approved = timezone.localdate(plan.approved_at)
        due = approved + relativedelta(months=PLAN_EVALUATION_MONTHS)
        rows.append(
            [
                account.unit.administration.name,
                account.display_name,
                account.platform.name,
                account.get_status_display(),
                approved.isoformat(),
                due.isoformat(),
                _("Ja") if due < period.end else _("Nej"),
            ]
        )
    return Table(
        key="planer",
        section=_("Konton"),
        title=_("Aktivitetsplanen bakom varje konto"),
        columns=[
            Column(_("Förvaltning"), _("Förvaltningen som kontots enhet hör till.")),
            Column(_("Konto"), _("Kontots visningsnamn.")),
            Column(_("Plattform"), _("Plattformen kontot finns på.")),
            Column(_("Status"), _("Kontots status i dag.")),
            Column(
                _("Plan godkänd"),
                _("Dagen den senast godkända aktivitetsplanen godkändes före periodens slut."),
            ),
            Column(
                _("Utvärdering senast"),
                _("Ett år efter godkännandet ska planen utvärderas och förnyas."),
            ),
            Column(
                _("Utvärdering försenad"),
                _(
                    "Ja när utvärderingsdagen passerades före periodens slut, eller när ett "
                    "aktivt konto saknar godkänd plan."
                ),
            ),
        ],
        rows=rows,
    )


def _members_on(account_ids: list[int], day: datetime.date) -> list[AccountMember]:
    return list(
        AccountMember.objects.filter(account_id__in=account_ids, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .only("account_id", "user_id", "role", "holds_credentials")
    )


def people_table(period: Period, accounts: list[SocialAccount]) -> Table:
    current = {a.pk: a for a in accounts if exists_on(a, period.end)}
    members = _members_on(list(current), period.end)
    user_ids = {m.user_id for m in members}
    acknowledged = set(current_acknowledgements(user_ids))
    competent = set(
        PlatformCompetence.objects.filter(user_id__in=user_ids).values_list("user_id", "platform")
    )
    by_account: dict[int, list[AccountMember]] = defaultdict(list)
    for member in members:
        by_account[member.account_id].append(member)
    rows = []
    for account in current.values():
        people = by_account.get(account.pk, [])
        ids = {m.user_id for m in people}
        rows.append(
            [
                account.unit.administration.name,
                account.display_name,
                account.platform.name,
                len(ids),
                sum(1 for m in people if m.holds_credentials),
                _("Ja") if any(m.role == AccountMember.Role.OWNER for m in people) else _("Nej"),
                _("Ja") if any(m.role == AccountMember.Role.DEPUTY for m in people) else _("Nej"),
                sum(1 for u in ids if u in acknowledged),
                sum(1 for u in ids if (u, account.platform.slug) in competent),
            ]
        )
    return Table(
        key="personer",
        section=_("Personer"),
        title=_("Personer på kontona vid periodens slut"),
        columns=[
            Column(_("Förvaltning"), _("Förvaltningen som kontots enhet hör till.")),
            Column(_("Konto"), _("Kontots visningsnamn.")),
            Column(_("Plattform"), _("Plattformen kontot finns på.")),
            Column(_("Personer"), _("Personer på kontot sista dagen i perioden.")),
            Column(_("Har inloggningsuppgifter"), _("Personer som har kontots inloggning.")),
            Column(_("Kontoansvarig finns"), _("Ja när kontot hade en kontoansvarig.")),
            Column(_("Ersättare finns"), _("Ja när kontot hade en ersättare.")),
            Column(
                _("Har kvitterat gällande policy"),
                _("Personer som har kvitterat den policyversion som gäller i dag."),
            ),
            Column(
                _("Har plattformskompetens"),
                _("Personer med registrerad kompetens för kontots plattform."),
            ),
        ],
        rows=rows,
    )


def people_summary(people: Table) -> Table:
    persons = sum(r[3] for r in people.rows)
    acknowledged = sum(r[7] for r in people.rows)
    competent = sum(r[8] for r in people.rows)
    accounts = len(people.rows)
    return Table(
        key="personer_summa",
        section=_("Personer"),
        title=_("Personer, sammanfattning"),
        columns=[
            Column(_("Mått"), _("Vad raden räknar.")),
            Column(_("Antal"), _("Antalet.")),
            Column(_("Andel (%)"), _("Andelen av alla, i procent.")),
        ],
        rows=[
            [_("Konton"), accounts, None],
            [
                _("Konton med kontoansvarig"),
                sum(1 for r in people.rows if r[5] == _("Ja")),
                percent(sum(1 for r in people.rows if r[5] == _("Ja")), accounts),
            ],
            [
                _("Konton med ersättare"),
                sum(1 for r in people.rows if r[6] == _("Ja")),
                percent(sum(1 for r in people.rows if r[6] == _("Ja")), accounts),
            ],
            [_("Uppdrag (person på konto)"), persons, None],
            [
                _("Uppdrag där personen kvitterat gällande policy"),
                acknowledged,
                percent(acknowledged, persons),
            ],
            [
                _("Uppdrag där personen har plattformskompetens"),
                competent,
                percent(competent, persons),
            ],
        ],
    )


def promised_in_month(account: SocialAccount, month: datetime.date) -> int:
    """The least number of own posts the account promises in a calendar month."""
    if account.posts_period == PostPeriod.WEEK:
        days = ((month + relativedelta(months=1)) - month).days
        return account.posts_min * days // 7
    return account.posts_min


def _active_whole_month(account: SocialAccount, month: datetime.date) -> bool:
    last = month + relativedelta(months=1) - datetime.timedelta(days=1)
    return active_on(account, month) and active_on(account, last)


def activity_table(period: Period, accounts: list[SocialAccount]) -> Table:
    months = period.months
    active = [a for a in accounts if a.activated_on and a.activated_on <= period.end]
    counted = Counter(
        (row["account_id"], timezone.localdate(row["published_at"]).replace(day=1))
        for row in Post.objects.filter(
            account_id__in=[a.pk for a in active],
            published_at__gte=period.starts_at,
            published_at__lt=period.ends_at,
        ).values("account_id", "published_at")
    )
    rows = []
    for account in active:
        cells: list = []
        below = 0
        for month in months:
            n = counted.get((account.pk, month), 0)
            whole = _active_whole_month(account, month) and month >= period.start.replace(day=1)
            cells.append(n)
            if whole and n < promised_in_month(account, month):
                below += 1
        period_name = _("i veckan") if account.posts_period == PostPeriod.WEEK else _("i månaden")
        rows.append(
            [
                account.display_name,
                account.platform.name,
                _("minst %(n)s %(per)s") % {"n": account.posts_min, "per": period_name},
                *cells,
                sum(cells),
                below,
            ]
        )
    return Table(
        key="aktivitet",
        section=_("Aktivitet"),
        title=_("Egna inlägg per konto och månad mot planens löfte"),
        columns=[
            Column(_("Konto"), _("Kontots visningsnamn.")),
            Column(_("Plattform"), _("Plattformen kontot finns på.")),
            Column(_("Löfte"), _("Hur ofta kontot lovar att publicera (aktivitetsplanen).")),
            *[
                Column(
                    month.strftime("%Y-%m"),
                    _("Egna inlägg publicerade under månaden (loggade i systemet)."),
                )
                for month in months
            ],
            Column(_("Summa"), _("Egna inlägg under perioden.")),
            Column(
                _("Månader under löftet"),
                _(
                    "Hela månader då kontot var aktivt och publicerade färre inlägg än det "
                    "lovar (ett veckolöfte räknas om till hela veckor i månaden)."
                ),
            ),
        ],
        rows=rows,
        chart=ChartSpec(
            _("Egna inlägg under perioden per konto"),
            label_column=0,
            value_column=3 + len(months),
        ),
    )


def administration_name(period: Period) -> str:
    if not period.administration_id:
        return _("Hela kommunen")
    adm = Administration.objects.filter(pk=period.administration_id).first()
    return adm.name if adm else _("Hela kommunen")
