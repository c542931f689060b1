"""Full-text search over the register, on PostgreSQL and (simply) on SQLite.

Why a hunspell dictionary: the stock ``swedish`` snowball stemmer leaves definite
forms alone (``hotet``, ``frågan``, ``svaret``, ``inlägget``) and stems
``kommentar`` and ``kommentarer`` differently, so a registrar searching one form
misses the others. The text search configuration ``nora_swedish`` (made by
migration 0002) puts PostgreSQL's ispell template over Debian's Swedish hunspell
dictionary (``hunspell-sv``, in the server's ``tsearch_data`` as ``sv_se.dict``
and ``sv_se.affix``) ahead of ``swedish_stem``: hunspell reduces every form it
knows to the lemma (``frågorna`` → ``fråga``), and words it does not know fall
through to the stemmer. It needs no extension and no superuser, only the two
files, so a municipality's ordinary PostgreSQL can run it. Prefix matching was
rejected because it cannot get from ``frågor`` to ``frågan`` or from ``hotet`` to
``hot`` without matching far too much (``hot*`` finds ``hotell``).

When the dictionary files are missing, the migration makes ``nora_swedish`` a
plain copy of ``swedish`` and warns; the inflection tests then fail, as they
should on a machine that skipped ``make search-dict``.

SQLite (the demo of ``make run``) keeps the same promise with an FTS5 table,
``archive_document_fts`` (migration 0007): one row per document, rowid = the
document's id, holding the normal forms of its subject, party and search text
(``archive/register/wordforms.py``: a lemma list and the Snowball stemmer, both shipped
as Python packages, so a fresh machine needs no dictionary). A document is
indexed when it is registered (documents are not edited afterwards) and a
trigger removes its row whenever the document row is deleted, so nothing
disposed or purged stays findable. The query is parsed in Python like
``websearch_to_tsquery`` and each word or phrase becomes an FTS5 lookup,
combined with AND, OR and NOT as PostgreSQL combines them. The same contract
tests (tests/archive/test_search_contract.py) run on both backends. PostgreSQL
never loads the Python word lists.
"""

from functools import cached_property

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import F, FloatField, Func, Q, QuerySet, Value
from django.db.models.expressions import CombinedExpression, RawSQL

CONFIG = "nora_swedish"
DICTIONARY = "nora_swedish_hunspell"
# The search page counts matches up to this many; beyond it it says "more than".
COUNT_CAP = 1000
MAX_PAGE = 1_000_000


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


def build_search_text(*parts: str) -> str:
    return fold(" ".join(p for p in parts if p))


def document_vector() -> CombinedExpression:
    """Subject weighs most, then the party, then the linked content."""
    return (
        SearchVector("subject", config=CONFIG, weight="A")
        + SearchVector("party", config=CONFIG, weight="B")
        + SearchVector("search_text", config=CONFIG, weight="C")
    )


# SQLite's index. Its name is written out in the SQL below.
FTS_TABLE = "archive_document_fts"


def sqlite_index_sql() -> list[str]:
    """The SQLite index and the trigger that drops a deleted document from it.

    Run by migration 0007 and after every ``migrate`` (``ArchiveConfig``): on
    SQLite, Django alters a table by copying it into a new one, which drops
    the old table's triggers."""
    return [
        "CREATE VIRTUAL TABLE IF NOT EXISTS archive_document_fts USING fts5(subject, party, "
        "content, tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")",
        "CREATE TRIGGER IF NOT EXISTS archive_document_fts_delete AFTER DELETE ON "
        "archive_document BEGIN DELETE FROM archive_document_fts WHERE rowid = old.id; END",
    ]


def _index_row(subject: str, party: str, search_text: str) -> tuple[str, str, str]:
    from archive.register import wordforms

    return (
        wordforms.index_text(subject),
        wordforms.index_text(party),
        wordforms.index_text(search_text),
    )


def index_documents(rows, *, using=None) -> None:
    """(Re)index ``(pk, subject, party, search_text)`` rows in SQLite's index."""
    db = connection if using is None else using
    with db.cursor() as cursor:
        cursor.executemany(
            "INSERT OR REPLACE INTO archive_document_fts (rowid, subject, party, content) "
            "VALUES (%s, %s, %s, %s)",
            [(pk, *_index_row(subject, party, text)) for pk, subject, party, text in rows],
        )


def refresh_vector(document) -> None:
    """Index a newly registered document.

    PostgreSQL: store the tsvector. A derived column, not a change a person
    makes, so a queryset update (no history row) is right here. SQLite: its
    row in ``archive_document_fts``."""
    if not is_postgresql():
        index_documents([(document.pk, document.subject, document.party, document.search_text)])
        return
    from archive.models import Document

    Document.objects.filter(pk=document.pk).update(search_vector=document_vector())


def rebuild_sqlite_index() -> int:
    """Re-index every document on SQLite (after a change of the word lists)."""
    from archive.models import Document

    with connection.cursor() as cursor:
        for statement in sqlite_index_sql():
            cursor.execute(statement)
        cursor.execute("DELETE FROM archive_document_fts")
    rows = Document.objects.values_list("pk", "subject", "party", "search_text")
    count = 0
    batch = []
    for row in rows.iterator(chunk_size=2000):
        batch.append(row)
        if len(batch) == 2000:
            index_documents(batch)
            count += len(batch)
            batch = []
    index_documents(batch)
    return count + len(batch)


def _fts_string(forms: tuple[str, ...]) -> str:
    # One FTS5 phrase; normal forms hold letters, digits and "_", never a quote.
    return '"' + " ".join(forms) + '"'


