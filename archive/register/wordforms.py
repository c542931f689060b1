"""Swedish word forms and the search syntax, for the register search on SQLite.

PostgreSQL reduces words with the hunspell dictionary (``archive/register/search.py``).
SQLite has no Swedish at all, and a demo machine may lack ``hunspell-sv``, so
this module does the same job in Python with two packages that ship their data:

- ``simplemma`` looks a word up in its Swedish lemma list (``frågorna`` →
  ``fråga``, ``inlägget`` → ``inlägg``; ``greedy`` also splits unknown compounds
  such as ``facebooksidan``);
- the Snowball ``swedish`` stemmer then stems the lemma. The lemma alone is not
  enough: the list gives one lemma per form, and a form that is also a verb
  goes its own way (``hot`` → ``hota`` but ``hotet`` → ``hot``, ``meddelande``
  → ``meddela`` but ``meddelanden`` → ``meddelande``). Stemming the lemma
  brings those back together (``hot``, ``meddel``). The stemmer alone is not
  enough either: it leaves definite forms alone (``frågan``, ``inlägget``).

Both the indexed text and the query go through ``normal_forms``, so a word is
found when any of its forms is. Stop words (PostgreSQL's ``swedish`` list, the
Snowball one) are not searchable on either backend; they keep their place as
``STOP`` so that a phrase such as ``"frågan om bilden"`` matches ``frågorna i
bilderna`` (PostgreSQL: ``'fråga' <2> 'bild'``) but not ``frågor och svar om
bilder``.

The Swedish lemma list is loaded the first time a process indexes or searches
on SQLite (seconds, and memory for the process's life); PostgreSQL never loads
it.

``parse`` reads the search box like PostgreSQL's ``websearch_to_tsquery``:
words, ``"quoted phrases"``, ``or`` between alternatives (binding looser than
the implicit "and"), ``-`` before a word or phrase that must not occur.
"""

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

import simplemma
import snowballstemmer

# Placeholder for a stop word inside indexed text and phrases: never a normal
# form, since ``WORD`` splits on "_".
STOP = "_"
WORD = re.compile(r"[^\W_]+")

STOP_WORDS = frozenset(
    """
    och det att i en jag hon som han på den med var sig för så till är men ett
    om hade de av icke mig du henne då sin nu har inte hans honom skulle hennes
    där min man ej vid kunde något från ut när efter upp vi dem vara vad över än
    dig kan sina här ha mot alla under någon eller allt mycket sedan ju denna
    själv detta åt utan varit hur ingen mitt ni bli blev oss din dessa några
    deras blir mina samma vilken er sådan vår blivit dess inom mellan sådant
    varför varje vilka ditt vem vilket sitta sådana vart dina vars vårt våra ert
    era vilkas
    """.split()  # noqa: SIM905 - the list as PostgreSQL's swedish.stop has it
)

_local = threading.local()


def _stemmer():
    # A Snowball stemmer keeps state between calls: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("swedish")
    return stemmer


@lru_cache(maxsize=200_000)
def normal_form(word: str) -> str:
    """The searchable form of one casefolded word."""
    if word in STOP_WORDS:
        return STOP
    lemma = simplemma.lemmatize(word, lang="sv", greedy=True).casefold()
    return _stemmer().stemWord(lemma)


def normal_forms(text: str) -> list[str]:
    return [normal_form(word) for word in WORD.findall(text.casefold())]


def index_text(text: str) -> str:
    """What the SQLite index stores for ``text``: its normal forms."""
    return " ".join(normal_forms(text))


@dataclass(frozen=True)
class Term:
    """A word or phrase (normal forms in order), possibly negated."""

    forms: tuple[str, ...]
    negated: bool = False


@dataclass
class Query:
    """Alternatives (OR) of conjunctions (AND) of terms."""

    alternatives: list[list[Term]] = field(default_factory=list)

    @property
    def terms(self) -> list[Term]:
        return [term for clause in self.alternatives for term in clause]


def _term(text: str, negated: bool) -> Term | None:
    forms = normal_forms(text)
    # Leading and trailing stop words say nothing about the phrase.
    while forms and forms[0] == STOP:
        forms.pop(0)
    while forms and forms[-1] == STOP:
        forms.pop()
    return Term(tuple(forms), negated) if forms else None


def parse(text: str) -> Query:
    """The search box as ``websearch_to_tsquery`` reads it. A "-" negates only
    at the start of a word or phrase (``e-post`` is one term, the phrase ``e
    post``); terms of nothing but stop words drop out; a query left with no
    term finds nothing."""
    clauses: list[list[Term]] = [[]]
    negate = False
    i, end = 0, len(text)
    while i < end:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        if char == "-":
            negate = True
            i += 1
            continue
        if char == '"':
            close = text.find('"', i + 1)
            close = end if close < 0 else close
            term = _term(text[i + 1 : close], negate)
            i = close + 1
        else:
            start = i
            while i < end and not text[i].isspace() and text[i] != '"':
                i += 1
            word = text[start:i]
            if word.casefold() == "or" and not negate:
                if clauses[-1]:
                    clauses.append([])
                continue
            term = _term(word, negate)
        negate = False
        if term is not None:
            clauses[-1].append(term)
    return Query([clause for clause in clauses if clause])
