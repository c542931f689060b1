"""A task whose worker is killed mid-run is handed out again and completes
once, leaving no duplicate (acks_late + reject_on_worker_lost, Redis visibility
timeout). Real worker processes against Redis and the test's PostgreSQL
database; the test makes the task wait mid-run on a PostgreSQL lock it holds,
so the kill lands while the task is running, without timing guesses.

Slow (about 20 s per test): marked celery_worker."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from channels_registry.compliance.engine import registered_rules
from channels_registry.models import Digest, Finding, SweepRun
from nora_social.celery import app
from tests.channels_registry.compliance_support import compliant_account

ROOT = Path(settings.BASE_DIR)


def _wait_for(condition, timeout=45.0, what="condition", output=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}" + (f"\n{output()}" if output else ""))


def _database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return (
        f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


def _conninfo() -> str:
    return _database_url().replace("postgres://", "postgresql://", 1)


class Workers:
    """Start and kill worker processes of this test run, on a queue of its own."""

    def __init__(self, broker_url: str, tmp_path: Path):
        self.broker_url = broker_url
        self.queue = f"nora-faults-{uuid.uuid4().hex[:12]}"
        self.tmp_path = tmp_path
        self.processes: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        n = len(self.processes) + 1
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "nora_social.settings",
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": self.broker_url,
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "FAULTS_VISIBILITY_TIMEOUT": "3",
            "NORA_DEV_FAST_SWEEP": "false",
        }
        log = open(self.tmp_path / f"worker{n}.log", "wb")  # noqa: SIM115 - closed by the process end
        process = subprocess.Popen(  # noqa: S603 - our interpreter, our arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.faults.worker_app",
                "worker",
                "--pool=solo",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}-{n}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def output(self) -> str:
        return "".join(
            (self.tmp_path / f"worker{n}.log").read_text(errors="replace")
            for n in range(1, len(self.processes) + 1)
        )

    def succeeded(self, task_id: str) -> int:
        """How many times a worker reported the task done."""
        return self.output().count(f"[{task_id}] succeeded")

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.kill(process)


@pytest.fixture(name="workers")
def workers_fixture(postgres_only, redis_url, transactional_db, tmp_path):
    old = app.conf.broker_url
    app.conf.broker_url = redis_url
    w = Workers(redis_url, tmp_path)
    yield w
    w.stop_all()
    app.conf.broker_url = old
    client = redis.Redis.from_url(redis_url)
    client.delete(w.queue, f"_kombu.binding.{w.queue}", f"_kombu.binding_permanent.{w.queue}")
    client.close()


def _waiting_backends() -> list[int]:
    """PostgreSQL backends of this database that wait on a lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def _terminate(pids: list[int]) -> None:
    """The killed worker's connections: PostgreSQL would find them dead at the
    next write; end them now so the test does not depend on when."""
    with connection.cursor() as cursor:
        for pid in pids:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


def _pending(broker_url: str, queue: str, task_id: str) -> bool:
    """Whether Redis still holds the message: in the queue or unacknowledged."""
    client = redis.Redis.from_url(broker_url)
    try:
        queued = any(task_id.encode() in m for m in client.lrange(queue, 0, -1))
        unacked = any(task_id.encode() in m for m in client.hvals("unacked"))
        return queued or unacked
    finally:
        client.close()