def _matching(forms: tuple[str, ...]) -> Q:
    return Q(
        pk__in=RawSQL(  # noqa: S611 - fixed SQL; the match string is a parameter
            "SELECT rowid FROM archive_document_fts WHERE archive_document_fts MATCH %s",
            (_fts_string(forms),),
        )
    )


class FtsRank(Func):
    """bm25 relevance (higher is better) of the document in SQLite's index
    for an FTS5 expression; 0 when it does not match. Subject, party and
    search text weigh as PostgreSQL's default weights for A, B and C."""

    # The two expressions, the match string and the document's pk, joined by
    # ``arg_joiner`` into "MATCH <string> AND rowid = <pk>".
    template = (
        "COALESCE((SELECT -bm25(archive_document_fts, 1.0, 0.4, 0.2) FROM archive_document_fts "
        "WHERE archive_document_fts MATCH %(expressions)s), 0.0)"
    )
    arg_joiner = " AND archive_document_fts.rowid = "
    output_field = FloatField()

    def __init__(self, match: str):
        super().__init__(Value(match), F("pk"))


def _sqlite_text_search(qs: QuerySet, text: str, *, rank: bool) -> QuerySet:
    from archive.register import wordforms

    query = wordforms.parse(text)
    if not query.alternatives:  # only stop words: PostgreSQL finds nothing either
        return qs.none()
    condition = Q()
    for clause in query.alternatives:
        conjunction = Q()
        for term in clause:
            matching = _matching(term.forms)
            conjunction &= ~matching if term.negated else matching
        condition |= conjunction
    qs = qs.filter(condition)
    if rank:
        wanted = [_fts_string(t.forms) for t in query.terms if not t.negated]
        qs = qs.annotate(rank=FtsRank(" OR ".join(wanted)) if wanted else Value(0.0))
    return qs


def apply_text_search(qs: QuerySet, text: str, *, rank: bool) -> QuerySet:
    text = text.strip()
    if not text:
        return qs
    if is_postgresql():
        query = SearchQuery(text, config=CONFIG, search_type="websearch")
        qs = qs.filter(search_vector=query)
        if rank:
            qs = qs.annotate(rank=SearchRank(F("search_vector"), query))
        return qs
    return _sqlite_text_search(qs, text, rank=rank)


def has_dictionary() -> bool:
    """Whether ``nora_swedish`` uses the hunspell dictionary (PostgreSQL)."""
    if not is_postgresql():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_dict WHERE dictname = %s", [DICTIONARY])
        return cursor.fetchone() is not None


def load_dictionary() -> None:
    """A worker child's start-up (``nora_social.core.worker.on_child_start``):
    open its connection and make the server load the hunspell dictionary,
    which a new PostgreSQL connection does on its first text search (~0.25 s
    of the server's CPU on an idle machine), so the child's first registration
    does not wait for it. Not when connections are closed after every task
    (``DB_CONN_MAX_AGE`` 0): the first task would open a new one anyway."""
    if not is_postgresql() or not connection.settings_dict.get("CONN_MAX_AGE"):
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector(%s::regconfig, %s)", [CONFIG, "nora"])


class SearchPage(Page):
    """A page that knows whether a next page exists without a total count."""

    def __init__(self, object_list, number, paginator, *, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next


class SearchPaginator(Paginator):
    """Pages of a search result that counts at most ``cap`` + 1 matches.

    An exact count of every match of a common word is what made the page slow,
    and "more than 1,000" tells a registrar as much as "4,511". One query reads the
    primary keys of the first ``cap`` + 1 matches in the page's order: that gives
    the count (exact up to the cap) and every page within it, whose rows are then
    read by primary key from ``rows`` (default: the result itself). Pages past the
    cap stay reachable: they are read with OFFSET and one row more than the page,
    which says whether another page follows. ``count_is_exact`` tells the template
    which label to show. Two queries a page, whatever the number of matches.

    (Reading the first page's rows straight away, hoping the result fits on it,
    saves a query for rare words but doubles the work for common ones: measured
    slower at the 95th percentile, bench/search.py.)
    """

    object_list: QuerySet

    def __init__(
        self,
        object_list: QuerySet,
        per_page: int,
        *,
        cap: int | None = None,
        rows: QuerySet | None = None,
    ):
        super().__init__(object_list, per_page)
        self.cap = COUNT_CAP if cap is None else cap
        self.rows = object_list.order_by() if rows is None else rows

    @cached_property
    def head(self) -> list[int]:
        return list(self.object_list.values_list("pk", flat=True)[: self.cap + 1])

    @cached_property
    def count(self) -> int:
        return len(self.head)

    @property
    def count_is_exact(self) -> bool:
        return len(self.head) <= self.cap

    def validate_number(self, number) -> int:
        if self.count_is_exact:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number > MAX_PAGE:  # an OFFSET PostgreSQL refuses is a page past the end
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number) -> SearchPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top < len(self.head) or self.count_is_exact:
            keys = self.head[bottom:top]
            by_pk = self.rows.in_bulk(keys) if keys else {}
            rows = [by_pk[pk] for pk in keys if pk in by_pk]
            return SearchPage(rows, number, self, has_next=top < len(self.head))
        rows = list(self.object_list[bottom : top + 1])
        if not rows:
            raise EmptyPage(self.error_messages["no_results"])
        return SearchPage(rows[: self.per_page], number, self, has_next=len(rows) > self.per_page)
