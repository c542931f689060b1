"""The report's figures on supervision: questions and their response times,
moderation (counts only: never content or names), the archive and the compliance
findings. The findings' resolve times use the dashboard's own calculation
(``compliance_selectors``), so the two show the same numbers."""

import datetime
import statistics
from collections import Counter, defaultdict

from dateutil.relativedelta import relativedelta
from django.db.models import Max
from django.utils.translation import gettext as _

from archive.disposal.models import DisposalEntry, RetentionDecision
from archive.snapshots.models import Snapshot
from archive.snapshots.selectors import verify_snapshot
from channels_registry.compliance import selectors as compliance_selectors
from channels_registry.compliance.models import Finding
from channels_registry.models import SocialAccount
from moderation import clock
from moderation.categories import GROUNDS, LAW, Category, is_legal_duty
from moderation.models import Escalation, ModerationAction, Question
from nora_social.reports.figures import active_on
from nora_social.reports.tables import ChartSpec, Column, Period, Table, hours, percent

SNAPSHOT_MONTHS = 12  # archive.compliance: a snapshot at least every 12 months


def working_hours_between(start: datetime.datetime, end: datetime.datetime) -> float:
    """Working hours (moderation's clock: weekdays 08–17, not holidays) from
    ``start`` to ``end``."""
    start, end = start.astimezone(clock.STOCKHOLM), end.astimezone(clock.STOCKHOLM)
    if end <= start:
        return 0.0
    total = datetime.timedelta()
    day = start.date()
    while day <= end.date():
        if clock.is_working_day(day):
            opens = datetime.datetime.combine(day, clock.DAY_STARTS, tzinfo=clock.STOCKHOLM)
            closes = datetime.datetime.combine(day, clock.DAY_ENDS, tzinfo=clock.STOCKHOLM)
            lo, hi = max(opens, start), min(closes, end)
            if hi > lo:
                total += hi - lo
        day += datetime.timedelta(days=1)
    return total.total_seconds() / 3600


def percentile_90(values: list[float]) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def questions_table(period: Period, accounts: list[SocialAccount]) -> Table:
    names = {a.pk: a.unit.administration.name for a in accounts}
    rows_by: dict[str, list[Question]] = defaultdict(list)
    for question in Question.objects.filter(
        account_id__in=list(names),
        received_at__gte=period.starts_at,
        received_at__lt=period.ends_at,
    ).only("account_id", "received_at", "due_at", "answered_at"):
        rows_by[names[question.account_id]].append(question)
    rows = [_question_row(adm, qs) for adm, qs in sorted(rows_by.items())]
    rows.append(_question_row(_("Totalt"), [q for qs in rows_by.values() for q in qs]))
    return Table(
        key="fragor",
        section=_("Frågor"),
        title=_("Inkomna frågor och svarstider"),
        columns=[
            Column(_("Förvaltning"), _("Förvaltningen som kontots enhet hör till.")),
            Column(_("Frågor"), _("Frågor och synpunkter som kom in under perioden.")),
            Column(_("Besvarade"), _("Av dem: besvarade (när som helst).")),
            Column(
                _("Median svarstid (arbetstimmar)"),
                _("Mittersta svarstiden, i arbetstimmar (vardagar 8–17, ej helgdagar)."),
            ),
            Column(
                _("90:e percentilen (arbetstimmar)"),
                _("Nio av tio besvarade frågor fick svar inom så många arbetstimmar."),
            ),
            Column(
                _("Inom utlovad tid (%)"),
                _("Andel av periodens frågor som besvarades senast när svaret var utlovat."),
            ),
        ],
        rows=rows,
        chart=ChartSpec(
            _("Andel frågor besvarade inom utlovad tid per förvaltning (%)"),
            label_column=0,
            value_column=5,
        ),
    )


def _question_row(label: str, questions: list[Question]) -> list:
    times: list[float] = []
    on_time = 0
    for question in questions:
        if question.answered_at is None:
            continue
        times.append(working_hours_between(question.received_at, question.answered_at))
        on_time += question.answered_at <= question.due_at
    times.sort()
    return [
        label,
        len(questions),
        len(times),
        hours(statistics.median(times)) if times else None,
        hours(percentile_90(times)),
        percent(on_time, len(questions)),
    ]


