"""Benchmark 6: the yearly report for 500 accounts and a year of records.

Data (fixed seed, never committed): the accounts of bench/data.py (owner and
deputy, escrow, checklists, plans for 80 %), and spread over the last twelve
months about 5 own posts a month, 4 questions a month (answered a few working
hours later, some late), 10 moderation actions (one in ten a legal duty, with
its escalation) and a few compliance findings per account.

The report is made in this process as the task makes it (figures, the PDF/A,
the XLSX, the CSV zip): each step is timed and printed as it ends, and the peak
memory is the process's peak resident size (ru_maxrss) after the data were made
and after the report (tracemalloc is not used: it slows WeasyPrint several times
over). The PDF is checked as PDF/A.

Run: python bench/report.py [--accounts 500] [--compare-layout] (a smaller scale:
--accounts 100; --compare-layout also times the PDF with the automatic table
layout used before issue 18, on the same report).
``BENCH_REPORT_DB`` and ``BENCH_TEMPLATE_DB`` name other databases than the
defaults, for a run beside another branch's."""

import argparse
import datetime
import os
import random
import re
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import fresh_database, heading, line, retrying  # noqa: E402

DB = os.environ.get("BENCH_REPORT_DB", "nora_bench_report")
SEED = 20141112
BATCH = 2000
# One legal duty (escalated) and three policy grounds that need no named comment rule.
CATEGORIES = ["olaga_hot", "krankande", "reklam", "personangrepp"]


