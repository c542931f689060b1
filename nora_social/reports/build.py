"""The whole report as a list of tables, section by section. ``progress`` is
called after each step with (steps done, steps in all)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext as _

from nora_social.reports import audit, figures, oversight
from nora_social.reports.tables import Column, Period, Table

STEPS = 9  # the sections below, then the PDF, the spreadsheet and the CSV files
RENDER_STEPS = 3


@dataclass
class Report:
    period: Period
    scope_name: str
    tables: list[Table]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def requests_capability() -> bool:
    """Whether requests for public documents (the archive's ``RecordsRequest``,
    being built in its own branch) are installed."""
    try:
        apps.get_model("archive", "RecordsRequest")
    except LookupError:
        return False
    return True


def requests_tables(period: Period) -> list[Table]:
    """Requests for public documents: until that capability exists, the section
    says it is not in use (tests/reports fails once it exists, so that its
    figures are added here)."""
    if not requests_capability():
        return [
            Table(
                key="begaran",
                section=_("Begäran om allmän handling"),
                title=_("Begäran om allmän handling"),
                columns=[Column(_("Uppgift"), _("Vad raden säger."))],
                rows=[[_("Funktionen för begäran om allmän handling används inte ännu.")]],
            )
        ]
    return []


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
    tables += [oversight.snapshots_table(period, accounts), oversight.disposal_table(period)]
    step()
    tables.append(oversight.findings_table(period, accounts))
    step()
    by_key = {t.key: t for t in tables}
    tables.append(audit.audit_table(period, accounts, by_key))
    step()
    return Report(period, figures.administration_name(period), tables)