def moderation_tables(period: Period, accounts: list[SocialAccount]) -> list[Table]:
    ids = [a.pk for a in accounts]
    actions = Counter(
        ModerationAction.objects.filter(
            account_id__in=ids,
            logged_at__gte=period.starts_at,
            logged_at__lt=period.ends_at,
            superseded_by__isnull=True,
        ).values_list("category", flat=True)
    )
    rows = [
        [
            _("Lagkrav") if is_legal_duty(c) else _("Policyregel"),
            str(c.label),
            GROUNDS[c].provision,
            actions.get(c.value, 0),
        ]
        for c in Category
    ]
    by_category = Table(
        key="moderering",
        section=_("Moderering"),
        title=_("Borttaget innehåll per kategori"),
        columns=[
            Column(
                _("Grund"),
                _("Lagkrav enligt %(law)s, eller en regel i kommunens policy.") % {"law": LAW},
            ),
            Column(_("Kategori"), _("Varför innehållet togs bort.")),
            Column(_("Bestämmelse"), _("Bestämmelsen som kategorin vilar på.")),
            Column(
                _("Åtgärder"),
                _("Dolda, avpublicerade eller raderade inlägg och kommentarer under perioden."),
            ),
        ],
        rows=rows,
        chart=ChartSpec(_("Borttaget innehåll per kategori"), label_column=1, value_column=3),
        note=_("Bara antal: rapporten innehåller aldrig innehållet eller namn."),
    )
    escalations = Counter(
        Escalation.objects.filter(
            action__account_id__in=ids,
            created_at__gte=period.starts_at,
            created_at__lt=period.ends_at,
        ).values_list("outcome", flat=True)
    )
    outcome = Escalation.Outcome
    escalation_table = Table(
        key="eskaleringar",
        section=_("Moderering"),
        title=_("Eskaleringar och polisanmälningar"),
        columns=[
            Column(_("Mått"), _("Vad raden räknar.")),
            Column(_("Antal"), _("Eskaleringar som skapades under perioden.")),
        ],
        rows=[
            [_("Eskaleringar (lagkrav)"), sum(escalations.values())],
            [_("Polisanmälda"), escalations.get(outcome.REPORTED, 0)],
            [_("Inte polisanmälda"), escalations.get(outcome.NOT_REPORTED, 0)],
            [_("Ej bedömda"), escalations.get(outcome.PENDING, 0)],
        ],
    )
    return [by_category, escalation_table]


def snapshots_table(period: Period, accounts: list[SocialAccount]) -> Table:
    """Per administration: accounts that needed a snapshot at the period's end
    (active a year or more, as the compliance rule), those that had one with
    screenshots from the last 12 months, and the snapshots made in the period
    with their stored file checked against its hash."""
    cutoff = period.end - relativedelta(months=SNAPSHOT_MONTHS)
    latest = dict(
        Snapshot.objects.filter(account_id__in=[a.pk for a in accounts])
        .filter(screenshots_taken_on__lte=period.end)
        .values_list("account_id")
        .annotate(latest=Max("screenshots_taken_on"))
        .values_list("account_id", "latest")
    )
    made = list(
        Snapshot.objects.filter(
            account_id__in=[a.pk for a in accounts],
            made_at__gte=period.starts_at,
            made_at__lt=period.ends_at,
        ).select_related("account__unit__administration")
    )
    counts: dict[str, Counter] = defaultdict(Counter)
    for account in accounts:
        row = counts[account.unit.administration.name]  # every administration gets a row
        activated = account.activated_on
        if active_on(account, period.end) and activated is not None and activated <= cutoff:
            row["due"] += 1
            taken = latest.get(account.pk)
            row["covered"] += bool(taken and taken >= cutoff)
    for snapshot in made:
        adm = snapshot.account.unit.administration.name
        counts[adm]["made"] += 1
        counts[adm]["verified"] += verify_snapshot(snapshot)
    rows: list[list] = [
        [adm, c["due"], c["covered"], c["made"], c["verified"]] for adm, c in sorted(counts.items())
    ]
    rows.append([_("Totalt"), *[sum(r[i] for r in rows) for i in range(1, 5)]])
    return Table(
        key="ogonblicksbilder",
        section=_("Arkiv"),
        title=_("Ögonblicksbilder: tagna mot förfallna"),
        columns=[
            Column(_("Förvaltning"), _("Förvaltningen som kontots enhet hör till.")),
            Column(
                _("Konton som ska ha ögonblicksbild"),
                _("Konton aktiva vid periodens slut sedan minst tolv månader."),
            ),
            Column(
                _("Av dem med aktuell bild"),
                _("Konton med skärmdumpar från de tolv månaderna före periodens slut."),
            ),
            Column(_("Tagna under perioden"), _("Ögonblicksbilder skapade under perioden.")),
            Column(
                _("Kontrollerade och oförändrade"),
                _("Av dem: den lagrade filen har samma kontrollsumma som när den skapades."),
            ),
        ],
        rows=rows,
    )


