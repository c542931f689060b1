"""Shared fixtures: services, personas and clients.

Personas (healthchecks' Alice/Bob/Charlie): an org with one administration and
two units; one person per role; ``outsider`` works in the other unit and
should have no access to the first unit's accounts.
"""

import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

from tests.factories import (
    AdministrationFactory,
    BlockedAbbreviationFactory,
    PlatformFactory,
    PolicyVersionFactory,
    SubstituteFactory,
    UnitFactory,
    UserFactory,
)

IN_CI = os.environ.get("CI", "").lower() == "true"


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


def service_or_skip(name: str, url: str, default_port: int) -> None:
    """A service that is not running is a skip on a developer's machine and a
    failure under CI (CI=true)."""
    if _reachable(url, default_port):
        return
    message = f"{name} is not running at {url}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: services must run)")
    pytest.skip(message)


# The SQLite pass of `make test` runs only what behaves differently by backend;
# the PostgreSQL pass runs everything. A module belongs here when its code path
# branches on the database: search (FTS5 and Swedish normalisation against
# PostgreSQL's ispell + snowball), triggers and constraints (append-only
# decisions), locks and sequences (numbering, concurrent writes), raw SQL (the
# sweep, backups, the health page), and the demo path `make run` serves
# (seed_demo, the worker on SQLite's shared-cache test database).
BOTH_BACKENDS = (
    "tests/archive/test_search",
    "tests/archive/test_numbering.py",
    "tests/archive/test_demo.py",
    "tests/moderation/test_demo.py",
    "tests/test_seed_demo.py",
    "tests/activity_plans/test_decision_immutable.py",
    "tests/activity_plans/test_plan_disposal.py",
    "tests/channels_registry/test_sweep_idempotent.py",
    "tests/channels_registry/test_sweep_queries.py",
    "tests/channels_registry/test_health_page.py",
    "tests/channels_registry/test_celery_worker.py",
    "tests/archive/test_snapshot_worker.py",
    "tests/security/test_backup_restore.py",
    "tests/test_sqlite_concurrency.py",
    "tests/test_error_pages.py",
    # The webhook stores a delivery with a raw INSERT ... ON CONFLICT.
    "tests/moderation/capture/test_webhook.py",
    # ... through the WSGI application `make run` and gunicorn serve.
    "tests/moderation/capture/test_webhook_wsgi.py",
)


def pytest_configure(config):
    # Tests serve static files from the apps' folders (finders), never from
    # STATIC_ROOT; WhiteNoise warns on every request while that folder is missing.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


def pytest_collection_modifyitems(config, items):
    root = str(config.rootpath)
    for item in items:
        relative = str(item.path)[len(root) + 1 :]
        if relative.startswith(BOTH_BACKENDS):
            item.add_marker(pytest.mark.both_backends)
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        db = settings.DATABASES["default"]
        url = f"postgres://{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
        if not _reachable(url, 5432):
            if IN_CI:
                raise pytest.UsageError(f"PostgreSQL is not running at {url} (CI=true)")
            skip = pytest.mark.skip(reason=f"PostgreSQL is not running at {url}")
            for item in items:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def published_policy(request):
    """The policy (§12) is published in every test with a database, as it is in
    production, so the gate is on; persona fixtures and ``UserFactory`` people
    acknowledge it by default. ``@pytest.mark.no_policy`` runs a test before any
    policy is published. The publisher is an inactive account of its own, so it
    appears in no list of people."""
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not uses_db or request.node.get_closest_marker("no_policy") is not None:
        return None
    request.getfixturevalue("transactional_db" if _transactional(request) else "db")
    from accounts.models import PolicyVersion

    # A world built once per module (tests/security) publishes it before its people.
    existing = PolicyVersion.objects.order_by("-number").first()
    if existing is not None:
        return existing
    return PolicyVersionFactory(
        published_by=UserFactory(username="policy_publisher", is_active=False, acknowledged=False)
    )


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    ):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture
def redis_url():
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis"):
        url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    service_or_skip("Redis", url, 6379)
    return url


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """pytest-django's (a database per xdist worker), created from the migrated
    template of tests/migrated.py instead of by migrating an empty one."""
    from django.db import connections

    from tests import migrated

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        migrated.use_pg_template(connections["default"].settings_dict)
    else:
        migrated.use_sqlite_template(connections["default"])


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, and before the test database is dropped, every other
    session on it is ended. Threads the tests start (a live server, a Celery
    worker) keep connections of their own, which Django closes only in the thread
    that opened them; one still open at the end made PostgreSQL refuse the drop
    ("is being accessed by other users") and leave the database behind."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_public_list_cache():
    """The public list's stamp and bodies outlive a test in this process's
    memory; each test's database starts over, so must they."""
    from channels_registry.public.cache import forget

    forget()


