"""Benchmark: reading in existing accounts from a spreadsheet (issue 16).

A register that already holds accounts, a file of N new accounts with an owner,
a deputy and sometimes a third credential holder each (XLSX). The preview is
timed and its queries counted at two sizes (the count must not grow with the
rows); the import of the larger file is timed and its queries counted per row
(each row goes through the register's own services: history, object
permissions, the re-check after commit).
Run: python bench/account_import.py [--small 50] [--large 500]"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import fresh_database, heading, line, retrying  # noqa: E402

DB = "nora_bench_account_import"


def _rows(n: int, units, people) -> list[dict[str, str]]:
    rows = []
    for i in range(n):
        unit = units[i % len(units)]
        handle = f"norakommun.import{i}"
        rows.append(
            {
                "administration": unit.administration.name,
                "unit": unit.name,
                "platform": "Facebook",
                "display_name": f"Nora kommun Import {i}",
                "handle": handle,
                "url": f"https://www.facebook.com/{handle}",
                "purpose": "Nyheter för invånarna.",
                "target_audience": "",
                "contact": "info@nora.se",
                "update_frequency_text": "Varje vecka",
                "response_time_text": "Inom en arbetsdag",
                "owner": people[i % 20].username,
                "deputy": people[20 + i % 20].email,
                "others": people[40 + i % 10].username if i % 3 == 0 else "",
                "override_reason": "",
            }
        )
    return rows


def _xlsx(rows) -> bytes:
    import io

    from openpyxl import Workbook

    from channels_registry.imports.columns import COLUMNS

    book = Workbook()
    sheet = book.active
    sheet.append([str(c.heading) for c in COLUMNS])
    for row in rows:
        sheet.append([row[c.field] for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def measure(small: int, large: int) -> dict:
    fresh_database(DB)
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from accounts.roles import Role, ensure_role_groups
    from bench.data import make_accounts
    from channels_registry.imports import services
    from channels_registry.models import Platform

    made = make_accounts(1000)
    Platform.objects.filter(slug="facebook").update(domains="facebook.com fb.com")
    ensure_role_groups()
    officer = User.objects.create(username="bench_io", email="bench_io@nora.se")
    officer.groups.add(Group.objects.get(name=Role.INFORMATION_OFFICER))
    people = [
        User.objects.create(username=f"bench_person{i}", email=f"bench_person{i}@nora.se")
        for i in range(50)
    ]
    units = made["units"][:20]
    figures: dict = {}
    for n in (small, large):
        data = _xlsx(_rows(n, units, people))
        services.preview(actor=officer, name="k.xlsx", data=data)  # permissions read once
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            plans = services.preview(actor=officer, name="k.xlsx", data=data)
            seconds = time.perf_counter() - t
        assert not services.problems_of(plans), services.problems_of(plans)[:5]
        figures[n] = {"preview": (seconds, len(queries)), "data": data}
    data = figures[large]["data"]
    # Counted, not captured: Django keeps only the last 9000 queries it logs.
    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        t = time.perf_counter()
        accounts = services.import_accounts(actor=officer, name="k.xlsx", data=data)
        seconds = time.perf_counter() - t
    figures["import"] = (seconds, len(executed), len(accounts))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=50)
    parser.add_argument("--large", type=int, default=500)
    args = parser.parse_args()
    heading(
        f"Account import: preview at {args.small} and {args.large} rows, import of {args.large}"
    )
    figures = retrying(measure, args.small, args.large)
    (s_small, q_small), (s_large, q_large) = (
        figures[args.small]["preview"],
        figures[args.large]["preview"],
    )
    line(f"preview, {args.small} rows: seconds", f"{s_small:.2f}")
    line(f"preview, {args.large} rows: seconds", f"{s_large:.2f}", "≤ 5 s", s_large <= 5)
    line(
        "preview queries (small → large)",
        f"{q_small} → {q_large}",
        "independent of rows",
        q_small == q_large,
    )
    seconds, queries, count = figures["import"]
    line(f"import, {count} rows: seconds", f"{seconds:.1f}")
    line("import queries per row", f"{queries / count:.1f}", "≤ 60", queries / count <= 60)
    print(
        "  load average (1, 5, 15 min) at the end: "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
