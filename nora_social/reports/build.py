"""The whole report as a list of tables, section by section. ``progress`` is
called after each step with (steps done, steps in all)."""

import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from nora_social.reports import archiving, audit, figures, oversight
from nora_social.reports.oversight import working_hours_between
from nora_social.reports.tables import Column, Period, Table, hours

STEPS = 9  # the sections below, then the PDF, the spreadsheet and the CSV files
RENDER_STEPS = 3


@dataclass
class Report:
    period: Period
    scope_name: str
    tables: list[Table]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def requests_tables(period: Period) -> list[Table]:
    """Requests for public documents that came in during the period: how many,
    how fast they were answered (working hours, the same clock as questions),
    refusals, written decisions and appeals. Counts only, never requesters."""
    from archive.requests.models import Appeal, Assessment, RecordsRequest, RequestedDocument

    requests = RecordsRequest.objects.filter(
        received_at__gte=period.starts_at, received_at__lt=period.ends_at
    ).select_related("administration")
    if period.administration_id is not None:
        requests = requests.filter(administration_id=period.administration_id)
    by_administration: dict[str, list[RecordsRequest]] = defaultdict(list)
    for request in requests:
        by_administration[request.administration.name].append(request)
    appealed = set(Appeal.objects.filter(request__in=requests).values_list("request_id", flat=True))
    # Refused in full or in part: some document assessed as (partly) secret.
    refused = set(
        RequestedDocument.objects.filter(
            request__in=requests, assessment__in=[Assessment.PARTLY, Assessment.SECRET]
        ).values_list("request_id", flat=True)
    )
    marks = (refused, appealed)
    rows = [_request_row(name, items, *marks) for name, items in sorted(by_administration.items())]
    every = [r for items in by_administration.values() for r in items]
    rows.append(_request_row(_("Totalt"), every, *marks))
    return [
        Table(
            key="begaran",
            section=_("Begäran om allmän handling"),
            title=_("Begäran om allmän handling och tid till besked"),
            columns=[
                Column(_("Förvaltning"), _("Förvaltningen som begäran riktades till.")),
                Column(_("Begäranden"), _("Begäranden som kom in under perioden.")),
                Column(_("Besvarade"), _("Av dem: besvarade (när som helst).")),
                Column(
                    _("Median tid till besked (arbetstimmar)"),
                    _("Mittersta tiden från att begäran kom in till besked, i arbetstimmar."),
                ),
                Column(
                    _("Helt eller delvis avslagna"),
                    _("Begäranden där någon handling inte lämnades ut, helt eller delvis."),
                ),
                Column(_("Skriftliga beslut"), _("Begäranden där ett skriftligt beslut begärdes.")),
                Column(_("Överklagade"), _("Begäranden vars beslut överklagades.")),
            ],
            rows=rows,
        )
    ]


def _request_row(label: str, requests: list, refused: set[int], appealed: set[int]) -> list:
    times = sorted(
        working_hours_between(r.received_at, r.answered_at)
        for r in requests
        if r.answered_at is not None
    )
    return [
        label,
        len(requests),
        len(times),
        hours(statistics.median(times)) if times else None,
        sum(1 for r in requests if r.pk in refused),
        sum(1 for r in requests if r.decision_requested_at is not None),
        sum(1 for r in requests if r.pk in appealed),
    ]


def build_report(period: Period, progress: Callable[[int, int], None] | None = None) -> Report:
    total = STEPS + RENDER_STEPS
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    accounts = list(figures.accounts_in_scope(period))
    tables = [figures.accounts_table(period, accounts), figures.plans_table(period, accounts)]
    step()
    people = figures.people_table(period, accounts)
    tables += [figures.people_summary(people), people]
    step()
    tables.append(figures.activity_table(period, accounts))
    step()
    tables.append(oversight.questions_table(period, accounts))
    step()
    tables += oversight.moderation_tables(period, accounts)
    step()
    tables += requests_tables(period)
    step()
    tables += [
        oversight.snapshots_table(period, accounts),
        oversight.disposal_table(period),
        archiving.exports_table(period),
    ]
    step()
    tables.append(oversight.findings_table(period, accounts))
    step()
    by_key = {t.key: t for t in tables}
    tables.append(audit.audit_table(period, accounts, by_key))
    step()
    return Report(period, figures.administration_name(period), tables)