@pytest.fixture(autouse=True)
def _fresh_shared_memory_cache():
    """Without CACHE_URL the "shared" cache is this process's memory, where the
    public forms' per-client counts would carry over from one test to the next."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    shared = caches["shared"]
    if isinstance(shared, LocMemCache):
        shared.clear()


@pytest.fixture
def mailoutbox_sv(mailoutbox):
    return mailoutbox


@pytest.fixture
def platform(db):
    return PlatformFactory(slug="facebook", name="Facebook")


@pytest.fixture
def instagram(db):
    return PlatformFactory(slug="instagram", name="Instagram", requires_public_without_login=False)


@pytest.fixture
def blocklist(db):
    return [BlockedAbbreviationFactory(term=t) for t in ("norakm", "nkommun")]


@pytest.fixture
def org(db):
    """One administration (KS) with two units, each with its manager."""
    head = UserFactory(
        username="forvaltningschef",
        first_name="Frida",
        last_name="Förvaltning",
        roles=["forvaltningschef"],
    )
    administration = AdministrationFactory(
        name="Kommunstyrelseförvaltningen", register_series="KS", head=head
    )
    manager = UserFactory(username="chef", first_name="Carl", last_name="Chef", roles=["chef"])
    unit = UnitFactory(administration=administration, name="Kommunikation", manager=manager)
    other_manager = UserFactory(
        username="annan_chef", first_name="Anna", last_name="Annanchef", roles=["chef"]
    )
    other_unit = UnitFactory(
        administration=AdministrationFactory(
            name="Barn- och utbildningsförvaltningen", register_series="BUN"
        ),
        name="Skolan",
        manager=other_manager,
    )
    head.unit = unit
    head.save()
    manager.unit = unit
    manager.save()
    other_manager.unit = other_unit
    other_manager.save()
    return {
        "administration": administration,
        "unit": unit,
        "other_unit": other_unit,
        "manager": manager,
        "head": head,
        "other_manager": other_manager,
    }


@pytest.fixture
def staff(org):
    return UserFactory(
        username="medarbetare",
        first_name="Maja",
        last_name="Medarbetare",
        unit=org["unit"],
        roles=["medarbetare"],
    )


@pytest.fixture
def colleague(org):
    return UserFactory(
        username="kollega",
        first_name="Kalle",
        last_name="Kollega",
        unit=org["unit"],
        roles=["medarbetare"],
    )


@pytest.fixture
def outsider(org):
    """Staff in another unit: should see nothing of the first unit's accounts."""
    return UserFactory(
        username="utomstaende",
        first_name="Olle",
        last_name="Utomstående",
        unit=org["other_unit"],
        roles=["medarbetare"],
    )


@pytest.fixture
def manager(org):
    return org["manager"]


@pytest.fixture
def head(org):
    return org["head"]


@pytest.fixture
def info_officer(org):
    return UserFactory(
        username="kommunchef",
        first_name="Klara",
        last_name="Kommunchef",
        unit=org["unit"],
        roles=["kommunchef"],
    )


@pytest.fixture
def info_deputy(org, info_officer):
    deputy = UserFactory(
        username="kommunchef_ersattare",
        first_name="Disa",
        last_name="Deputy",
        unit=org["unit"],
        roles=["medarbetare"],
    )
    SubstituteFactory(scope="role", role="kommunchef", person=deputy)
    return deputy


@pytest.fixture
def registrar(org):
    return UserFactory(
        username="registrator", first_name="Rut", last_name="Registrator", roles=["registrator"]
    )


@pytest.fixture
def security_coordinator(org):
    return UserFactory(
        username="sakerhetssamordnare",
        first_name="Sam",
        last_name="Säkerhet",
        roles=["sakerhetssamordnare"],
    )


@pytest.fixture
def client_for(client):
    """``client_for(user)`` logs a fresh test client in as that person."""
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make
