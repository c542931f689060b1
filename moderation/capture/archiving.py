"""What the archive asks of the capture through the record-kind registry
(``nora_social.core.records``), without knowing it: the gap a recorded removal
leaves in an account's chain, the WARC files an archive package of a period
carries, and the chain check ``verify_archive`` runs.

A disposal (retention decision) or a confirmed purge removes a captured object
with its versions. The positions those versions held in the account's chain are
recorded as a ``ChainGap`` per run of consecutive positions, with the hash
entering the run and the last removed position's own hash, and the removal that
took them. The chain check steps over a gap only when its hashes fit and the
archive says the removal is on record; a position missing with no gap, or a gap
no recorded removal explains, is a break.
"""

from __future__ import annotations

import datetime
import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

from moderation.capture import chain
from moderation.capture.models import CapturedObject, CapturedVersion, ChainGap, WarcFile
from nora_social.core import records

LABEL = "moderation.CapturedObject"

# PRONOM identifiers of WARC (The National Archives, UK): ISO 28500:2009 is
# WARC 1.0, ISO 28500:2017 WARC 1.1.
WARC_PRONOM = {"1.0": "fmt/289", "1.1": "fmt/1355"}


def problem_text(what: str) -> str:
    return {
        chain.ENTRY_MISSING: _("positionen saknas och ingen gallring eller rensning förklarar det"),
        chain.PREVIOUS_HASH: _("föregående kontrollsumma stämmer inte"),
        chain.CONTENT_MISSING: _("innehållet saknas utan rensning"),
        chain.CONTENT_CHANGED: _("innehållet har ändrats"),
        chain.ENTRY_CHANGED: _("posten i kedjan har ändrats"),
        chain.GAP_CHANGED: _("luckans uppgifter har ändrats"),
        chain.GAP_NOT_ON_RECORD: _(
            "luckan förklaras inte av något registrerat gallringsbeslut eller någon rensning"
        ),
        chain.GAP_OVERLAPS: _("luckan täcker positioner som finns kvar"),
    }.get(what, what)


# --- The gap a removal leaves ------------------------------------------------------


def _runs(positions: list[tuple[int, str, str]]) -> Iterator[list[tuple[int, str, str]]]:
    """Consecutive positions together: (seq, prev_hash, chain_hash), sorted."""
    run: list[tuple[int, str, str]] = []
    for position in positions:
        if run and position[0] != run[-1][0] + 1:
            yield run
            run = []
        run.append(position)
    if run:
        yield run


def record_gap(captured: CapturedObject, removal: records.Removal) -> None:
    """Before a captured object's versions go: the positions they held, as gaps
    that name the removal, with the hashes at each gap's edges."""
    positions = list(
        CapturedVersion.objects.filter(captured=captured)
        .order_by("seq")
        .values_list("seq", "prev_hash", "chain_hash")
    )
    for run in _runs(positions):
        first, last = run[0], run[-1]
        fields: dict[str, Any] = {
            "account_id": captured.account_id,
            "first_seq": first[0],
            "last_seq": last[0],
            "enter_hash": first[1],
            "leave_hash": last[2],
            "record_id": captured.pk,
            "removed_by": removal.by,
            "removal_number": removal.number,
        }
        ChainGap.objects.create(
            **fields,
            gap_hash=chain.gap_hash(**fields),
            platform_id=captured.platform_id,
            removal_reference=removal.reference[:100],
        )


# --- The chain check for verify_archive --------------------------------------------


def integrity(removal_recorded: records.RemovalRecorded) -> Iterator[records.IntegrityProblem]:
    """Every account's chain, a gap accepted only when the archive has the
    removal it names on record."""

    def recorded(gap: ChainGap) -> bool:
        removal = records.Removal(gap.removed_by, gap.removal_number, gap.removal_reference)
        return removal_recorded(removal, LABEL, gap.record_id)

    for account_id in chain.accounts_with_chains():
        for problem in chain.verify_account(account_id, recorded):
            yield records.IntegrityProblem(
                account_id=problem.account_id,
                position=problem.seq,
                object_id=problem.platform_id,
                what=problem_text(problem.what),
            )


# --- WARC files for the archive package ----------------------------------------------


def warc_version(path: Path) -> str:
    """The WARC version the file's first record declares ("1.0" or "1.1")."""
    try:
        with gzip.open(path, "rb") as handle:
            first = handle.readline(64).strip()
    except (OSError, EOFError):
        return ""
    return first.decode("ascii", "replace").removeprefix("WARC/")


def package_files(
    accounts, start: datetime.date | None, end: datetime.date | None
) -> Iterator[records.PackageFile]:
    """The WARC files of the accounts' connections for the days of the period."""
    storage = FileSystemStorage(location=settings.MEDIA_ROOT)
    rows = WarcFile.objects.filter(
        connection__account__in=accounts.order_by().values("pk")
    ).order_by("day", "pk")
    if start is not None:
        rows = rows.filter(day__gte=start)
    if end is not None:
        rows = rows.filter(day__lte=end)
    for warc in rows.iterator(chunk_size=500):
        if not storage.exists(warc.path):
            continue
        version = warc_version(Path(storage.path(warc.path)))
        yield records.PackageFile(
            storage=storage,
            name=warc.path,
            mimetype="application/warc",
            format_name="WARC",
            format_version=version,
            pronom=WARC_PRONOM.get(version, ""),
        )