def _send(name: str, queue: str, **kwargs) -> str:
    result = app.send_task(name, kwargs=kwargs, queue=queue)
    return result.id


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_sweep_whose_worker_is_killed_is_redelivered_and_completes_once(
    workers, org, staff, colleague, platform
):
    accounts = [compliant_account(org["unit"], staff, colleague, platform) for _ in range(3)]
    for account in accounts:
        account.escrow_deposits.update(retired_at=timezone.now())
    first_rule = registered_rules()[0].code

    with psycopg.connect(_conninfo(), autocommit=True) as blocker:
        # The sweep waits on this lock in its first rule, i.e. mid-run.
        blocker.execute("SELECT pg_advisory_lock(hashtext(%s))", [f"compliance:{first_rule}"])
        first = workers.start()
        task_id = _send("channels_registry.tasks.run_compliance_sweep", workers.queue)
        _wait_for(_waiting_backends, what="the sweep to be running")
        stuck = _waiting_backends()
        assert SweepRun.objects.filter(finished_at__isnull=True).count() == 1

        workers.kill(first)
        _terminate(stuck)
        blocker.execute("SELECT pg_advisory_unlock_all()")

    assert _pending(workers.broker_url, workers.queue, task_id)  # not acknowledged
    assert not SweepRun.objects.filter(finished_at__isnull=False).exists()

    workers.start()
    _wait_for(
        lambda: workers.succeeded(task_id),
        what="the redelivered sweep to finish",
        output=workers.output,
    )
    _wait_for(
        lambda: not _pending(workers.broker_url, workers.queue, task_id),
        timeout=10,
        what="the message to be acknowledged",
    )

    finished = SweepRun.objects.filter(finished_at__isnull=False)
    assert finished.count() == 1
    # The interrupted run stays on record as unfinished; the dead man's switch
    # counts only finished runs.
    assert SweepRun.objects.filter(finished_at__isnull=True).count() == 1
    escrow = Finding.objects.filter(rule_code="escrow_missing_or_stale")
    assert escrow.count() == 3
    assert escrow.values("account").distinct().count() == 3
    assert (
        Finding.objects.values("rule_code", "account", "key").distinct().count()
        == Finding.objects.count()
    )
    assert (
        workers.output().count(
            f"Task channels_registry.tasks.run_compliance_sweep[{task_id}] succeeded"
        )
        == 1
    )


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_digest_whose_worker_is_killed_is_redelivered_and_sent_once(
    workers, org, staff, colleague, platform
):
    account = compliant_account(org["unit"], staff, colleague, platform)
    account.escrow_deposits.update(retired_at=timezone.now())
    from channels_registry.compliance.engine import run_sweep

    run_sweep()
    assert Finding.objects.filter(account=account, resolved_at__isnull=True).exists()

    with psycopg.connect(_conninfo()) as blocker:
        # An uncommitted digest row for the owner today: the worker's insert of
        # the same row waits on the unique index, mid-run.
        blocker.execute(
            "INSERT INTO channels_registry_digest (recipient_id, digest_on, sent_at) "
            "VALUES (%s, %s, now())",
            [staff.pk, timezone.localdate()],
        )
        first = workers.start()
        task_id = _send("channels_registry.tasks.send_finding_digests", workers.queue)
        _wait_for(_waiting_backends, what="the digest run to be running")
        stuck = _waiting_backends()

        workers.kill(first)
        _terminate(stuck)
        blocker.rollback()

    assert _pending(workers.broker_url, workers.queue, task_id)
    assert not Digest.objects.exists()
    assert staff.notifications.count() == 0

    workers.start()
    _wait_for(
        lambda: workers.succeeded(task_id),
        what="the redelivered digest run to finish",
        output=workers.output,
    )
    _wait_for(
        lambda: not _pending(workers.broker_url, workers.queue, task_id),
        timeout=10,
        what="the message to be acknowledged",
    )
    assert Digest.objects.filter(recipient=staff).count() == 1
    assert staff.notifications.count() == 1
    output = workers.output()
    assert output.count(f"To: {staff.email}") == 1
    assert (
        output.count(f"Task channels_registry.tasks.send_finding_digests[{task_id}] succeeded") == 1
    )


def test_task_settings_make_redelivery_possible():
    """What the two tests above rely on, for every task."""
    for name in (
        "channels_registry.tasks.run_compliance_sweep",
        "channels_registry.tasks.send_finding_digests",
    ):
        task = app.tasks[name]
        assert task.acks_late and task.reject_on_worker_lost, name
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout")
    if visibility is not None:
        from channels_registry.compliance.tasks import TASK_TIME_LIMIT

        assert visibility > TASK_TIME_LIMIT