def _year_of_records(made: dict, rng: random.Random) -> dict:
    from django.utils import timezone

    from channels_registry.models import Finding
    from moderation.categories import Category
    from moderation.models import Escalation, ModerationAction, Post, Question

    now = timezone.now()
    accounts, users = made["accounts"], made["users"]
    year = 365 * 24

    def ago(hours: int) -> datetime.datetime:
        return now - datetime.timedelta(hours=hours)

    Post.objects.bulk_create(
        (
            Post(
                account=a,
                author=users[2 * i],
                published_at=ago(rng.randint(1, year)),
                text="Välkommen till öppet hus på biblioteket.",
                logged_by=users[2 * i],
            )
            for i, a in enumerate(accounts)
            for _ in range(rng.randint(40, 80))
        ),
        batch_size=BATCH,
    )
    questions = []
    for i, a in enumerate(accounts):
        for _ in range(48):
            received = ago(rng.randint(48, year))
            answered = received + datetime.timedelta(hours=rng.choice([1, 2, 5, 20, 30, 70]))
            questions.append(
                Question(
                    account=a,
                    received_at=received,
                    asker="En invånare",
                    text="När öppnar simhallen igen?",
                    due_at=received + datetime.timedelta(hours=24),
                    status=Question.Status.ANSWERED,
                    answer="I morgon klockan tio.",
                    answered_at=answered,
                    logged_by=users[2 * i],
                )
            )
    Question.objects.bulk_create(questions, batch_size=BATCH)
    actions = ModerationAction.objects.bulk_create(
        (
            ModerationAction(
                account=a,
                action=ModerationAction.Action.HIDDEN,
                origin=ModerationAction.Origin.CITIZEN,
                category=rng.choice(CATEGORIES),
                reason="Bryter mot kommentarsreglerna.",
                content_author="En invånare",
                content_text="Reklam för något.",
                logged_by=users[2 * i],
                logged_at=ago(rng.randint(1, year)),
            )
            for i, a in enumerate(accounts)
            for _ in range(10)
        ),
        batch_size=BATCH,
    )
    Escalation.objects.bulk_create(
        (
            Escalation(action=x, created_at=x.logged_at)
            for x in actions
            if x.category == Category.OLAGA_HOT
        ),
        batch_size=BATCH,
    )
    Finding.objects.bulk_create(
        (
            Finding(
                rule_code=rng.choice(["deputy", "no_approved_plan", "questions_overdue"]),
                account=a,
                key=str(k),
                severity=Finding.Severity.MEDIUM,
                message="Brist",
                opened_at=ago(rng.randint(24 * 30, year)),
                resolved_at=ago(rng.randint(1, 24 * 29)) if rng.random() < 0.7 else None,
            )
            for a in accounts
            for k in range(3)
        ),
        batch_size=BATCH,
    )
    return {"posts": Post.objects.count(), "questions": len(questions), "actions": len(actions)}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(n: int, compare: bool = False) -> dict:
    fresh_database(DB)
    from django.db import connection
    from django.utils import timezone

    from bench.data import make_accounts, make_compliance_data
    from nora_social.core.pdf import check_pdfa, html_to_pdf, to_pdfa
    from nora_social.reports import render
    from nora_social.reports.build import build_report
    from nora_social.reports.tables import Period

    started = time.perf_counter()
    made = make_accounts(n)
    make_compliance_data(made)
    counts = _year_of_records(made, random.Random(SEED))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    generated = time.perf_counter() - started
    today = timezone.localdate()
    period = Period(today - datetime.timedelta(days=364), today)
    print(f"  data made in {generated:.0f} s: {counts}", flush=True)
    rss_before = _peak_rss_mb()
    times: dict[str, float] = {}
    cpu_times: dict[str, float] = {}
    compared: dict[str, bool] = {}

    def timed(step: str, fn, *args, **kwargs):
        # Wall time, and this process's CPU time: on a shared machine the wall
        # time is mostly waiting for a core, the CPU time is the work.
        t, cpu = time.perf_counter(), time.process_time()
        result = fn(*args, **kwargs)
        times[step] = time.perf_counter() - t
        cpu_times[step] = time.process_time() - cpu
        line(f"{step}: seconds (wall / CPU)", f"{times[step]:.2f} / {cpu_times[step]:.2f}")
        return result

    report = timed("figures", build_report, period)
    if compare:
        # The same report laid out as before issue 18 (automatic table layout, no
        # column widths), timed on the same data under the same load, after a
        # small document has loaded WeasyPrint and the fonts (else the first
        # layout timed pays for that).
        to_pdfa(html_to_pdf('<html lang="sv"><title>-</title><p>-</p></html>'))
        html = render.report_html(report, made_by="Benchmark")
        auto = re.sub(r"<colgroup>.*?</colgroup>", "", html).replace(
            "table-layout: fixed", "table-layout: auto"
        )
        auto_pdf = timed("pdf, automatic table layout", lambda: to_pdfa(html_to_pdf(auto)))
        compared["auto_pdfa"] = check_pdfa(auto_pdf).passed
    pdf = timed("pdf", render.render_pdf, report, made_by="Benchmark")
    xlsx = timed("xlsx", render.render_xlsx, report)
    csv_zip = timed("csv", render.render_csv_zip, report)
    check = check_pdfa(pdf)
    return {
        "generated": generated,
        "counts": counts,
        "times": times,
        "cpu_times": cpu_times,
        "rss_before": rss_before,
        "rss_after": _peak_rss_mb(),
        "sizes": (len(pdf), len(xlsx), len(csv_zip)),
        "pdfa": check.passed,
        "rows": sum(len(table.rows) for table in report.tables),
        "compared": compared,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument(
        "--compare-layout",
        action="store_true",
        help="also lay the PDF out with the automatic table layout (before issue 18)",
    )
    args = parser.parse_args()
    heading(f"Yearly report: {args.accounts:,} accounts and a year of records")
    m = retrying(measure, args.accounts, args.compare_layout)
    print(f"  {m['rows']:,} table rows")
    auto = m["times"].pop("pdf, automatic table layout", None)
    auto_cpu = m["cpu_times"].pop("pdf, automatic table layout", None)
    if auto is not None:
        line(
            "PDF, automatic / fixed layout: wall s, CPU s",
            f"{auto:.2f} / {m['times']['pdf']:.2f}, {auto_cpu:.2f} / {m['cpu_times']['pdf']:.2f}",
        )
        line("automatic-layout PDF is PDF/A-2b", str(m["compared"]["auto_pdfa"]))
    total = sum(m["times"].values())
    line("whole report: CPU seconds", f"{sum(m['cpu_times'].values()):.2f}")
    line("whole report: seconds", f"{total:.2f}", "≤ 30 min (the task's limit)", total <= 29 * 60)
    line("peak resident memory before/after: MB", f"{m['rss_before']:.0f} / {m['rss_after']:.0f}")
    pdf, xlsx, csv_zip = m["sizes"]
    line("PDF / XLSX / CSV zip: kB", f"{pdf // 1024} / {xlsx // 1024} / {csv_zip // 1024}")
    line("PDF is PDF/A-2b", str(m["pdfa"]), "True", m["pdfa"])
    print(
        "  load average (1, 5, 15 min) at the end: "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    return 0 if m["pdfa"] else 1


if __name__ == "__main__":
    sys.exit(main())
