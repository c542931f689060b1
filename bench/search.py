"""Benchmark 3: the registrar's search over 1,000,000 documents on PostgreSQL.

60 fixed queries (20 rare words, 20 common words, 20 two-word), each with an
administration and a date range, page size 25, sorted by date and by relevance,
through the same code as the search page (archive.selectors.search_documents and
archive.search.SearchPaginator: the count, up to 1,000, and the first page). The baseline is an ILIKE scan of the
same data with the same filters and words, in the same run.

Also measured (issue 14: the remedy the notes in docs/performance.md named and had
not tried): the same two queries a page makes, compiled once by Django, run as
prepared statements on a plain psycopg connection, so neither the ORM's
building and compiling nor PostgreSQL's planning is paid per search.
Run: python bench/search.py [--scale 0.05] [--keep] (``--keep`` reuses loaded data)."""

import argparse
import datetime
import random
import sys
import time
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import search_data  # noqa: E402
from bench.common import (  # noqa: E402
    PG,
    _db_exists,
    fresh_database,
    heading,
    line,
    median,
    percentile,
    retrying,
    use_database,
)

DB = "nora_bench_search"
FULL = 1_000_000


def load(n_docs: int) -> None:
    from django.db import connection

    from accounts.models import Administration, User
    from archive.models import Case

    started = time.perf_counter()
    forms = search_data.vocabulary()
    with connection.cursor() as cursor:
        lex = search_data.lexemes_of(cursor, forms + search_data.name_words())
    admins = Administration.objects.bulk_create(
        Administration(name=f"Förvaltning {i:02d}", register_series=f"F{i:02d}") for i in range(10)
    )
    user = User.objects.create(username="registrator", password="!")  # noqa: S106 - unusable
    cases = Case.objects.bulk_create(
        (
            Case(
                administration=a,
                series=a.register_series,
                year=year,
                number=n + 1,
                title=f"Ärende {n + 1}",
                opened_on=datetime.date(year, 1, 1),
            )
            for a in admins
            for year in search_data.YEARS
            for n in range(search_data.CASES_PER_ADMIN_YEAR)
        ),
        batch_size=5000,
    )
    case_rows = [(c.pk, c.year, c.administration_id) for c in cases]
    random.Random(search_data.SEED).shuffle(case_rows)
    # Secondary indexes are built once after the load, not row by row.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'archive_document' "
            "AND indexname NOT IN ('archive_document_pkey', 'one_document_per_number')"
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    connection.close()
    dsn = f"{PG}/{DB}"
    chunks = [
        (dsn, start, min(start + search_data.CHUNK, n_docs), forms, lex, case_rows, user.pk)
        for start in range(0, n_docs, search_data.CHUNK)
    ]
    with Pool(2) as pool:
        loaded = sum(pool.imap_unordered(search_data.generate_chunk, chunks))
    copied = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('archive_document', 'id'), %s)", [n_docs]
        )
        cursor.execute("UPDATE archive_case SET last_document_number = 0")
        cursor.execute("VACUUM ANALYZE archive_document")
        cursor.execute("ANALYZE archive_case")
    print(
        f"  loaded {loaded:,} documents ({len(forms):,} word forms, Zipf) in "
        f"{copied - started:.0f} s, indexes and VACUUM ANALYZE {time.perf_counter() - copied:.0f} s",
        flush=True,
    )


def verify_vectors(sample: int = 200) -> int:
    """How many of a sample of stored vectors equal PostgreSQL's own
    document_vector() over the same row."""
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


