"""Benchmark 5: account snapshots (PDF per account through a Celery worker).

Target (issue 7): 1,000 accounts, each snapshot with 5 screenshots (1280×2000
PNG), 50 moderation actions and 20 questions, through a real Celery worker at
concurrency 2; median ≤ 0.5 s per PDF, the worker's processes together ≤ 600 MB
peak resident memory.

Pending: archive snapshots (archive/snapshots.py, archive/tasks.py) were being
built while the other benchmarks were written, so this one prints what it would
measure and why it does not yet. Run: python bench/snapshots.py"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    print("\n== Snapshots: 1,000 accounts through a Celery worker at concurrency 2 ==")
    have = (ROOT / "archive" / "snapshots.py").exists()
    print(
        "  PENDING: not measured. "
        + (
            "archive/snapshots.py exists now, but the benchmark (screenshots, "
            "worker, peak RSS) was not built in this round."
            if have
            else "archive snapshots do not exist yet."
        )
    )
    print("  target: median ≤ 0.5 s per PDF; worker processes ≤ 600 MB peak RSS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
