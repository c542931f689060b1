"""Benchmark 5: account snapshots (a PDF/A-2b per account) through a Celery worker.

Target (issue 7): 1,000 accounts, each snapshot with 5 screenshots (1280×2000
PNG), 50 moderation actions and 20 questions, through a real Celery worker at
concurrency 2: median ≤ 0.5 s per PDF, and the worker's processes together
≤ 600 MB peak resident memory.

Data (bench/snapshots_data.py, fixed seed, never committed): the accounts of
bench/data.py, each with 50 moderation actions, 20 questions and a queued yearly
request whose 5 screenshot rows share 5 PNGs drawn once: each PDF embeds all 5.

A real worker (`celery -A nora_social worker --pool prefork --concurrency 2`,
broker Redis db 14, a queue of its own) makes them. The time per PDF is Celery's
own runtime of each task ("succeeded in N s" in the worker log); the memory is the
sum of VmRSS over the worker's main process and its children, sampled every
100 ms (shared pages are counted once per process, so this is an upper bound;
the proportional share, PSS, is printed beside it).

Run: python bench/snapshots.py [--scale 0.05] [--profile]"""

import argparse
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    ROOT,
    fresh_database,
    heading,
    line,
    median,
    percentile,
    retrying,
)
from bench.snapshots_data import (  # noqa: E402
    ACTIONS,
    HEIGHT,
    QUESTIONS,
    SCREENSHOTS,
    WIDTH,
    make_data,
)

DB = "nora_bench_snapshots"
ACCOUNTS = 1000
QUEUE = "bench-snapshots"
WORK_DIR = ROOT / "var" / "bench" / "snapshots"
MEDIA = WORK_DIR / "media"
LOG = WORK_DIR / "worker.log"

MEDIAN_TARGET = 0.5
RSS_TARGET_MB = 600


# --- Worker and memory ----------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name may hold spaces: the fields after its closing paren.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry))
    return found


