"""Captured content at scale: N accounts × 5 years of captured posts, comments,
replies and messages, generated with a fixed seed and loaded with COPY (never
committed).

Per account, in one worker (the chain is per account): objects in the order
they were first seen, each with one version or more (an edit, a hiding, a
removal seen later), every version's content, the versions chained in the
order they were captured with the same hashes as ``moderation.capture.chain``
(so ``verify_capture_chain`` holds), the raw webhook events of the Meta
accounts (one per version, processed), and each object's register entry as
``archive.register.services.register_record`` makes it: a document in the
account's collective case of the year with the entry ``capture/records.entry``
gives, its search text and tsvector, and its history row.

The tsvector is built here, as in ``bench/search_data.py``: the subject's
lexemes come from PostgreSQL once per distinct subject (kind, platform, day),
the words' from the same per-form lookup; ``verify_vectors`` compares a sample
with PostgreSQL's own ``document_vector()``."""

import datetime
import hashlib
import json
import math
import random
import zlib
import zoneinfo

from moderation.capture import chain

SEED = 20261207
FULL_OBJECTS = 10_000_000
FULL_ACCOUNTS = 500
END = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
START = END - datetime.timedelta(days=5 * 365)
LOCAL = zoneinfo.ZoneInfo("Europe/Stockholm")
# What an account captures: mostly citizens' comments on its posts.
KINDS = [("post", 0.05), ("comment", 0.68), ("reply", 0.20), ("message", 0.07)]
KIND_LABEL = {
    "post": "Inlägg",
    "comment": "Kommentar",
    "reply": "Svar på kommentar",
    "message": "Meddelande",
}
CONNECTOR = {  # platform slug (bench.data) -> connection kind and its label
    "facebook": ("facebook", "Facebooksida (Meta Graph API)"),
    "instagram": ("instagram", "Instagram, professionellt konto (Meta Graph API)"),
    "youtube": ("youtube", "YouTube-kanal (YouTube Data API v3)"),
    "linkedin": ("linkedin", "LinkedIn-sida (Community Management API)"),
}
META = {"facebook", "instagram"}
WORDS = {"post": (20, 80), "comment": (4, 40), "reply": (3, 30), "message": (5, 50)}
EDITED, HIDDEN, GONE = 0.06, 0.015, 0.03


def account_sizes(n_accounts: int, n_objects: int, seed: int = SEED) -> list[int]:
    """Objects per account, log-uniform over a 50× range (a busy main page and
    a quiet unit's account), summing to ``n_objects``."""
    rng = random.Random(seed)
    weights = [math.exp(rng.uniform(0, math.log(50))) for _ in range(n_accounts)]
    total = sum(weights)
    sizes = [max(1, int(n_objects * w / total)) for w in weights]
    sizes[sizes.index(max(sizes))] += n_objects - sum(sizes)
    return sizes


def days() -> list[datetime.date]:
    first = START.astimezone(LOCAL).date()
    return [
        first + datetime.timedelta(days=i)
        for i in range((END.astimezone(LOCAL).date() - first).days + 2)
    ]


def subject(kind: str, platform_label: str, day: datetime.date) -> str:
    return f"{KIND_LABEL[kind]} på {platform_label}, hämtad {day.isoformat()}"


def subject_vectors(cursor, platform_labels: list[str]) -> dict[str, dict[str, list[int]]]:
    """Each distinct subject's lexemes and positions, from PostgreSQL."""
    subjects = [subject(k, p, d) for k in KIND_LABEL for p in platform_labels for d in days()]
    cursor.execute(
        "SELECT s, array_agg(u.lexeme), array_agg(array_to_string(u.positions, ',')) "
        "FROM unnest(%s::text[]) s, unnest(to_tsvector('nora_swedish', s)) u GROUP BY s",
        [subjects],
    )
    return {
        s: {lex: [int(p) for p in pos.split(",")] for lex, pos in zip(lexes, poss, strict=True)}
        for s, lexes, poss in cursor.fetchall()
    }


def document_vector(subj: dict, party: list[str], text: list[str], lex: dict) -> str:
    """The literal of setweight(subject, A) || setweight(party, B) ||
    setweight(search_text, C), search_text being subject, party and text."""
    out: dict[str, list[str]] = {}

    def add(lexeme: str, position: int, weight: str) -> None:
        out.setdefault(lexeme, []).append(f"{position}{weight}")

    subject_top = max(p for ps in subj.values() for p in ps)
    for lexeme, positions in subj.items():
        for p in positions:
            add(lexeme, p, "A")
    offset = subject_top
    for i, w in enumerate(party, 1):
        for lexeme in lex[w]:
            add(lexeme, offset + i, "B")
    offset += len(party)  # names always give a lexeme
    for lexeme, positions in subj.items():
        for p in positions:
            add(lexeme, offset + p, "C")
    base = offset + subject_top
    for i, w in enumerate(party + text, 1):
        for lexeme in lex[w]:
            add(lexeme, base + i, "C")
    return " ".join(f"'{k}':{','.join(v)}" for k, v in sorted(out.items()))


