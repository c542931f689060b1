"""Concurrent writes on SQLite (what `make run` serves): four people logging posts
at once while a fifth logs in again and again get no 500 and every row is
written. Without immediate transactions, 9 of the 20 posts failed with
"database is locked".

The suite's own SQLite database is in memory, where these locks never happen,
so the writers run in a subprocess against a fresh, migrated file database (a
copy of the suite's migrated template, tests/migrated.py; tests/sqlite_writers.py),
each writer a process of its own.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.migrated import child_env, copy_sqlite_template

BASE_DIR = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="SQLite's locking; the SQLite pass runs it.",
)


def _run(tmp_path, *argv) -> subprocess.CompletedProcess:
    env = child_env(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "var")
    return subprocess.run(  # noqa: S603 - fixed argv: this interpreter and our scripts
        [sys.executable, *argv],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_parallel_writers_on_a_file_database_all_succeed(tmp_path):
    copy_sqlite_template(tmp_path / "db.sqlite3")

    result = _run(tmp_path, "tests/sqlite_writers.py")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])

    errors = [error for outcome in report["outcomes"] for error in outcome["errors"]]
    assert errors == []
    assert len(report["outcomes"]) == 5
    for outcome in report["outcomes"]:
        # Every login and every post redirects on success; a 500 is the lock.
        assert set(outcome["statuses"]) == {302}, outcome
    assert report["posts"] == report["expected_posts"] == 20

    # Readers do not wait for the writer: the file is in write-ahead-log mode.
    with sqlite3.connect(tmp_path / "db.sqlite3") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
