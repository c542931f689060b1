"""Benchmark 4: the compliance sweep over 10,000 accounts.

Accounts with an owner and a deputy, escrow, checklists, plans, posts, questions
and absences (bench/data.py). The first sweep opens the findings; the second
finds them open (the nightly steady state). Both are timed, all rules, and their
queries counted at 1,000 and at 10,000 accounts: the count must not grow.
Run: python bench/sweep.py [--small 1000] [--large 10000]"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import fresh_database, heading, line, retrying  # noqa: E402

DB = "nora_bench_sweep"


def measure(n: int) -> dict:
    fresh_database(DB)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.data import make_accounts, make_compliance_data
    from channels_registry.compliance import engine
    from channels_registry.models import Finding

    started = time.perf_counter()
    made = make_accounts(n)
    make_compliance_data(made)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    generated = time.perf_counter() - started
    runs = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            summary = engine.run_sweep()
            seconds = time.perf_counter() - t
        runs.append((seconds, len(queries), summary))
    open_findings = Finding.objects.filter(resolved_at__isnull=True).count()
    return {"generated": generated, "runs": runs, "open": open_findings}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10_000)
    args = parser.parse_args()
    heading(f"Compliance sweep: all rules at {args.small:,} and {args.large:,} accounts")
    from_small = retrying(measure, args.small)
    from_large = retrying(measure, args.large)
    for n, m in ((args.small, from_small), (args.large, from_large)):
        (s1, q1, sum1), (s2, q2, sum2) = m["runs"]
        print(
            f"  {n:,} accounts (data made in {m['generated']:.0f} s): first sweep {s1:.2f} s, "
            f"{q1} queries, {sum1.opened:,} findings opened; second {s2:.2f} s, {q2} queries, "
            f"{sum2.still_open:,} still open; per rule: "
            + ", ".join(f"{k} {v}" for k, v in sorted(sum1.per_rule.items()))
        )
    # The machine may be shared: say how busy it was, next to the times.
    print(
        "  load average (1, 5, 15 min) at the end: "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    worst = max(s for s, _, _ in from_large["runs"])
    line(f"all rules, {args.large:,} accounts: seconds", f"{worst:.2f}", "≤ 10 s", worst <= 10)
    small_q = [q for _, q, _ in from_small["runs"]]
    large_q = [q for _, q, _ in from_large["runs"]]
    line(
        "queries per sweep (first, second)",
        f"{small_q} → {large_q}",
        "independent of accounts",
        small_q == large_q,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