def _kb(path: str, field: str) -> int:
    try:
        with open(path) as handle:
            for row in handle:
                if row.startswith(field):
                    return int(row.split()[1])
    except OSError:
        pass
    return 0


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of one process so far."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class MemorySampler(threading.Thread):
    """Every 100 ms: VmRSS (and PSS) summed over a process and its children, and
    the CPU time each has used (the last value seen, so an exited child counts)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_rss = self.peak_pss = 0
        self.peak_processes = 0
        self.peak_parts: list[int] = []
        self.cpu: dict[int, float] = {}
        self.stop = threading.Event()

    def sample(self) -> None:
        pids = [self.pid, *_children(self.pid)]
        parts = [_kb(f"/proc/{p}/status", "VmRSS:") for p in pids]
        rss = sum(parts)
        pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids)
        if rss > self.peak_rss:
            self.peak_rss, self.peak_processes, self.peak_parts = rss, len(pids), parts
        self.peak_pss = max(self.peak_pss, pss)
        for p in pids:
            seconds = _cpu_seconds(p)
            if seconds is not None:
                self.cpu[p] = seconds

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(0.1)


def start_worker(concurrency: int, max_tasks: int | None) -> subprocess.Popen:
    cmd = [
        str(Path(sys.executable).parent / "celery"),
        "-A",
        "nora_social",
        "worker",
        "--pool",
        "prefork",
        "--concurrency",
        str(concurrency),
        "--queues",
        QUEUE,
        "--loglevel",
        "INFO",
        "--logfile",
        str(LOG),
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--hostname",
        f"bench-snapshots-{os.getpid()}@%h",
    ]
    if max_tasks:
        cmd += ["--max-tasks-per-child", str(max_tasks)]
    out = (WORK_DIR / "worker.out").open("wb")
    worker = subprocess.Popen(  # noqa: S603
        cmd, cwd=ROOT, env=dict(os.environ), start_new_session=True, stdout=out, stderr=out
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if LOG.exists() and "ready." in LOG.read_text(errors="replace"):
            return worker
        if worker.poll() is not None:
            raise RuntimeError(f"the worker stopped at start (exit {worker.returncode}); see {LOG}")
        time.sleep(0.2)
    raise RuntimeError(f"the worker did not start within 60 s; see {LOG}")


def _loadavg() -> str:
    with open("/proc/loadavg") as handle:
        return handle.read().split()[0]


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


TASK_LINE = re.compile(
    r"/(\w+-\d+)\] Task archive\.tasks\.make_snapshot\[[^\]]+\] succeeded in ([\d.]+)s"
)


def task_seconds() -> tuple[list[float], list[float], int, int]:
    """Every task's runtime, and each child's first task's (a child that
    starts cold pays for its imports, fonts and connection there)."""
    text = LOG.read_text(errors="replace")
    seconds, first, seen = [], [], set()
    for child, runtime in TASK_LINE.findall(text):
        seconds.append(float(runtime))
        if child not in seen:
            seen.add(child)
            first.append(float(runtime))
    retries = len(re.findall(r"make_snapshot\[[^\]]+\] retry", text))
    failures = len(re.findall(r"make_snapshot\[[^\]]+\] raised", text))
    return seconds, first, retries, failures


# --- Checks of the output -------------------------------------------------------


def check_sample(sample: int) -> dict:
    """A spread of the snapshots: hash matches the file, pikepdf's PDF/A-2b
    validator finds no violation, and each PDF embeds its 5 screenshots."""
    import pikepdf

    from archive.models import Snapshot
    from archive.snapshots import rendering as snapshot_rendering

    rows = list(Snapshot.objects.order_by("pk"))
    step = max(1, len(rows) // max(1, sample))
    checked = hashes_ok = valid = embedded = 0
    sizes = []
    for snapshot in rows[::step][:sample]:
        with snapshot.pdf.open("rb") as handle:
            data = handle.read()
        sizes.append(len(data))
        checked += 1
        hashes_ok += hashlib.sha256(data).hexdigest() == snapshot.sha256
        report = snapshot_rendering.check_pdfa(data)
        valid += report.passed and not report.violations
        with pikepdf.open(io.BytesIO(data)) as pdf:
            images = {
                (obj.objgen)
                for obj in pdf.objects
                if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
            }
            big = [
                o
                for o in pdf.objects
                if isinstance(o, pikepdf.Stream)
                and o.get("/Subtype") == "/Image"
                and int(o.get("/Width", 0)) == WIDTH
                and int(o.get("/Height", 0)) == HEIGHT
            ]
        embedded += len(big) == SCREENSHOTS and len(images) >= SCREENSHOTS
    return {
        "checked": checked,
        "hashes": hashes_ok,
        "valid": valid,
        "embedded": embedded,
        "sizes": sizes,
        "total": len(rows),
    }


# --- Profile of one snapshot in-process ------------------------------------------


def profile_one(request_id: int, actor_id: int) -> None:
    import cProfile
    import pstats

    from archive.snapshots import services as snapshots

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    snapshots.snapshot_render(request_id=request_id, actor_id=actor_id)
    profiler.disable()
    print(f"  one snapshot in-process: {time.perf_counter() - started:.2f} s (under cProfile)")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


# --- Main -----------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="share of 1,000 accounts")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument(
        "--max-tasks-per-child",
        type=int,
        default=None,
        help="passed to the worker (default: CELERY_WORKER_MAX_TASKS_PER_CHILD)",
    )
    parser.add_argument("--sample", type=int, default=20, help="PDFs to validate after")
    parser.add_argument("--profile", action="store_true", help="profile one snapshot, no worker")
    args = parser.parse_args()
    n = max(1, round(ACCOUNTS * args.scale))

    heading(
        f"Snapshots: {n:,} accounts × {SCREENSHOTS} screenshots {WIDTH}×{HEIGHT} PNG, "
        f"{ACTIONS} moderation actions, {QUESTIONS} questions; Celery worker at "
        f"concurrency {args.concurrency}"
    )
    shutil.rmtree(WORK_DIR, ignore_errors=True)
    MEDIA.mkdir(parents=True)
    os.environ["MEDIA_ROOT"] = str(MEDIA)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    fresh_database(DB)
    started = time.perf_counter()
    data = retrying(make_data, n)
    from django.db import connection, connections

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"  data made in {time.perf_counter() - started:.0f} s; screenshots "
        + ", ".join(f"{s / 1e6:.1f}" for s in data["png_sizes"])
        + " MB (PNG)"
    )
    if args.profile:
        profile_one(*data["jobs"][0])
        return 0

    from archive.models import Snapshot, SnapshotRequest
    from archive.snapshots.tasks import make_snapshot
    from nora_social.celery import app

    connections.close_all()
    with app.connection_for_write() as conn:
        app.amqp.queues[QUEUE].bind(conn).purge()
    worker = start_worker(args.concurrency, args.max_tasks_per_child)
    sampler = MemorySampler(worker.pid)
    sampler.start()
    try:
        idle_rss = sum(
            _kb(f"/proc/{p}/status", "VmRSS:") for p in [worker.pid, *_children(worker.pid)]
        )
        sampler.sample()
        cpu_before = sum(sampler.cpu.values())
        load_before = _loadavg()
        started = time.perf_counter()
        for request_id, actor_id in data["jobs"]:
            make_snapshot.apply_async(args=[request_id, actor_id], queue=QUEUE)
        # Done when every request is; a stuck one shows as a time-out, not a hang.
        deadline = time.monotonic() + max(600, 10 * n)
        remaining = n
        while time.monotonic() < deadline:
            remaining = SnapshotRequest.objects.exclude(status=SnapshotRequest.Status.DONE).count()
            if remaining == 0:
                break
            if worker.poll() is not None:
                print(f"  the worker stopped (exit {worker.returncode}); see {LOG}")
                break
            time.sleep(0.25)
        wall = time.perf_counter() - started
        sampler.sample()
        cpu_used = sum(sampler.cpu.values()) - cpu_before
        load_after = _loadavg()
    finally:
        sampler.stop.set()
        sampler.join()
        stop_worker(worker)

    seconds, first, retries, failures = task_seconds()
    made = Snapshot.objects.count()
    checks = check_sample(args.sample)
    from django.conf import settings

    per_child = args.max_tasks_per_child or settings.CELERY_WORKER_MAX_TASKS_PER_CHILD
    print(
        f"  worker: prefork, concurrency {args.concurrency}, a child replaced after "
        f"{per_child or 'no limit of'} tasks (CELERY_WORKER_MAX_TASKS_PER_CHILD)"
    )
    print(
        f"  {made:,} of {n:,} snapshots made in {wall:.1f} s wall "
        f"({made / wall if wall else 0:.2f} PDFs/s); retries {retries}, failures {failures}; "
        f"worker idle {idle_rss / 1024:.0f} MB RSS"
    )
    print(
        f"  worker CPU {cpu_used / max(made, 1):.3f} s per PDF (user + system, all its "
        f"processes, {os.cpu_count()} CPUs); machine load average {load_before} at the "
        f"start, {load_after} at the end (others' work on the same cores lengthens each PDF)"
    )
    if checks["sizes"]:
        print(
            f"  checked {checks['checked']} PDFs: SHA-256 matches {checks['hashes']}, "
            f"PDF/A-2b with no violations {checks['valid']}, 5 screenshots at full size "
            f"embedded {checks['embedded']}; median PDF {median(checks['sizes']) / 1e6:.1f} MB"
        )
    if not seconds:
        line("median seconds per PDF", "none measured", f"≤ {MEDIAN_TARGET} s", False)
        return 1
    med = median(seconds)
    line("PDFs measured (task runtime from the worker)", f"{len(seconds):,}")
    line("median seconds per PDF", f"{med:.3f}", f"≤ {MEDIAN_TARGET} s", med <= MEDIAN_TARGET)
    line("95th percentile seconds per PDF", f"{percentile(seconds, 0.95):.3f}")
    line("slowest PDF, seconds", f"{max(seconds):.3f}")
    line(
        f"each child's first PDF, seconds ({len(first)} children)",
        " ".join(f"{s:.2f}" for s in first),
    )
    peak = sampler.peak_rss / 1024
    parent_kb, *children_kb = sampler.peak_parts or [0]
    print(
        f"  at the peak: parent {parent_kb / 1024:.0f} MB RSS, children "
        + " + ".join(f"{kb / 1024:.0f}" for kb in children_kb)
        + " MB"
    )
    line(
        f"peak RSS, worker + children ({sampler.peak_processes} processes), MB",
        f"{peak:.0f}",
        f"≤ {RSS_TARGET_MB} MB",
        peak <= RSS_TARGET_MB,
    )
    line("peak PSS (shared pages split), MB", f"{sampler.peak_pss / 1024:.0f}")
    all_ok = (
        made == n
        and failures == 0
        and checks["valid"] == checks["checked"]
        and checks["hashes"] == checks["checked"]
        and checks["embedded"] == checks["checked"]
    )
    line("all made, sample valid and complete", "yes" if all_ok else "no", "yes", all_ok)
    return 0


if __name__ == "__main__":
    sys.exit(main())
