"""Shared set-up for the benchmarks: a database of the benchmark's own on
PostgreSQL (created from a migrated template, so each run starts empty), Redis as
the broker, and small helpers for printing figures beside their targets."""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# Another name keeps a branch with new migrations off the shared template.
TEMPLATE_DB = os.environ.get("BENCH_TEMPLATE_DB", "nora_bench_template")


def _admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _db_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            is not None
        )


def _env(db: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{PG}/{db}",
        DJANGO_SETTINGS_MODULE="bench.settings",
        CELERY_BROKER_URL=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14"),
        NORA_DEV_FAST_SWEEP="false",
        PYTHONPATH=str(ROOT),
    )
    return env


def _template() -> None:
    """Migrate a template database once; later runs copy it (seconds, not a minute)."""
    if _db_exists(TEMPLATE_DB):
        # Up to date? `migrate --check` exits non-zero when migrations are missing.
        check = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--check"],
            cwd=ROOT,
            env=_env(TEMPLATE_DB),
            capture_output=True,
        )
        if check.returncode == 0:
            return
    else:
        _admin_sql(f'CREATE DATABASE "{TEMPLATE_DB}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=_env(TEMPLATE_DB),
        check=True,
    )


def fresh_database(name: str) -> None:
    """Create (or recreate) an empty, migrated database and point Django at it."""
    if "django" in sys.modules:
        from django.conf import settings

        if settings.configured:
            from django.db import connections

            connections.close_all()
    _template()
    _admin_sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "  # noqa: S608 - our names
        f"WHERE datname IN ('{name}', '{TEMPLATE_DB}') AND pid <> pg_backend_pid()"
    )
    _admin_sql(f'DROP DATABASE IF EXISTS "{name}"')
    _admin_sql(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE_DB}"')
    use_database(name)


def use_database(name: str) -> dict:
    env = _env(name)
    os.environ.update(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return env


def heading(title: str) -> None:
    print(f"\n== {title} ==", flush=True)


def verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def line(label: str, value: str, target: str = "", ok: bool | None = None) -> None:
    mark = "" if ok is None else f"  [{verdict(ok)}]"
    tail = f"   target: {target}" if target else ""
    print(f"  {label:<44} {value:>16}{tail}{mark}", flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: list[float]) -> float:
    return statistics.median(values)


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def retrying(fn, *args, attempts: int = 3):
    """Run a set-up step again when the server cut the connection (the shared
    PostgreSQL also serves fault-injection tests that end backends)."""
    import psycopg
    from django.db import OperationalError, connections

    for attempt in range(1, attempts + 1):
        try:
            return fn(*args)
        except (OperationalError, psycopg.OperationalError) as exc:
            if attempt == attempts:
                raise
            print(f"  (connection cut: {str(exc).splitlines()[0]}; starting again)", flush=True)
            connections.close_all()
            time.sleep(2)
