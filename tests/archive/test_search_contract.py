"""The register search's one contract, on SQLite and on PostgreSQL alike: what
the search box promises ("Alla böjningsformer hittas", "citattecken" for a
phrase, "-" before a word that must not occur, OR between alternatives).

`make test` runs this file in both passes: PostgreSQL with the hunspell
configuration, SQLite with the FTS5 index and archive/register/wordforms.py."""

import datetime

import pytest
from django.db import connection

from archive.disposal import services as disposal
from archive.models import Direction, DisposableType, Document
from archive.register import services
from archive.register.selectors import SearchParams, search_documents
from tests.archive.conftest import register, removed_comment

pytestmark = pytest.mark.django_db

# Every form finds a document holding any other form of the same word.
INFLECTIONS = [
    ["hot", "hotet", "hoten"],
    ["fråga", "frågan", "frågor", "frågorna"],
    ["kommentar", "kommentaren", "kommentarer", "kommentarerna"],
    ["inlägg", "inlägget", "inläggen"],
    ["svar", "svaret", "svaren"],
    ["bild", "bilden", "bilder", "bilderna"],
    ["aktivitetsplan", "aktivitetsplanen", "aktivitetsplaner", "aktivitetsplanerna"],
    ["ögonblicksbild", "ögonblicksbilden", "ögonblicksbilder", "ögonblicksbilderna"],
    ["konto", "kontot", "konton", "kontona"],
    ["handling", "handlingen", "handlingar", "handlingarna"],
    ["publicera", "publicerar", "publicerade", "publicerat", "publicerad"],
]

# The base form and each other form find each other. (Not every pair: the
# hunspell dictionary reads "meddelandet" and "meddelandena" as forms of the
# verb "meddela" and "meddelanden" as the noun, so on PostgreSQL those two do
# not meet; the base form carries both readings.)
BASE_FORMS = [
    ["meddelande", "meddelandet", "meddelanden", "meddelandena"],
]


def _document(registrar, account, content: str, subject="Ärende från sociala medier"):
    return services.register_document(
        actor=registrar,
        entry=services.Entry(
            direction=Direction.RECEIVED,
            document_date=datetime.date(2026, 1, 10),
            subject=subject,
            content_text=content,
        ),
        account_id=account.pk,
    )


def _found(text: str) -> set[str]:
    return {d.reference for d in search_documents(SearchParams(text=text))}


def _one_per_form(registrar, account, group):
    by_form = {
        form: _document(registrar, account, f"Det här handlar om {form} och inget annat.")
        for form in group
    }
    register(registrar, account, subject="Något helt annat om väder")
    return {form: d.reference for form, d in by_form.items()}


@pytest.mark.parametrize("group", INFLECTIONS, ids=lambda g: g[0])
def test_every_inflected_form_finds_every_other(account, registrar, group):
    by_form = _one_per_form(registrar, account, group)
    for query in group:
        assert _found(query) == set(by_form.values()), query
    assert _found(group[-1].upper()) == set(by_form.values())


@pytest.mark.parametrize("group", BASE_FORMS, ids=lambda g: g[0])
def test_base_form_and_each_inflected_form_find_each_other(account, registrar, group):
    by_form = _one_per_form(registrar, account, group)
    base = group[0]
    assert _found(base) == set(by_form.values())
    for form in group[1:]:
        assert by_form[base] in _found(form), form
        assert by_form[form] in _found(form), form


@pytest.fixture
def posts(account, registrar):
    """Four documents about posts and pictures, one about the weather."""
    return {
        "published": _document(
            registrar, account, "Inlägget publicerades med en bild av badplatsen."
        ),
        "removed": _document(registrar, account, "Inläggen togs bort efter klagomål."),
        "phrase": _document(registrar, account, "Frågan om bilden kom från en invånare."),
        "reversed": _document(registrar, account, "Bilderna visade att frågorna var många."),
        "weather": _document(registrar, account, "Synpunkt om vädret.", subject="Väder"),
    }


def _refs(posts, *names):
    return {posts[name].reference for name in names}


def test_minus_excludes_every_form_of_the_word(posts):
    assert _found("inlägg -publicerat") == _refs(posts, "removed")
    assert _found("inläggen -publicera") == _refs(posts, "removed")


def test_a_minus_alone_finds_what_lacks_the_word(posts):
    assert _found("-bild") == _refs(posts, "removed", "weather")


def test_a_quoted_phrase_keeps_its_order_in_any_form(posts):
    assert _found('"frågorna om bilderna"') == _refs(posts, "phrase")
    assert _found('"frågan i bilden"') == _refs(posts, "phrase")
    assert _found("frågorna bilderna") == _refs(posts, "phrase", "reversed")


def test_minus_before_a_phrase_excludes_the_phrase(posts):
    assert _found('bild -"frågan om bilden"') == _refs(posts, "published", "reversed")


def test_or_finds_either_word(posts):
    expected = _refs(posts, "removed", "weather")
    assert _found("inläggen OR vädret") == _refs(posts, "published", "removed", "weather")
    assert _found("togs or väder") == expected


def test_or_binds_looser_than_the_words_around_it(posts):
    # (inlägg AND bort) OR (bild AND NOT fråga)
    assert _found("inlägg bort or bild -fråga") == _refs(posts, "removed", "published")


def test_unknown_words_and_stop_words_alone_find_nothing(posts):
    assert _found("xyzzyplugh") == set()
    assert _found("och om") == set()
    assert _found("bild och") == _refs(posts, "published", "phrase", "reversed")


def test_relevance_puts_a_subject_match_before_a_content_match(account, registrar):
    in_content = _document(registrar, account, "En bild av kommunhuset", subject="Synpunkt")
    in_subject = register(
        registrar,
        account,
        subject="Bilder från invigningen",
        document_date=datetime.date(2026, 1, 1),
    )

    def refs(**kwargs):
        return [d.reference for d in search_documents(SearchParams(text="bilderna", **kwargs))]

    assert refs() == [in_content.reference, in_subject.reference]
    assert refs(sort="relevance") == [in_subject.reference, in_content.reference]


def test_a_purged_document_is_no_longer_found(
    account, staff, registrar, security_coordinator, django_capture_on_commit_callbacks
):
    """A purge (and a disposal, the same removal) deletes the register entry;
    on SQLite a trigger drops its row from the index, so no word of it is found."""
    record = removed_comment(account, staff, text="Skärmdumpen visar grannens inkorg.")
    document = services.register_record(record=record, actor=registrar)
    assert _found("skärmdumpar inkorgen") == {document.reference}
    proposal = disposal.purge_propose(
        actor=registrar,
        record_type=DisposableType.MODERATION_ACTION,
        record_id=record.pk,
        reason="Uppladdad av misstag.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        disposal.purge_confirm(purge_id=proposal.pk, actor=security_coordinator)
    assert not Document.objects.filter(pk=document.pk).exists()
    assert _found("skärmdumpar inkorgen") == set()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM archive_document_fts WHERE rowid = %s", [document.pk]
            )
            assert cursor.fetchone()[0] == 0
