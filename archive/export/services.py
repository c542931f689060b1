"""Recording archive packages: every package written is validated and entered in
the export log with its size and SHA-256; a later check of the package file
(``validate_archive_package``) is entered against it. The log is what the
yearly report counts as packages exported and verified."""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts.models import User
from archive.export import validator
from archive.export.models import ArchiveExport, ExportVerification
from archive.export.selection import Scope
from archive.export.writer import PackageResult, write_package

CHUNK = 1 << 20


def _file_digest(handle: IO[bytes]) -> tuple[int, str]:
    """Size and SHA-256 of a binary file object, read from its start; left at its start."""
    handle.seek(0)
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    return size, digest.hexdigest()


@transaction.atomic
def export_record(
    *, scope: Scope, actor: User, result: PackageResult, package: IO[bytes], channel: str
) -> ArchiveExport:
    """Enter a package just written (``package`` is its seekable binary file):
    its hash and size, and the validator's verdict, whatever it is. A package
    that fails is recorded too: the log shows every attempt."""
    size, sha256 = _file_digest(package)
    check = validator.validate_package(package)
    package.seek(0)
    return ArchiveExport.objects.create(
        objid=result.objid,
        exported_by=actor,
        exported_at=timezone.now(),
        channel=channel,
        administration=scope.administration,
        account=scope.account,
        year=scope.year,
        label=scope.label[:300],
        cases=result.cases,
        documents=result.documents,
        snapshots=result.snapshots,
        data_files=result.data_files,
        size=size,
        sha256=sha256,
        valid=check.ok,
        checked_files=check.checked,
        problems="\n".join(check.problems),
    )


def export_package(*, scope: Scope, actor: User, out: IO[bytes], channel: str) -> ArchiveExport:
    """Write the package for ``scope`` to the seekable binary file ``out``,
    validate it and record it. The caller checks ``can_export`` (the registrar)."""
    result = write_package(scope=scope, actor=actor, out=out)
    out.flush()
    return export_record(scope=scope, actor=actor, result=result, package=out, channel=channel)


@dataclass
class Verification:
    check: validator.Validation
    recorded: ExportVerification | None
    """None when the package is not in the log (written elsewhere, or a folder)."""
    log_unavailable: bool = False
    """The log could not be read (a copy of the program with no database): the
    package is still checked, the check is not entered."""


def verify_recorded_package(*, path: str | os.PathLike, actor: User | None) -> Verification:
    """Validate a package file again and, when the log knows its OBJID, record
    the check with whether the file is byte for byte the one exported."""
    check = validator.validate_package(path)
    if not check.objid or Path(path).is_dir():
        return Verification(check, None)
    try:
        export = ArchiveExport.objects.filter(objid=check.objid).first()
    except DatabaseError:
        return Verification(check, None, log_unavailable=True)
    if export is None:
        return Verification(check, None)
    with open(path, "rb") as handle:
        size, sha256 = _file_digest(handle)
    recorded = ExportVerification.objects.create(
        export=export,
        verified_by=actor,
        verified_at=timezone.now(),
        valid=check.ok,
        same_file=(size == export.size and sha256 == export.sha256),
        checked_files=check.checked,
        problems="\n".join(check.problems),
    )
    return Verification(check, recorded)
