"""The per-account hash chain over captured versions (tamper evidence).

Each version's ``chain_hash`` is SHA-256 over the previous entry's hash, the
version's metadata and the SHA-256 of its content; the first entry of an
account chains from ``GENESIS``. Changing one byte of a stored content, a
version's state or time, or removing a version breaks the chain from there on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
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


@dataclass(frozen=True)
class ChainProblem:
    account_id: int
    seq: int
    what: str

    def __str__(self) -> str:
        return f"account {self.account_id}, entry {self.seq}: {self.what}"


def verify_account(account_id: int) -> Iterator[ChainProblem]:
    """Walk an account's versions in order (streamed), recomputing every hash.
    A purged content (CSAM) is checked against its purge record instead."""
    from moderation.capture.models import CapturedVersion

    prev = GENESIS
    expected_seq = 1
    rows = (
        CapturedVersion.objects.filter(account_id=account_id)
        .select_related("captured__purge", "content")
        .order_by("seq")
    )
    for version in rows.iterator(chunk_size=2000):
        if version.seq != expected_seq:
            yield ChainProblem(account_id, expected_seq, "entry missing")
        expected_seq = version.seq + 1
        if version.prev_hash != prev:
            yield ChainProblem(account_id, version.seq, "previous hash does not match")
        content = getattr(version, "content", None)
        if content is None:
            if not hasattr(version.captured, "purge"):
                yield ChainProblem(account_id, version.seq, "content missing without a purge")
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
            yield ChainProblem(account_id, version.seq, "content changed")
        recomputed = link_hash(
            prev_hash=version.prev_hash,
            account_id=account_id,
            seq=version.seq,
            platform_id=version.captured.platform_id,
            number=version.number,
            state=version.state,
            captured_at=version.captured_at.isoformat(),
            content_sha256=version.content_sha256,
        )
        if recomputed != version.chain_hash:
            yield ChainProblem(account_id, version.seq, "entry changed")
        prev = version.chain_hash


def verify_all() -> list[ChainProblem]:
    from moderation.capture.models import CapturedVersion

    problems: list[ChainProblem] = []
    for account_id in (
        CapturedVersion.objects.order_by().values_list("account_id", flat=True).distinct()
    ):
        problems.extend(verify_account(account_id))
    return problems
