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

On SQLite ``search_text`` is stored casefolded and each query word must occur in
it (``LIKE`` folds ASCII only, so both sides are casefolded in Python).
"""

from functools import cached_property

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import F, QuerySet, Value

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


def document_vector() -> SearchVector:
    """Subject weighs most, then the party, then the linked content."""
    return (
        SearchVector("subject", config=CONFIG, weight="A")
        + SearchVector("party", config=CONFIG, weight="B")
        + SearchVector("search_text", config=CONFIG, weight="C")
    )


def refresh_vector(document_pk: int) -> None:
    """Store the tsvector. A derived column, not a change a person makes, so a
    queryset update (no history row) is right here."""
    if not is_postgresql():
        return
    from archive.models import Document

    Document.objects.filter(pk=document_pk).update(search_vector=document_vector())


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
    for word in fold(text).replace('"', " ").split():
        word = word.lstrip("-")
        if word and word.lower() != "or":
            qs = qs.filter(search_text__contains=word)
    if rank:
        qs = qs.annotate(rank=Value(0.0))
    return qs


def has_dictionary() -> bool:
    """Whether ``nora_swedish`` uses the hunspell dictionary (PostgreSQL)."""
    if not is_postgresql():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_dict WHERE dictname = %s", [DICTIONARY])
        return cursor.fetchone() is not None


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