def make_queries(forms: list[str], lex: dict) -> list[tuple[str, str]]:
    rng = random.Random(search_data.SEED + 3)
    words = [w for w in forms if lex.get(w)]  # stop words are never searched alone
    rank = {w: i for i, w in enumerate(forms)}
    common = [w for w in words if rank[w] < 400]
    mid = [w for w in words if 400 <= rank[w] < 4000]
    rare = [w for w in words if rank[w] >= len(forms) // 2]
    queries = [("rare", w) for w in rng.sample(rare, 20)]
    queries += [("common", w) for w in rng.sample(common, 20)]
    queries += [
        ("two-word", f"{a} {b}")
        for a, b in zip(rng.sample(common, 20), rng.sample(mid, 20), strict=True)
    ]
    return queries


def filters(i: int, admins: list) -> dict:
    rng = random.Random(search_data.SEED + 100 + i)
    start_year = rng.choice(search_data.YEARS[:-1])
    years = rng.randint(1, 3)
    return {
        "administration": rng.choice(admins),
        "date_from": datetime.date(start_year, rng.randint(1, 12), 1),
        "date_to": datetime.date(min(start_year + years, 2025), 12, 31),
    }


def run_search(text: str, f: dict, sort: str) -> tuple[float, int]:
    from archive.register import selectors
    from archive.register.search import SearchPaginator

    t = time.perf_counter()
    params = selectors.SearchParams(text=text, sort=sort, **f)
    page = SearchPaginator(
        selectors.search_documents(params), 25, rows=selectors.search_page_rows()
    ).get_page(1)
    rows = list(page.object_list)
    count = page.paginator.count
    assert len(rows) <= 25
    return (time.perf_counter() - t) * 1000, count


def run_ilike(text: str, f: dict) -> tuple[float, int]:
    from django.core.paginator import Paginator

    from archive.register import selectors

    t = time.perf_counter()
    qs = selectors.search_documents(selectors.SearchParams(sort="date", **f))
    for word in text.split():
        qs = qs.filter(search_text__icontains=word)
    page = Paginator(qs, 25).get_page(1)
    list(page.object_list)
    count = page.paginator.count
    return (time.perf_counter() - t) * 1000, count


class Prepared:
    """The page's two queries without the ORM: the SQL Django compiles for each
    query shape (sort, number of words), prepared once by PostgreSQL, then
    executed with each search's parameters."""

    def __init__(self, dsn: str):
        import psycopg

        self.conn = psycopg.connect(dsn, autocommit=True)
        with self.conn.cursor() as cursor:
            cursor.execute("SET work_mem = '16MB'")
        self.sql: dict[tuple, str] = {}

    def _compiled(self, qs) -> tuple[str, tuple]:
        from django.db import connection

        sql, params = qs.query.get_compiler(connection=connection).as_sql()
        return sql, tuple(params)

    def run(self, text: str, f: dict, sort: str) -> tuple[float, int]:
        from archive.register import selectors
        from archive.register.search import COUNT_CAP

        # The parameters come from Django (the words, dates, administration),
        # as the page's form would give them; the SQL text is one per shape.
        qs = selectors.search_documents(selectors.SearchParams(text=text, sort=sort, **f))
        head_sql, head_params = self._compiled(qs.values_list("pk", flat=True)[: COUNT_CAP + 1])
        t = time.perf_counter()
        with self.conn.cursor() as cursor:
            cursor.execute(head_sql, head_params, prepare=True)
            head = [row[0] for row in cursor.fetchall()]
            ids = head[:25]
            rows_sql = self._rows_sql()
            cursor.execute(rows_sql, (ids,), prepare=True)
            rows = cursor.fetchall()
        assert len(rows) == len(ids)
        return (time.perf_counter() - t) * 1000, len(head)

    def _rows_sql(self) -> str:
        if "rows" not in self.sql:
            from archive.register import selectors

            sql, _ = self._compiled(selectors.search_page_rows().filter(pk__in=[0]))
            # One array parameter instead of one placeholder per row.
            self.sql["rows"] = sql.replace("IN (%s)", "= ANY(%s)")
        return self.sql["rows"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="share of 1,000,000 documents")
    parser.add_argument("--keep", action="store_true", help="reuse the loaded database")
    args = parser.parse_args()
    n_docs = int(FULL * args.scale)
    heading(f"Register search: {n_docs:,} documents on PostgreSQL")
    keep = args.keep and _db_exists(DB)
    use_database(DB) if keep else fresh_database(DB)
    from django.db import connection

    from accounts.models import Administration
    from archive.models import Document

    if not keep or not Document.objects.exists():

        def fresh_load():
            fresh_database(DB)
            load(n_docs)

        retrying(fresh_load)
    n_docs = Document.objects.count()
    forms = search_data.vocabulary()
    with connection.cursor() as cursor:
        lex = search_data.lexemes_of(cursor, forms)
    print(f"  vectors equal to PostgreSQL's own document_vector: {verify_vectors()}/200")
    admins = list(Administration.objects.order_by("pk"))
    queries = make_queries(forms, lex)
    for i, (_, text) in enumerate(queries):  # warm the caches once
        run_search(text, filters(i, admins), "date")
    results = {"date": {}, "relevance": {}}
    counts = {}
    for sort in ("date", "relevance"):
        for i, (_kind, text) in enumerate(queries):
            ms, count = run_search(text, filters(i, admins), sort)
            results[sort][i] = ms
            counts[i] = count
    prepared = Prepared(f"{PG}/{DB}")
    for i, (_kind, text) in enumerate(queries):  # prepare each shape once
        prepared.run(text, filters(i, admins), "date")
        prepared.run(text, filters(i, admins), "relevance")
    prepared_ms = {"date": {}, "relevance": {}}
    for sort in ("date", "relevance"):
        for i, (_kind, text) in enumerate(queries):
            ms, count = prepared.run(text, filters(i, admins), sort)
            assert count == counts[i], (text, count, counts[i])
            prepared_ms[sort][i] = ms
    ilike = {}
    for i, (_, text) in enumerate(queries):
        ilike[i], _ = run_ilike(text, filters(i, admins))
    print(
        f"  {n_docs:,} documents, 60 queries, count (up to 1,000; 1,001 = more) "
        "+ first page of 25 each"
    )
    for kind in ("rare", "common", "two-word"):
        idx = [i for i, q in enumerate(queries) if q[0] == kind]
        hits = sorted(counts[i] for i in idx)
        print(
            f"  {kind:<9} hits per query median {median(hits):,.0f} (max {max(hits):,}); "
            f"median ms: date {median([results['date'][i] for i in idx]):.1f}, "
            f"relevance {median([results['relevance'][i] for i in idx]):.1f}, "
            f"ILIKE {median([ilike[i] for i in idx]):.0f}"
        )
    ilike_median = median(list(ilike.values()))
    line("ILIKE scan (baseline): median ms", f"{ilike_median:.0f}")
    for sort in ("date", "relevance"):
        values = list(results[sort].values())
        med, p95 = median(values), percentile(values, 0.95)
        line(f"sorted by {sort}: median ms", f"{med:.1f}", "≤ 20 ms", med <= 20)
        line(f"sorted by {sort}: p95 ms", f"{p95:.1f}", "≤ 100 ms", p95 <= 100)
        line(
            f"sorted by {sort}: faster than ILIKE (medians)",
            f"{ilike_median / med:.0f}×",
            "≥ 50×",
            ilike_median / med >= 50,
        )
    for sort in ("date", "relevance"):
        values = list(prepared_ms[sort].values())
        med = median(values)
        line(f"prepared SQL, sorted by {sort}: median ms", f"{med:.1f}")
        line(
            f"prepared SQL, sorted by {sort}: faster than ILIKE (medians)",
            f"{ilike_median / med:.0f}×",
            "≥ 50×",
            ilike_median / med >= 50,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
