"""Benchmark: captured content at scale (issue 17, "Speed and scale").

Generates captured objects for N accounts over 5 years (``--scale`` 1.0 =
10,000,000 objects on 500 accounts; accounts of 50× different sizes, 20,000
objects on average as at full scale) with their versions chained per account,
content, the Meta accounts' raw webhook events and each object's register
entry (``bench/capture_scale_data.py``; every captured object registered, the
most the register can hold of them), then measures:

1. An account's timeline page as the view runs it (pages read by key: the
   newest page, one halfway down, the oldest, and a date halfway), on the
   smallest and the largest account: through the test client with the
   information officer logged in (median/p95 and queries per page, which must
   be equal on both), and the selector alone.
2. The register search with the captured objects in it, as the search page
   runs it (``SearchPaginator``): 60 fixed queries (rare, common, two-word)
   with an administration and a date range, by date and by relevance, against
   the register's targets; and the subject's words (``kommentar``...) that match
   most captured objects, reported apart.
3. Table sizes per million objects, and with ``--explain`` EXPLAIN ANALYZE of
   the hot queries.

Run: python bench/capture_scale.py [--scale 0.1] [--keep] [--explain]"""

import argparse
import datetime
import sys
import time
from multiprocessing import Pool
from multiprocessing.pool import ThreadPool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import capture_scale_data as data  # noqa: E402
from bench import search_data  # noqa: E402
from bench.common import (  # noqa: E402
    PG,
    _db_exists,
    fresh_database,
    heading,
    line,
    median,
    percentile,
    use_database,
)

DB = "nora_bench_capture_scale"
TABLES = [
    "moderation_capturedobject",
    "moderation_capturedversion",
    "moderation_capturedcontent",
    "moderation_rawevent",
    "moderation_raweventprocessed",
    "archive_document",
    "archive_historicaldocument",
]


