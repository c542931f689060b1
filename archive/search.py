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

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet, Value

CONFIG = "nora_swedish"
DICTIONARY = "nora_swedish_hunspell"


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