def _esc(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")


def _ts(moment: datetime.datetime) -> str:
    return moment.isoformat()


def _nullable(value) -> str:
    return "\\N" if value is None else str(value)


# Set by the parent before the pool forks (large, read-only).
SHARED: dict = {}


def _kind(rng: random.Random) -> str:
    x, acc = rng.random(), 0.0
    for kind, share in KINDS:
        acc += share
        if x < acc:
            return kind
    return KINDS[-1][0]


def plan_account(acct: dict, rng: random.Random) -> tuple[list[dict], list[dict]]:
    """The account's objects (first seen in order) and their versions."""
    forms, cum = SHARED["forms"], SHARED["cum"]
    names = SHARED["names"]
    n = acct["n"]
    span = (END - START).total_seconds()
    seen = sorted(START + datetime.timedelta(seconds=rng.random() * span) for _ in range(n))
    objects, versions = [], []
    posts: list[int] = []
    comments: list[int] = []
    for i, first_seen in enumerate(seen):
        kind = _kind(rng)
        if kind == "comment" and not posts:
            kind = "post"
        if kind == "reply" and not comments:
            kind = "comment" if posts else "post"
        parent = None
        if kind == "comment":
            parent = posts[-1 - min(int(rng.expovariate(0.5)), len(posts) - 1)]
        elif kind == "reply":
            parent = comments[-1 - min(int(rng.expovariate(0.1)), len(comments) - 1)]
        own = kind == "post" or rng.random() < {"comment": 0.03, "reply": 0.3, "message": 0.2}.get(
            kind, 0
        )
        obj_id = acct["first_id"] + i
        words = rng.choices(forms, cum_weights=cum, k=rng.randint(*WORDS[kind]))
        author = [] if own else list(rng.choice(names))
        obj = {
            "id": obj_id,
            "kind": kind,
            "platform_id": f"{acct['external_id']}_{i + 1}",
            "parent": parent,
            "own": own,
            "published_at": first_seen - datetime.timedelta(seconds=rng.randint(5, 1800)),
            "first_seen_at": first_seen,
            "words": words,
            "author": author,
        }
        objects.append(obj)
        if kind == "post":
            posts.append(obj_id)
        elif kind == "comment":
            comments.append(obj_id)
        number, at = 1, first_seen
        versions.append(_version(obj, 1, "visible", at, words, None, acct))
        if rng.random() < EDITED:
            number += 1
            at = at + datetime.timedelta(seconds=rng.randint(60, 3 * 86400))
            edited = words + rng.choices(forms, cum_weights=cum, k=rng.randint(1, 6))
            versions.append(_version(obj, number, "visible", at, edited, at, acct))
        roll = rng.random()
        if roll < HIDDEN + GONE:
            number += 1
            at = at + datetime.timedelta(seconds=rng.randint(600, 20 * 86400))
            if roll < HIDDEN:
                versions.append(
                    _version(obj, number, "hidden", at, versions[-1]["words"], None, acct)
                )
            else:
                versions.append(_version(obj, number, "gone", at, None, None, acct))
    versions.sort(key=lambda v: (v["captured_at"], v["captured"], v["number"]))
    prev = chain.GENESIS
    for seq, v in enumerate(versions, 1):
        v["seq"], v["prev_hash"] = seq, prev
        v["chain_hash"] = prev = chain.link_hash(
            prev_hash=prev,
            account_id=acct["id"],
            seq=seq,
            platform_id=v["platform_id"],
            number=v["number"],
            state=v["state"],
            captured_at=v["captured_at"].isoformat(),
            content_sha256=v["content_sha256"],
        )
    return objects, versions


def _version(obj, number, state, at, words, edited_at, acct) -> dict:
    if words is None:  # a removal: its content row is empty (services._Chain.append)
        content = {
            "author_name": "",
            "author_platform_id": "",
            "text": "",
            "permalink": "",
            "raw": {},
        }
    else:
        text = " ".join(words).capitalize()
        author = " ".join(obj["author"]).title() if obj["author"] else acct["display_name"]
        author_id = (
            str(500000000 + zlib.crc32(author.encode()) % 100000000)
            if obj["author"]
            else acct["external_id"]
        )
        permalink = f"https://www.example.org/{acct['external_id']}/{obj['platform_id']}"
        raw = {
            "id": obj["platform_id"],
            "message": text,
            "created_time": obj["published_at"].strftime("%Y-%m-%dT%H:%M:%S+0000"),
            "from": {"id": author_id, "name": author},
            "permalink_url": permalink,
        }
        if obj["parent"] is not None:
            raw["parent"] = {"id": f"{acct['external_id']}_{obj['parent'] - acct['first_id'] + 1}"}
        if edited_at is not None:
            raw["updated_time"] = edited_at.strftime("%Y-%m-%dT%H:%M:%S+0000")
        if state == "hidden":
            raw["is_hidden"] = True
        content = {
            "author_name": author,
            "author_platform_id": author_id,
            "text": text,
            "permalink": permalink,
            "raw": raw,
        }
    return {
        "id": obj["id"] * 4 + number - 1,
        "captured": obj["id"],
        "platform_id": obj["platform_id"],
        "number": number,
        "state": state,
        "captured_at": at,
        "edited_at": edited_at,
        "content": content,
        "content_sha256": chain.content_digest(**content),
        "words": words,
    }


def generate_account(args) -> tuple[int, int, int, int]:
    """Generate and COPY one account's rows in one transaction; seeded per
    account, so the data is the same whatever the number of workers. Returns
    (objects, versions, raw events, documents)."""
    import psycopg

    dsn, acct = args
    rng = random.Random(SEED * 1000 + acct["id"])
    objects, versions = plan_account(acct, rng)
    lex, subjects = SHARED["lex"], SHARED["subjects"]
    registered, raw_share = SHARED["registered"], SHARED["raw_share"]
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        # Bench load only: the rows are consistent by construction, so the
        # per-row foreign-key triggers are skipped (superuser on this server).
        cur.execute("SET session_replication_role = replica")
        cur.execute("SET synchronous_commit = off")
        with cur.copy(
            "COPY moderation_capturedobject (id, kind, platform_id, own, published_at, "
            "first_seen_at, account_id, connection_id, parent_id) FROM STDIN"
        ) as copy:
            _write(
                copy,
                (
                    "\t".join(
                        [
                            str(o["id"]),
                            o["kind"],
                            o["platform_id"],
                            "t" if o["own"] else "f",
                            _ts(o["published_at"]),
                            _ts(o["first_seen_at"]),
                            str(acct["id"]),
                            str(acct["connection_id"]),
                            _nullable(o["parent"]),
                        ]
                    )
                    for o in objects
                ),
            )
        with cur.copy(
            "COPY moderation_capturedversion (id, seq, number, state, captured_at, edited_at, "
            "content_sha256, prev_hash, chain_hash, account_id, captured_id) FROM STDIN"
        ) as copy:
            _write(
                copy,
                (
                    "\t".join(
                        [
                            str(v["id"]),
                            str(v["seq"]),
                            str(v["number"]),
                            v["state"],
                            _ts(v["captured_at"]),
                            _ts(v["edited_at"]) if v["edited_at"] else "\\N",
                            v["content_sha256"],
                            v["prev_hash"],
                            v["chain_hash"],
                            str(acct["id"]),
                            str(v["captured"]),
                        ]
                    )
                    for v in versions
                ),
            )
        with cur.copy(
            "COPY moderation_capturedcontent (id, author_name, author_platform_id, text, "
            "permalink, raw, version_id) FROM STDIN"
        ) as copy:
            _write(
                copy,
                (
                    "\t".join(
                        [
                            str(v["id"]),
                            _esc(v["content"]["author_name"]),
                            v["content"]["author_platform_id"],
                            _esc(v["content"]["text"]),
                            v["content"]["permalink"],
                            _esc(json.dumps(v["content"]["raw"], ensure_ascii=False)),
                            str(v["id"]),
                        ]
                    )
                    for v in versions
                ),
            )
        events = 0
        if acct["platform"] in META and raw_share > 0:
            webhooked = [v for v in versions if v["state"] != "gone" and rng.random() < raw_share]
            events = len(webhooked)
            rows, done = [], []
            for v in webhooked:
                payload = {
                    "object": "page" if acct["platform"] == "facebook" else "instagram",
                    "entry": [
                        {
                            "id": acct["external_id"],
                            "time": int(v["captured_at"].timestamp()),
                            "changes": [
                                {"field": "feed", "value": v["content"]["raw"] | {"verb": "add"}}
                            ],
                        }
                    ],
                }
                key = hashlib.sha256(f"{v['id']}".encode()).hexdigest()[:32]
                received = v["captured_at"] - datetime.timedelta(seconds=2)
                rows.append(
                    "\t".join(
                        [
                            str(v["id"]),
                            acct["platform"],
                            f"{acct['platform']}:{v['platform_id']}:{key}",
                            v["platform_id"],
                            _ts(received),
                            _esc(json.dumps(payload, ensure_ascii=False)),
                            str(acct["connection_id"]),
                        ]
                    )
                )
                done.append(f"{v['id']}\t{_ts(v['captured_at'])}\t{v['id']}\t")  # failure: none
            with cur.copy(
                "COPY moderation_rawevent (id, platform, event_key, object_platform_id, "
                "received_at, payload, connection_id) FROM STDIN"
            ) as copy:
                _write(copy, rows)
            with cur.copy(
                "COPY moderation_raweventprocessed (id, processed_at, event_id, failure) FROM STDIN"
            ) as copy:
                _write(copy, done)
        documents = 0
        if registered > 0:
            docs, history = [], []
            numbers: dict[int, int] = {}
            for o in objects:
                if rng.random() >= registered:
                    continue
                seen_day = o["first_seen_at"].astimezone(LOCAL).date()
                subj = subject(o["kind"], acct["platform_label"], seen_day)
                party_words = [] if o["own"] else [w.lower() for w in o["author"]]
                party = " ".join(o["author"]).title() if party_words else ""
                text = " ".join(o["words"]).capitalize()
                search_text = " ".join(f"{subj} {party} {text}".casefold().split())  # search.fold
                vector = document_vector(subjects[subj], party_words, o["words"], lex)
                registered_at = o["first_seen_at"] + datetime.timedelta(
                    seconds=rng.randint(60, 3 * 86400)
                )
                registered_on = registered_at.astimezone(LOCAL).date()
                case_id = acct["cases"][registered_on.year]
                numbers[case_id] = number = numbers.get(case_id, 0) + 1
                document_date = o["published_at"].astimezone(LOCAL).date()
                common = [
                    str(o["id"]),
                    str(number),
                    registered_on.isoformat(),
                    document_date.isoformat(),
                    "drawn_up" if o["own"] else "received",
                    _esc(party),
                    _esc(subj),
                    "",
                    "t",
                    str(o["id"]),
                    _esc(search_text),
                ]
                tail = [
                    str(acct["id"]),
                    str(case_id),
                    "\\N",
                    str(SHARED["record_type_id"]),
                    str(SHARED["registrar_id"]),
                ]
                docs.append(
                    "\t".join(
                        [*common, vector, _ts(registered_at), *tail]
                        + [str(acct["administration_id"]), "", ""]
                    )
                )
                history.append(
                    "\t".join(
                        [*common, _ts(registered_at), str(o["id"]), _ts(registered_at), "\\N", "+"]
                        + [
                            str(acct["id"]),
                            str(case_id),
                            "\\N",
                            str(SHARED["registrar_id"]),
                            str(SHARED["record_type_id"]),
                            str(SHARED["registrar_id"]),
                            "",
                            "",
                        ]
                    )
                )
            documents = len(docs)
            with cur.copy(
                "COPY archive_document (id, number, registered_on, document_date, direction, "
                "party, subject, secrecy_provision, subject_masked, record_id, search_text, "
                "search_vector, registered_at, account_id, case_id, handling_officer_id, "
                "record_type_id, registered_by_id, administration_id, file, file_sha256) "
                "FROM STDIN"
            ) as copy:
                _write(copy, docs)
            with cur.copy(
                "COPY archive_historicaldocument (id, number, registered_on, document_date, "
                "direction, party, subject, secrecy_provision, subject_masked, record_id, "
                "search_text, registered_at, history_id, history_date, history_change_reason, "
                "history_type, account_id, case_id, handling_officer_id, history_user_id, "
                "record_type_id, registered_by_id, file, file_sha256) FROM STDIN"
            ) as copy:
                _write(copy, history)
            cur.executemany(
                "INSERT INTO bench_case_numbers (case_id, last_number) VALUES (%s, %s)",
                list(numbers.items()),
            )
        conn.commit()
    return len(objects), len(versions), events, documents


def _write(copy, rows) -> None:
    buffer: list[str] = []
    for row in rows:
        buffer.append(row)
        if len(buffer) >= 2000:
            copy.write("\n".join(buffer) + "\n")
            buffer.clear()
    if buffer:
        copy.write("\n".join(buffer) + "\n")
