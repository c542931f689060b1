"""Migrated databases for the suite, made once per state of the migrations.

Migrating an empty database costs about half a minute of one core, nearly all of it
Django rendering model states, and the suite needed one migration per xdist worker
and pass, and one more for each test that writes or restores into a database of its
own (the SQLite writers, the backup round trip). Now each engine's database is
migrated once into a template named by a fingerprint of what the migrations run:
their files, the project modules they import and the locked packages (whose apps
bring migrations too). The workers' test databases and those tests copy the
template: PostgreSQL with ``CREATE DATABASE … TEMPLATE``, SQLite by file copy or,
for the in-memory test database, with SQLite's backup API. Django's ``migrate``
still runs on every copy (a no-op check that sends ``post_migrate``), so a copy
behaves as a freshly migrated database. A changed migration changes the name;
templates of other fingerprints are dropped when a new one is made.

``python -m tests.migrated`` makes both templates at once (``make test`` does it
before the two passes, one core each)."""

from __future__ import annotations

import ast
import fcntl
import functools
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
CACHE_DIR = BASE_DIR / "var" / "test-templates"
PG_PREFIX = "nora_test_template_"
_PROJECT_PACKAGES = (
    "accounts",
    "activity_plans",
    "archive",
    "channels_registry",
    "moderation",
    "nora_social",
)
_CHILD_ENV = ("PATH", "HOME", "LANG", "TMPDIR")


def _migration_files() -> list[Path]:
    return sorted(
        path
        for package in _PROJECT_PACKAGES
        for path in (BASE_DIR / package).rglob("migrations/*.py")
        if ".venv" not in path.parts
    )


def _imported_project_modules(path: Path) -> set[Path]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom) and not node.level
            else []
        )
        for name in names:
            if name.split(".")[0] in _PROJECT_PACKAGES:
                module = BASE_DIR.joinpath(*name.split("."))
                for candidate in (module.with_suffix(".py"), module / "__init__.py"):
                    if candidate.exists():
                        found.add(candidate)
    return found