def setup(n_accounts: int) -> list[dict]:
    """Accounts (bench.data), a connection each, a registrar, the collective
    cases of each account and year. Returns what the workers need per account."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from accounts.models import User
    from accounts.roles import ensure_role_groups
    from archive.models import Case, CaseCounter
    from bench.data import make_accounts
    from channels_registry.connections.models import PlatformConnection
    from moderation.capture.models import CapturedObject

    made = make_accounts(n_accounts)
    accounts, users = made["accounts"], made["users"]
    ensure_role_groups()
    registrar = User.objects.create(username="registrator", password="!")  # noqa: S106
    registrar.groups.add(Group.objects.get(name="registrator"))
    connections = PlatformConnection.objects.bulk_create(
        PlatformConnection(
            account=a,
            kind=data.CONNECTOR[a.platform.slug][0],
            external_id=f"1048576{i:05d}",
            external_name=a.display_name,
            access_token="-",  # noqa: S106 - never used
            connected_by=users[2 * i],
            health=PlatformConnection.Health.OK,
        )
        for i, a in enumerate(accounts)
    )
    years = range(data.START.year, data.END.year + 1)
    counters: dict[tuple[str, int], int] = {}
    cases = []
    for a in accounts:
        admin = a.unit.administration
        for year in years:
            key = (admin.register_series, year)
            counters[key] = counters.get(key, 0) + 1
            cases.append(
                Case(
                    administration=admin,
                    series=admin.register_series,
                    year=year,
                    number=counters[key],
                    title=f"Sociala medier: {a.display_name}, handlingar {year}",
                    account=a,
                    is_collective=True,
                    opened_on=datetime.date(year, 1, 1),
                    opened_by=registrar,
                )
            )
    cases = Case.objects.bulk_create(cases)
    CaseCounter.objects.bulk_create(
        CaseCounter(series=s, year=y, last_number=n) for (s, y), n in counters.items()
    )
    by_account: dict[int, dict[int, int]] = {}
    for c in cases:
        by_account.setdefault(c.account_id, {})[c.year] = c.pk
    with connection.cursor() as cursor:
        cursor.execute("CREATE UNLOGGED TABLE bench_case_numbers (case_id bigint, last_number int)")
    data.SHARED["record_type_id"] = ContentType.objects.get_for_model(CapturedObject).pk
    data.SHARED["registrar_id"] = registrar.pk
    sizes = data.account_sizes(n_accounts, data.SHARED["n_objects"])
    out, first_id = [], 1
    for i, (a, conn, n) in enumerate(zip(accounts, connections, sizes, strict=True)):
        out.append(
            {
                "id": a.pk,
                "n": n,
                "first_id": first_id,
                "connection_id": conn.pk,
                "external_id": conn.external_id,
                "platform": conn.kind,
                "platform_label": data.CONNECTOR[a.platform.slug][1],
                "display_name": a.display_name,
                "administration_id": a.unit.administration_id,
                "cases": by_account[a.pk],
                "owner_id": users[2 * i].pk,
            }
        )
        first_id += n
    return out


def load(n_accounts: int, n_objects: int, registered: float, raw_share: float) -> None:
    from django.db import connection

    started = time.perf_counter()
    data.SHARED.update(n_objects=n_objects, registered=registered, raw_share=raw_share)
    forms = search_data.vocabulary()
    data.SHARED["forms"] = forms
    data.SHARED["cum"] = search_data.zipf_cum_weights(len(forms))
    data.SHARED["names"] = [(f, la) for f in search_data.FIRST for la in search_data.LAST]
    accounts = setup(n_accounts)
    labels = sorted({a["platform_label"] for a in accounts})
    with connection.cursor() as cursor:
        data.SHARED["lex"] = search_data.lexemes_of(cursor, forms + search_data.name_words())
        data.SHARED["subjects"] = data.subject_vectors(cursor, labels)
        # Secondary indexes are built once after the load (as migrations
        # define them), not row by row; primary keys and unique ones stay.
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c "
            "ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid "
            "WHERE i.tablename = ANY(%s) AND NOT x.indisunique",
            [TABLES],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    connection.close()
    prepared = time.perf_counter()
    dsn = f"{PG}/{DB}"
    work = [(dsn, a) for a in sorted(accounts, key=lambda a: -a["n"])]
    totals = [0, 0, 0, 0]
    next_report = 0.1
    with Pool(2) as pool:
        for result in pool.imap_unordered(data.generate_account, work):
            totals = [t + r for t, r in zip(totals, result, strict=True)]
            if totals[0] >= next_report * n_objects:
                elapsed = time.perf_counter() - prepared
                print(
                    f"  {totals[0]:,} objects in {elapsed:.0f} s ({totals[0] / elapsed:,.0f}/s)",
                    flush=True,
                )
                next_report += 0.1
    copied = time.perf_counter()

    def run(sql: str) -> None:
        import psycopg

        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '512MB'")
            conn.execute(sql)

    with ThreadPool(2) as pool:
        pool.map(run, [definition for _, definition in indexes])
    indexed = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE archive_case c SET last_document_number = n.last_number "
            "FROM bench_case_numbers n WHERE n.case_id = c.id"
        )
        cursor.execute("DROP TABLE bench_case_numbers")
        for table, column in [
            ("moderation_capturedobject", "id"),
            ("moderation_capturedversion", "id"),
            ("moderation_capturedcontent", "id"),
            ("moderation_rawevent", "id"),
            ("moderation_raweventprocessed", "id"),
            ("archive_document", "id"),
            ("archive_historicaldocument", "history_id"),
        ]:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "  # noqa: S608
                f"(SELECT coalesce(max({column}), 0) + 1 FROM {table}))"
            )
    with ThreadPool(2) as pool:
        pool.map(run, [f"VACUUM ANALYZE {t}" for t in TABLES] + ["ANALYZE archive_case"])
    done = time.perf_counter()
    objects, versions, events, documents = totals
    print(
        f"  loaded {objects:,} objects, {versions:,} versions and contents, {events:,} raw "
        f"events, {documents:,} register entries on {n_accounts} accounts: set-up "
        f"{prepared - started:.0f} s, COPY {copied - prepared:.0f} s "
        f"({objects / (copied - prepared):,.0f} objects/s), indexes {indexed - copied:.0f} s, "
        f"VACUUM ANALYZE {done - indexed:.0f} s; in all {done - started:.0f} s "
        f"({objects / (done - started):,.0f} objects/s)",
        flush=True,
    )


def verify_vectors(sample: int = 200) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE search_vector = "
            "setweight(to_tsvector('nora_swedish', subject), 'A') || "
            "setweight(to_tsvector('nora_swedish', party), 'B') || "
            "setweight(to_tsvector('nora_swedish', search_text), 'C')) "
            "FROM (SELECT * FROM archive_document ORDER BY id LIMIT %s) d",
            [sample],
        )
        return cursor.fetchone()[0]


def table_sizes(n_objects: int) -> None:
    from django.db import connection

    heading("Table sizes")
    total = 0
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(
                "SELECT reltuples::bigint, pg_table_size(%s), pg_indexes_size(%s) "
                "FROM pg_class WHERE relname = %s",
                [table, table, table],
            )
            rows, heap, index = cursor.fetchone()
            total += heap + index
            per_m = (heap + index) / n_objects * 1_000_000 / 2**30
            print(
                f"  {table:<32} {rows:>12,} rows  table {heap / 2**20:>8,.0f} MB  "
                f"indexes {index / 2**20:>7,.0f} MB  = {per_m:5.2f} GB per million objects",
                flush=True,
            )
    per_m = total / n_objects * 1_000_000 / 2**30
    line("all seven tables", f"{total / 2**30:.2f} GB")
    line("per million objects", f"{per_m:.2f} GB")
    line("extrapolated to 10,000,000 objects", f"{per_m * 10:.0f} GB")


def timeline_urls(account_pk: int, n: int) -> dict[str, str]:
    """The timeline's pages as a user reaches them: the newest, one halfway
    down (an "Äldre" link's key: the object at position n/2), the oldest
    ("Äldst") and a date halfway (the form's ``datum``)."""
    from django.utils import timezone

    from moderation.capture.models import CapturedObject
    from moderation.capture.selectors import TIMELINE_ORDER, TimelineKey

    middle = CapturedObject.objects.filter(account_id=account_pk).order_by(*TIMELINE_ORDER)[n // 2]
    base = f"/moderering/konton/{account_pk}/tidslinje/"
    day = timezone.localdate(middle.first_seen_at)
    return {
        "first page": base,
        "middle page": f"{base}?fore={TimelineKey.of(middle)}",
        "last page": f"{base}?aldst=1",
        "a date halfway": f"{base}?datum={day:%Y-%m-%d}",
    }


def selector_page(account_pk: int, url: str):
    """What the view does before rendering."""
    from urllib.parse import urlsplit

    from django.http import QueryDict

    from moderation.capture import selectors
    from moderation.capture.views import PAGE_SIZE, timeline_arguments

    where, _, _ = timeline_arguments(QueryDict(urlsplit(url).query))
    return selectors.timeline_page(account_pk, per_page=PAGE_SIZE, **where)


def measure_timeline(accounts: list, repeat: int) -> dict:
    from django.contrib.auth.models import Group
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    # As bench/queries.py: the municipality's information officer sees every
    # account's pages (an owner's object permission is granted by a service
    # the bulk load does not run).
    officer, _ = User.objects.get_or_create(username="kommunchef")
    officer.groups.add(Group.objects.get(name="kommunchef"))
    client = Client()
    client.force_login(officer)
    results = {}
    for label, (account_pk, n) in accounts:
        for page, url in timeline_urls(account_pk, n).items():
            client.get(url)
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            n_queries = len(queries)  # read now: the next request clears the log
            page_ms, data_ms = [], []
            for _ in range(repeat):
                t = time.perf_counter()
                client.get(url)
                page_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                selected = selector_page(account_pk, url)
                assert len(selected.object_list) > 0
                data_ms.append((time.perf_counter() - t) * 1000)
            results[(label, page)] = {
                "status": response.status_code,
                "queries": n_queries,
                "page": page_ms,
                "data": data_ms,
            }
    return results


def search_filters(i: int, admins: list) -> dict:
    import random

    rng = random.Random(data.SEED + 100 + i)
    start_year = rng.choice([2022, 2023, 2024, 2025])
    return {
        "administration": rng.choice(admins),
        "date_from": datetime.date(start_year, rng.randint(1, 12), 1),
        "date_to": datetime.date(min(start_year + rng.randint(1, 3), 2026), 12, 31),
    }


def searched_administrations() -> list:
    """The administrations whose accounts have register entries (at a small
    scale some of the ten have no account: a search there finds nothing)."""
    from accounts.models import Administration
    from archive.models import Document

    with_documents = Document.objects.order_by().values("administration_id").distinct()
    return list(Administration.objects.filter(pk__in=with_documents).order_by("pk"))


SUBJECT_QUERIES = ["kommentar", "meddelande", "inlägg facebook", "svar på kommentar"]


def measure_search(repeat_warm: bool = True) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.search import make_queries, run_search

    forms = search_data.vocabulary()
    with connection.cursor() as cursor:
        lex = search_data.lexemes_of(cursor, forms)
    admins = searched_administrations()
    queries = make_queries(forms, lex)
    queries += [("subject", q) for q in SUBJECT_QUERIES]
    if repeat_warm:
        for i, (_, text) in enumerate(queries):
            run_search(text, search_filters(i, admins), "date")
    results: dict = {"date": {}, "relevance": {}}
    counts = {}
    for sort in ("date", "relevance"):
        for i, (_, text) in enumerate(queries):
            ms, count = run_search(text, search_filters(i, admins), sort)
            results[sort][i] = ms
            counts[i] = count
    common = next(i for i, q in enumerate(queries) if q[0] == "common" and counts[i] > 0)
    with CaptureQueriesContext(connection) as captured:
        run_search(queries[common][1], search_filters(common, admins), "date")
    return {"queries": queries, "ms": results, "counts": counts, "sql": len(captured)}


def explain(account_pk: int, n: int, searches: list[tuple[str, int, str]]) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the timeline's queries (newest, middle and oldest
    page of the largest account) and of the search's first query for the
    searches named (kind, index of its filters, text)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    heading("EXPLAIN ANALYZE")
    urls = timeline_urls(account_pk, n)
    for page in ("first page", "middle page", "last page"):
        selector_page(account_pk, urls[page])
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            selector_page(account_pk, urls[page])
        for q in captured.captured_queries:
            print(f"\n-- timeline, {page}: {q['sql'][:300]}")
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                print("\n".join(r[0] for r in cursor.fetchall()))
    from bench.search import run_search

    admins = searched_administrations()
    for label, i, text in searches:
        for sort in ("date", "relevance"):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                run_search(text, search_filters(i, admins), sort)
            q = captured.captured_queries[0]
            print(f"\n-- search {label} ({text!r}, by {sort}): {q['sql'][:300]}")
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                print("\n".join(r[0] for r in cursor.fetchall()))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--scale", type=float, default=1.0, help="share of 10,000,000 objects on 500 accounts"
    )
    parser.add_argument("--keep", action="store_true", help="reuse the loaded database")
    parser.add_argument("--registered", type=float, default=1.0, help="share registered")
    parser.add_argument("--raw-events", type=float, default=1.0, help="share of Meta versions")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--load-only", action="store_true")
    args = parser.parse_args()
    n_accounts = max(2, round(data.FULL_ACCOUNTS * args.scale))
    n_objects = int(data.FULL_OBJECTS * args.scale)
    heading(
        f"Captured content at scale: {n_objects:,} objects on {n_accounts} accounts "
        f"(--scale {args.scale})"
    )
    keep = args.keep and _db_exists(DB)
    if keep:
        use_database(DB)
    else:
        fresh_database(DB)
        load(n_accounts, n_objects, args.registered, args.raw_events)
    from django.db.models import Count

    from moderation.capture.models import CapturedObject

    if args.load_only:
        return 0

    sizes = list(
        CapturedObject.objects.values("account_id")
        .annotate(n=Count("pk"))
        .order_by("n", "account_id")
        .values_list("account_id", "n")
    )
    n_objects = sum(n for _, n in sizes)
    print(f"  vectors equal to PostgreSQL's own document_vector: {verify_vectors()}/200")
    from moderation.capture import chain

    problems = list(chain.verify_account(sizes[0][0]))
    print(f"  chain of the smallest account ({sizes[0][1]:,} objects): {len(problems)} problems")
    print(f"  load average now: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    table_sizes(n_objects)

    heading("Timeline page: smallest and largest account")
    picked = [("small", sizes[0]), ("large", sizes[-1])]
    timeline = measure_timeline(picked, args.repeat)
    for page in ("first page", "middle page", "last page", "a date halfway"):
        small, large = timeline[("small", page)], timeline[("large", page)]
        line(
            f"{page}: queries {sizes[0][1]:,} → {sizes[-1][1]:,} objects",
            f"{small['queries']} → {large['queries']}",
            "constant",
            small["queries"] == large["queries"] and small["status"] == large["status"] == 200,
        )
        for r, n in ((small, sizes[0][1]), (large, sizes[-1][1])):
            line(
                f"{page}, {n:,} objects: page median / p95 ms",
                f"{median(r['page']):.1f} / {percentile(r['page'], 0.95):.1f}",
            )
            line(
                f"{page}, {n:,} objects: selector",
                f"{median(r['data']):.1f} / {percentile(r['data'], 0.95):.1f}",
            )
        ratio = median(large["page"]) / median(small["page"])
        line(f"{page}: large ÷ small account (medians)", f"{ratio:.2f}×", "≤ 1.5×", ratio <= 1.5)

    heading("Register search with the captured objects")
    search = measure_search()
    queries, ms, counts = search["queries"], search["ms"], search["counts"]
    line("queries per search (SearchPaginator)", str(search["sql"]), "2")
    for kind in ("rare", "common", "two-word", "subject"):
        idx = [i for i, q in enumerate(queries) if q[0] == kind]
        hits = sorted(counts[i] for i in idx)
        print(
            f"  {kind:<9} hits per query median {median(hits):,.0f} (max {max(hits):,}); "
            f"median ms: date {median([ms['date'][i] for i in idx]):.1f}, "
            f"relevance {median([ms['relevance'][i] for i in idx]):.1f}; "
            f"max: date {max(ms['date'][i] for i in idx):.1f}, "
            f"relevance {max(ms['relevance'][i] for i in idx):.1f}",
            flush=True,
        )
    mix = [i for i, q in enumerate(queries) if q[0] != "subject"]
    for sort in ("date", "relevance"):
        values = [ms[sort][i] for i in mix]
        med, p95 = median(values), percentile(values, 0.95)
        line(f"60 queries by {sort}: median ms", f"{med:.1f}", "≤ 20 ms", med <= 20)
        line(f"60 queries by {sort}: p95 ms", f"{p95:.1f}", "≤ 100 ms", p95 <= 100)
    if args.explain:
        most = {
            kind: max((i for i, q in enumerate(queries) if q[0] == kind), key=counts.get)
            for kind in ("rare", "common", "subject")
        }
        slowest = max(range(len(queries)), key=lambda i: ms["date"][i])
        picked = [(kind, i, queries[i][1]) for kind, i in most.items()]
        explain(sizes[-1][0], sizes[-1][1], [*picked, ("slowest", slowest, queries[slowest][1])])
    return 0


if __name__ == "__main__":
    sys.exit(main())
