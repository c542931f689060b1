"""The per-account hash chain over captured versions (tamper evidence).

Each version's ``chain_hash`` is SHA-256 over the previous entry's hash, the
version's metadata and the SHA-256 of its content; the first entry of an
account chains from ``GENESIS``. Changing one byte of a stored content, a
version's state or time, or removing a version breaks the chain from there on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def content_digest(
    *, author_name: str, author_platform_id: str, text: str, permalink: str, raw: Any
) -> str:
    return hashlib.sha256(
        canonical(
            {
                "author_name": author_name,
                "author_platform_id": author_platform_id,
                "text": text,
                "permalink": permalink,
                "raw": raw,
            }
        )
    ).hexdigest()


def link_hash(
    *,
    prev_hash: str,
    account_id: int,
    seq: int,
    platform_id: str,
    number: int,
    state: str,
    captured_at: str,
    content_sha256: str,
) -> str:
    entry = {
        "account": account_id,
        "seq": seq,
        "object": platform_id,
        "number": number,
        "state": state,
        "captured_at": captured_at,
        "content": content_sha256,
    }
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(entry)).hexdigest()


def gap_hash(
    *,
    account_id: int,
    first_seq: int,
    last_seq: int,
    enter_hash: str,
    leave_hash: str,
    record_id: int,
    removed_by: str,
    removal_number: int,
) -> str:
    entry = {
        "account": account_id,
        "first": first_seq,
        "last": last_seq,
        "leave": leave_hash,
        "record": record_id,
        "removed_by": removed_by,
        "removal": removal_number,
    }
    return hashlib.sha256(enter_hash.encode() + b"\n" + canonical(entry)).hexdigest()


# What a problem is (``ChainProblem.what``): stable codes; the Swedish wording
# is ``records.problem_text``.
ENTRY_MISSING = "entry missing"
PREVIOUS_HASH = "previous hash does not match"
CONTENT_MISSING = "content missing without a purge"
CONTENT_CHANGED = "content changed"
ENTRY_CHANGED = "entry changed"
GAP_CHANGED = "gap changed"
GAP_NOT_ON_RECORD = "gap not on record"
GAP_OVERLAPS = "gap overlaps kept entries"


@dataclass(frozen=True)
class ChainProblem:
    account_id: int
    seq: int
    what: str
    platform_id: str = ""

    def __str__(self) -> str:
        where = f" ({self.platform_id})" if self.platform_id else ""
        return f"account {self.account_id}, entry {self.seq}{where}: {self.what}"


# Whether the removal a gap names is on record: (gap) -> bool. None: the gap's
# own hashes are checked, the decision behind it is not (``verify_archive``
# asks the archive).
GapRecorded = Callable[[Any], bool]


def _version_problems(account_id: int, version) -> Iterator[ChainProblem]:
    """A version's content and link recomputed. A purged content (CSAM) is
    checked against its purge record instead."""
    platform_id = version.captured.platform_id
    content = getattr(version, "content", None)
    if content is None:
        if not hasattr(version.captured, "purge"):
            yield ChainProblem(account_id, version.seq, CONTENT_MISSING, platform_id)
    elif (
        content_digest(
            author_name=content.author_name,
            author_platform_id=content.author_platform_id,
            text=content.text,
            permalink=content.permalink,
            raw=content.raw,
        )
        != version.content_sha256
    ):
        yield ChainProblem(account_id, version.seq, CONTENT_CHANGED, platform_id)
    recomputed = link_hash(
        prev_hash=version.prev_hash,
        account_id=account_id,
        seq=version.seq,
        platform_id=platform_id,
        number=version.number,
        state=version.state,
        captured_at=version.captured_at.isoformat(),
        content_sha256=version.content_sha256,
    )
    if recomputed != version.chain_hash:
        yield ChainProblem(account_id, version.seq, ENTRY_CHANGED, platform_id)


def _gap_problems(
    account_id: int, gap, prev: str, recorded: GapRecorded | None
) -> Iterator[ChainProblem]:
    if gap.enter_hash != prev:
        yield ChainProblem(account_id, gap.first_seq, PREVIOUS_HASH, gap.platform_id)
    expected = gap_hash(
        account_id=account_id,
        first_seq=gap.first_seq,
        last_seq=gap.last_seq,
        enter_hash=gap.enter_hash,
        leave_hash=gap.leave_hash,
        record_id=gap.record_id,
        removed_by=gap.removed_by,
        removal_number=gap.removal_number,
    )
    if expected != gap.gap_hash or gap.last_seq < gap.first_seq:
        yield ChainProblem(account_id, gap.first_seq, GAP_CHANGED, gap.platform_id)
    elif recorded is not None and not recorded(gap):
        yield ChainProblem(account_id, gap.first_seq, GAP_NOT_ON_RECORD, gap.platform_id)


class _Walk:
    """The position the walk has reached and the hash it carries, stepping over
    the gaps that recorded removals left."""

    def __init__(self, account_id: int, gaps: dict[int, Any], recorded: GapRecorded | None):
        self.account_id, self.gaps, self.recorded = account_id, gaps, recorded
        self.expected, self.prev = 1, GENESIS

    def step_to(self, seq: int | None) -> Iterator[ChainProblem]:
        """Over the gaps from the expected position up to ``seq`` (None: to the
        end); what no gap covers is missing."""
        while seq is None or self.expected < seq:
            gap = self.gaps.pop(self.expected, None)
            if gap is None:
                if seq is not None:
                    yield ChainProblem(self.account_id, self.expected, ENTRY_MISSING)
                    self.expected = seq
                return
            yield from _gap_problems(self.account_id, gap, self.prev, self.recorded)
            self.expected, self.prev = gap.last_seq + 1, gap.leave_hash


def verify_account(account_id: int, recorded: GapRecorded | None = None) -> Iterator[ChainProblem]:
    """Walk an account's versions in order (streamed), recomputing every hash;
    a position with no version must lie in a gap a recorded removal left."""
    from moderation.capture.models import CapturedVersion, ChainGap

    walk = _Walk(
        account_id,
        {g.first_seq: g for g in ChainGap.objects.filter(account_id=account_id)},
        recorded,
    )
    rows = (
        CapturedVersion.objects.filter(account_id=account_id)
        .select_related("captured__purge", "content")
        .order_by("seq")
    )
    for version in rows.iterator(chunk_size=2000):
        yield from walk.step_to(version.seq)
        if version.prev_hash != walk.prev:
            yield ChainProblem(account_id, version.seq, PREVIOUS_HASH, version.captured.platform_id)
        yield from _version_problems(account_id, version)
        walk.expected, walk.prev = version.seq + 1, version.chain_hash
    yield from walk.step_to(None)
    for gap in walk.gaps.values():
        yield ChainProblem(account_id, gap.first_seq, GAP_OVERLAPS, gap.platform_id)


def chain_head(account_id: int) -> tuple[int, str]:
    """The last position of an account's chain and its hash, whether a version
    or a gap holds it (a disposal may have taken the newest versions)."""
    from moderation.capture.models import CapturedVersion, ChainGap

    last = (
        CapturedVersion.objects.filter(account_id=account_id)
        .order_by("-seq")
        .values_list("seq", "chain_hash")
        .first()
    )
    gap = (
        ChainGap.objects.filter(account_id=account_id)
        .order_by("-last_seq")
        .values_list("last_seq", "leave_hash")
        .first()
    )
    heads = [h for h in (last, gap) if h is not None]
    return max(heads) if heads else (0, GENESIS)


def accounts_with_chains() -> list[int]:
    from moderation.capture.models import CapturedVersion, ChainGap

    versions = CapturedVersion.objects.order_by().values_list("account_id", flat=True).distinct()
    gaps = ChainGap.objects.order_by().values_list("account_id", flat=True).distinct()
    return sorted(set(versions) | set(gaps))


def verify_all(recorded: GapRecorded | None = None) -> list[ChainProblem]:
    problems: list[ChainProblem] = []
    for account_id in accounts_with_chains():
        problems.extend(verify_account(account_id, recorded))
    return problems