@functools.cache
def fingerprint() -> str:
    """Read once per process: the migrations do not change during a run."""
    migrations = _migration_files()
    imported = set().union(*(_imported_project_modules(path) for path in migrations))
    digest = hashlib.sha256()
    for path in [*migrations, *sorted(imported), BASE_DIR / "requirements.lock"]:
        digest.update(str(path.relative_to(BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def child_env(database_url: str, var_dir: Path) -> dict[str, str]:
    """The environment of a Django process of the tests' own (development
    settings, no fast sweep) on ``database_url``."""
    env = {name: os.environ[name] for name in _CHILD_ENV if name in os.environ}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "nora_social.settings",
            "PYTHONDONTWRITEBYTECODE": "1",
            "DEBUG": "true",
            "NORA_TESTING": "true",
            "NORA_DEV_FAST_SWEEP": "false",
            "DATABASE_URL": database_url,
            "VAR_DIR": str(var_dir),
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def _migrate(database_url: str, var_dir: Path) -> None:
    result = subprocess.run(  # noqa: S603 - fixed argv: this interpreter and manage.py
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=BASE_DIR,
        env=child_env(database_url, var_dir),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"migrating a template database failed:\n{result.stderr}")


@contextmanager
def _file_lock(name: str):
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with open(CACHE_DIR / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- SQLite -------------------------------------------------------------------


def sqlite_template() -> Path:
    """The migrated SQLite file of this fingerprint, made if missing."""
    name = fingerprint()
    path = CACHE_DIR / f"sqlite-{name}.sqlite3"
    with _file_lock("sqlite"):
        if not path.exists():
            building = CACHE_DIR / f"building-{os.getpid()}"
            shutil.rmtree(building, ignore_errors=True)
            building.mkdir(parents=True)
            _migrate(f"sqlite:///{building / 'db.sqlite3'}", building / "var")
            # The settings put SQLite in WAL mode: whatever the migrating process
            # left in the -wal file goes into the database file before it moves.
            with closing(sqlite3.connect(building / "db.sqlite3")) as migrated:
                migrated.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            for stale in CACHE_DIR.glob("sqlite-*.sqlite3"):
                stale.unlink()
            os.replace(building / "db.sqlite3", path)
            shutil.rmtree(building, ignore_errors=True)
    return path


def copy_sqlite_template(target: Path) -> None:
    """A freshly migrated SQLite file at ``target``."""
    shutil.copyfile(sqlite_template(), target)


def load_sqlite_template(connection) -> None:
    """Replace the content of a Django SQLite connection's database (the
    in-memory test database) with the template's."""
    connection.ensure_connection()
    with closing(sqlite3.connect(sqlite_template())) as source:
        source.backup(connection.connection)


def use_sqlite_template(connection) -> None:
    """Make Django create this connection's test database from the template:
    what ``create_test_db`` does, with a copy in place of the migrations, then
    ``migrate`` (a no-op that sends ``post_migrate``)."""
    from django.conf import settings
    from django.core.management import call_command

    creation = connection.creation

    def create_test_db(verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        test_name = creation._get_test_db_name()
        connection.close()
        settings.DATABASES[connection.alias]["NAME"] = test_name
        connection.settings_dict["NAME"] = test_name
        if connection.is_in_memory_db():
            load_sqlite_template(connection)
        else:
            Path(test_name).unlink(missing_ok=True)
            copy_sqlite_template(Path(test_name))
        call_command("migrate", verbosity=0, interactive=False, database=connection.alias)
        if serialize:
            connection._test_serialized_contents = creation.serialize_db_to_string()
        connection.ensure_connection()
        return test_name

    creation.create_test_db = create_test_db


# --- PostgreSQL -----------------------------------------------------------------


def _admin(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
    )


def _server_url(settings_dict: dict) -> str:
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}"


def pg_template(server_url: str) -> str:
    """The name of the migrated PostgreSQL template of this fingerprint, made if
    missing (under an advisory lock, so concurrent runs make it once)."""
    name = PG_PREFIX + fingerprint()
    with closing(_admin(server_url)) as admin:
        admin.execute("SELECT pg_advisory_lock(hashtext('nora_test_template'))")
        try:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if exists.fetchone() is None:
                building = f"{name}_building"
                admin.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{building}"')
                _migrate(f"{server_url}/{building}", CACHE_DIR / "pg-var")
                admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
                stale = admin.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                    [PG_PREFIX + "%", name],
                ).fetchall()
                for (old,) in stale:
                    admin.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
        finally:
            admin.execute("SELECT pg_advisory_unlock(hashtext('nora_test_template'))")
    return name


def use_pg_template(settings_dict: dict) -> None:
    settings_dict.setdefault("TEST", {})["TEMPLATE"] = pg_template(_server_url(settings_dict))


def fresh_pg_database(settings_dict: dict, name: str) -> str:
    """A freshly migrated database ``name``, copied from the template; its URL."""
    server = _server_url(settings_dict)
    template = pg_template(server)
    with closing(_admin(server)) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return f"{server}/{name}"


def drop_pg_database(settings_dict: dict, name: str) -> None:
    with closing(_admin(_server_url(settings_dict))) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    """Both templates at once, each migrated by a process of its own."""
    from concurrent.futures import ThreadPoolExecutor

    url = os.environ.get("TEST_DATABASE_URL", "")
    jobs = [sqlite_template]
    if url.startswith("postgres"):
        parts = urlsplit(url)
        jobs.append(lambda: pg_template(f"{parts.scheme}://{parts.netloc}"))
    with ThreadPoolExecutor(len(jobs)) as pool:
        for future in [pool.submit(job) for job in jobs]:
            print(f"migrated template: {future.result()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