def disposal_table(period: Period) -> Table:
    """Disposal runs in the period, per kind of record (the whole municipality:
    a disposal decision is the archive authority's, not an administration's)."""
    entries = DisposalEntry.objects.filter(
        performed_at__gte=period.starts_at, performed_at__lt=period.ends_at
    ).values_list("record_type", "decision_id", "record_count", "skipped_held")
    by_type: dict[str, list] = defaultdict(lambda: [set(), 0, 0, 0])
    for record_type, decision_id, count, held in entries:
        row = by_type[record_type]
        row[0].add(decision_id)
        row[1] += 1
        row[2] += count
        row[3] += held
    labels = dict(RetentionDecision._meta.get_field("record_type").choices or [])
    rows = [
        [str(labels.get(t, t)), len(r[0]), r[1], r[2], r[3]] for t, r in sorted(by_type.items())
    ]
    return Table(
        key="gallring",
        section=_("Arkiv"),
        title=_("Gallring som verkställts under perioden"),
        columns=[
            Column(_("Slags handling"), _("Vilka poster gallringsbeslutet gäller.")),
            Column(_("Gallringsbeslut"), _("Beslut som verkställdes under perioden.")),
            Column(_("Verkställanden"), _("Gånger gallringen kördes.")),
            Column(_("Gallrade poster"), _("Poster som togs bort enligt beslutet.")),
            Column(_("Undantagna (spärr)"), _("Poster som inte gallrades för att de är spärrade.")),
        ],
        rows=rows,
        note=_("Gallring gäller hela kommunen: ett gallringsbeslut gäller alla förvaltningar."),
    )


def _findings(period: Period, accounts: list[SocialAccount]):
    qs = Finding.objects.filter(opened_at__lt=period.ends_at)
    if period.administration_id:
        qs = qs.filter(account_id__in=[a.pk for a in accounts])
    return qs.values_list("rule_code", "opened_at", "resolved_at")


def findings_table(period: Period, accounts: list[SocialAccount]) -> Table:
    opened: Counter = Counter()
    open_at_end: Counter = Counter()
    durations: dict[str, list[datetime.timedelta]] = defaultdict(list)
    for code, opened_at, resolved_at in _findings(period, accounts):
        if opened_at >= period.starts_at:
            opened[code] += 1
        if resolved_at is None or resolved_at >= period.ends_at:
            open_at_end[code] += 1
        elif resolved_at >= period.starts_at:
            durations[code].append(resolved_at - opened_at)
    codes = sorted(set(opened) | set(open_at_end) | set(durations))
    rows = []
    for code in codes:
        times = compliance_selectors._resolve_times(durations.get(code, []))
        rows.append(
            [
                str(compliance_selectors.rule_title(code)),
                opened.get(code, 0),
                times.count,
                hours(times.median_days),
                open_at_end.get(code, 0),
            ]
        )
    total = compliance_selectors._resolve_times([d for ds in durations.values() for d in ds])
    rows.append(
        [
            _("Totalt"),
            sum(opened.values()),
            total.count,
            hours(total.median_days),
            sum(open_at_end.values()),
        ]
    )
    return Table(
        key="efterlevnad",
        section=_("Efterlevnad"),
        title=_("Brister per regel"),
        columns=[
            Column(_("Regel"), _("Regeln i den automatiska efterlevnadskontrollen.")),
            Column(_("Öppnade"), _("Brister som upptäcktes under perioden.")),
            Column(_("Åtgärdade"), _("Brister som åtgärdades under perioden.")),
            Column(
                _("Median dagar till åtgärd"),
                _("Mittersta tiden från upptäckt till åtgärd för periodens åtgärdade brister."),
            ),
            Column(_("Öppna vid periodens slut"), _("Brister som var öppna sista dagen.")),
        ],
        rows=rows,
        chart=ChartSpec(
            _("Öppna brister vid periodens slut per regel"), label_column=0, value_column=4
        ),
    )
