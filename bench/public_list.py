"""Benchmark 1: the public list (/konton.json, /konton/) under load.

2,000 active accounts in 10 administrations; gunicorn with 2 workers on
loopback; wrk with 1 thread and 8 connections. The baseline is a view in
bench/urls.py that returns a precomputed body of the same size through the same
middleware, measured in the same run. A conditional request must be answered
304 without rendering: checked in-process (template renders counted) and under
load. Run: python bench/public_list.py [--accounts N] [--seconds S]"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, fresh_database, heading, line  # noqa: E402

DB = "nora_bench_public"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, seconds: int, headers: dict | None = None) -> dict:
    cmd = ["wrk", "-t1", "-c8", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    for k, v in (headers or {}).items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    p50 = re.search(r"50%\s+([\d.]+\w+)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "rps": rps,
        "errors": (int(non2xx.group(1)) if non2xx else 0),
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "none",
        "p50": p50.group(1) if p50 else "?",
        "requests": total,
    }


def in_process_checks() -> dict:
    """The 304 path, in-process: template renders and queries for a conditional
    request, against a full request."""
    from django.db import connection
    from django.test import Client
    from django.test.signals import template_rendered
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # makes render() send template_rendered
    rendered: list[str] = []

    def on_render(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(on_render, weak=False)
    client = Client()
    result = {}
    for path in ("/konton.json", "/konton/"):
        client.get(path)  # a first visit: the page sets its CSRF cookie (part of its ETag)
        rendered.clear()
        with CaptureQueriesContext(connection) as full_q:
            full = client.get(path)
        full_renders = len(rendered)
        etag = full["ETag"]
        rendered.clear()
        with CaptureQueriesContext(connection) as cond_q:
            cond = client.get(path, HTTP_IF_NONE_MATCH=etag)
        result[path] = {
            "size": len(full.content),
            "body": full.content,
            "status": full.status_code,
            "etag": etag,
            "full_renders": full_renders,
            "full_queries": len(full_q),
            "cond_status": cond.status_code,
            "cond_renders": len(rendered),
            "cond_queries": len(cond_q),
            "cookie": client.cookies.get("csrftoken").value
            if client.cookies.get("csrftoken")
            else "",
        }
    return result


def change_reaches_both_workers(base: str) -> tuple[bool, int]:
    """Save an account here (another process, as an editor's worker would be),
    then ask the server straight away, 8 requests at once so both workers
    answer: every answer must already have the change. Returns that and how
    many workers answered (bench.urls.worker_pid names them)."""
    from concurrent.futures import ThreadPoolExecutor

    from channels_registry.models import SocialAccount

    account = SocialAccount.objects.filter(status=SocialAccount.Status.ACTIVE).first()
    account.display_name = f"{account.display_name} (ändrad)"
    account.save()

    def fetch(_):
        with urllib.request.urlopen(f"{base}/konton.json", timeout=30) as r:  # noqa: S310
            return account.display_name in r.read().decode(), r.headers["X-Bench-Worker"]

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(fetch, range(8)))
    return all(seen for seen, _ in answers), len({pid for _, pid in answers})


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk (make bench installs it as root)")
        return 2

    heading(f"Public list: {args.accounts} active accounts in 10 administrations")
    fresh_database(DB)
    from bench.data import make_accounts

    make_accounts(args.accounts)
    from channels_registry.public.cache import public_list_changed

    public_list_changed()  # bulk inserts skip save(), so they say so themselves
    checks = in_process_checks()
    body_dir = ROOT / "var" / "bench"
    body_dir.mkdir(parents=True, exist_ok=True)
    (body_dir / "baseline-json").write_bytes(checks["/konton.json"]["body"])
    (body_dir / "baseline-html").write_bytes(checks["/konton/"]["body"])

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "nora_social.wsgi",
            "--env",
            "DJANGO_SETTINGS_MODULE=bench.settings",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=dict(os.environ),
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/konton.json", timeout=5).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        # Warm both workers (templates, connections, caches) before measuring.
        for path in ("/konton.json", "/konton/", "/bench-baseline/json", "/bench-baseline/html"):
            wrk(f"{base}{path}", 2)
        results = {}
        for label, path in [
            ("json", "/konton.json"),
            ("json baseline", "/bench-baseline/json"),
            ("html", "/konton/"),
            ("html baseline", "/bench-baseline/html"),
        ]:
            results[label] = wrk(f"{base}{path}", args.seconds)
        # Conditional requests under load, with the ETag (and, for the page,
        # the CSRF cookie it was issued with) a browser would send back.
        with urllib.request.urlopen(f"{base}/konton.json") as r:  # noqa: S310
            json_etag = r.headers["ETag"]
        results["json 304"] = wrk(f"{base}/konton.json", args.seconds, {"If-None-Match": json_etag})
        change_seen = change_reaches_both_workers(base)
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)

    print(f"  gunicorn 2 workers, wrk 1 thread 8 connections {args.seconds} s each")
    for path in ("/konton.json", "/konton/"):
        c = checks[path]
        print(
            f"  {path}: {c['status']}, {c['size']:,} bytes; a warm 200 costs {c['full_queries']} queries, "
            f"{c['full_renders']} template renders; If-None-Match → {c['cond_status']}, "
            f"{c['cond_queries']} queries, {c['cond_renders']} template renders"
        )
    for kind in ("json", "html"):
        got, base_rps = results[kind]["rps"], results[f"{kind} baseline"]["rps"]
        line(f"{kind}: requests/s (p50 {results[kind]['p50']})", f"{got:,.0f}")
        line(
            f"{kind}: baseline requests/s (p50 {results[kind + ' baseline']['p50']})",
            f"{base_rps:,.0f}",
        )
        share = got / base_rps if base_rps else 0.0
        line(f"{kind}: share of baseline", f"{share:.0%}", "≥ 50 %", share >= 0.5)
    line("json 304: requests/s", f"{results['json 304']['rps']:,.0f}")
    errors = sum(r["errors"] for r in results.values())
    socket_errors = [r["socket_errors"] for r in results.values() if r["socket_errors"] != "none"]
    no_render = all(
        checks[p]["cond_status"] == 304 and checks[p]["cond_renders"] == 0
        for p in ("/konton.json", "/konton/")
    )
    line(
        f"a change: new list from all {change_seen[1]} workers at once",
        "yes" if change_seen[0] else "no",
        "yes",
        change_seen[0],
    )
    line("304 without rendering", "yes" if no_render else "no", "yes", no_render)
    line(
        "errors (non-2xx/3xx, socket)",
        f"{errors}, {'; '.join(socket_errors) or 'none'}",
        "0",
        errors == 0 and not socket_errors,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
