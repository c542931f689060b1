"""Register search data: documents whose text is drawn from a Swedish vocabulary
with Zipf frequencies, loaded with COPY (fixed seed, never committed).

The vocabulary is taken from Debian's hunspell-sv word list (the same words the
search dictionary knows) plus inflected forms made with common Swedish suffixes.
The tsvector of each document is built here from each word form's lexemes
(asked of PostgreSQL once per form, through the ``nora_swedish`` configuration)
with the same weights and positions as ``archive.search.document_vector``:
to_tsvector over 1M documents with the hunspell dictionary would take ~10 minutes
on 2 cores, a lookup per distinct form takes a second. ``verify_vectors`` checks
a sample against PostgreSQL's own result."""

import datetime
import random
import re
from pathlib import Path

SEED = 20141112
CHUNK = 25_000
DIC = Path("/usr/share/hunspell/sv_SE.dic")
FUNCTION_WORDS = [
    "och",
    "i",
    "att",
    "det",
    "som",
    "på",
    "är",
    "av",
    "för",
    "med",
    "till",
    "den",
    "har",
    "om",
    "inte",
    "en",
    "ett",
    "vi",
    "de",
    "kommunen",
    "från",
    "var",
    "men",
    "så",
    "kan",
    "ska",
    "vid",
    "eller",
    "under",
    "efter",
    "mot",
    "nu",
    "också",
    "bara",
    "hur",
    "när",
]
SUFFIXES = ["en", "et", "er", "ar", "or", "na", "erna", "arna", "orna", "ens", "ets", "s", "ade"]
FIRST = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Per", "Sara", "Nils"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson"]
YEARS = list(range(2016, 2026))
CASES_PER_ADMIN_YEAR = 200


def vocabulary(size: int = 32_000, seed: int = SEED) -> list[str]:
    """Word forms in Zipf rank order: function words first, then dictionary
    stems and inflected forms in a seeded random order."""
    rng = random.Random(seed)
    word = re.compile(r"^[a-zåäöé]{3,14}$")
    stems = sorted(
        {
            line.split("/")[0].strip()
            for line in DIC.read_text(encoding="utf-8", errors="ignore").splitlines()[1:]
        }
    )
    stems = [s for s in stems if word.match(s)]
    rng.shuffle(stems)
    forms: list[str] = []
    seen = set(FUNCTION_WORDS)
    for i, stem in enumerate(stems):
        for form in [stem] + ([stem + rng.choice(SUFFIXES)] if i % 3 == 0 else []):
            if form not in seen:
                seen.add(form)
                forms.append(form)
        if len(forms) + len(FUNCTION_WORDS) >= size:
            break
    return FUNCTION_WORDS + forms


def zipf_cum_weights(n: int, s: float = 1.0, q: float = 2.7) -> list[float]:
    total, out = 0.0, []
    for r in range(1, n + 1):
        total += 1.0 / (r + q) ** s
        out.append(total)
    return out


def lexemes_of(cursor, forms: list[str]) -> dict[str, list[str]]:
    cursor.execute(
        "SELECT w, coalesce(array_agg(l) FILTER (WHERE l IS NOT NULL), '{}') "
        "FROM unnest(%s::text[]) w LEFT JOIN LATERAL "
        "unnest(tsvector_to_array(to_tsvector('nora_swedish', w))) l ON true GROUP BY w",
        [forms],
    )
    return {w: list(ls) for w, ls in cursor.fetchall()}


def name_words() -> list[str]:
    return sorted({w.lower() for w in FIRST + LAST})


def tsvector_literal(subject: list[str], party: list[str], text: list[str], lex: dict) -> str:
    """The literal of setweight(subject, A) || setweight(party, B) ||
    setweight(text, C): positions as to_tsvector gives them (every word counts,
    stop words give no lexeme), each part shifted by the highest position used
    before it, as ``||`` does. Documents are short: no position passes 16383."""
    out: dict[str, list[str]] = {}
    offset = 0
    for words, weight in ((subject, "A"), (party, "B"), (text, "C")):
        top = 0
        for i, w in enumerate(words, 1):
            lexemes = lex[w]
            if lexemes:
                position = f"{offset + i}{weight}"
                for lexeme in lexemes:
                    if lexeme in out:
                        out[lexeme].append(position)
                    else:
                        out[lexeme] = [position]
                top = i
        offset += top
    return " ".join([f"'{k}':{','.join(v)}" for k, v in sorted(out.items())])


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def generate_chunk(args) -> int:
    """Generate and COPY documents [start, stop) in one connection; seeded per
    chunk, so the data is the same whatever the number of workers."""
    import psycopg

    (dsn, start, stop, forms, lex, case_rows, user_id) = args
    rng = random.Random(SEED * 1000 + start)
    cum = zipf_cum_weights(len(forms))
    names = [f"{f} {la}".lower().split() for f in FIRST for la in LAST]
    n_cases = len(case_rows)
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        with cur.copy(
            "COPY archive_document (id, case_id, administration_id, number, registered_on, "
            "document_date, "
            "direction, party, subject, secrecy_provision, subject_masked, search_text, "
            "search_vector, registered_at, registered_by_id) FROM STDIN"
        ) as copy:
            buffer = []
            for doc_id in range(start, stop):
                case_id, year, administration_id = case_rows[doc_id % n_cases]
                number = doc_id // n_cases + 1
                day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
                n_subject, n_text = rng.randint(4, 9), rng.randint(12, 45)
                words = rng.choices(forms, cum_weights=cum, k=n_subject + n_text)
                subject_words, text_words = words[:n_subject], words[n_subject:]
                party_words = rng.choice(names)
                subject = " ".join(subject_words).capitalize()
                party = " ".join(party_words).title()
                search_words = subject_words + party_words + text_words
                buffer.append(
                    "\t".join(
                        [
                            str(doc_id + 1),
                            str(case_id),
                            str(administration_id),
                            str(number),
                            day.isoformat(),
                            day.isoformat(),
                            "received" if rng.random() < 0.6 else "drawn_up",
                            _escape(party),
                            _escape(subject),
                            "",
                            "t",
                            _escape(" ".join(search_words)),
                            _escape(
                                tsvector_literal(subject_words, party_words, search_words, lex)
                            ),
                            f"{day.isoformat()} 09:00:00+00",
                            str(user_id),
                        ]
                    )
                    + "\n"
                )
                if len(buffer) >= 2000:
                    copy.write("".join(buffer))
                    buffer.clear()
            if buffer:
                copy.write("".join(buffer))
        conn.commit()
    return stop - start
