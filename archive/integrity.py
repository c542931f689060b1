"""The archive's fixity check (issue 5: "``verify_archive`` re-hashes every
stored file and reports any mismatch").

Every stored file whose SHA-256 was recorded when it was written is read again
in chunks (constant memory, whatever the file's size) and compared. Which files:
any model of this project with a ``FileField`` and, beside it, a ``sha256``
field (the model's one file) or ``<field>_sha256``: snapshots, their uploaded
screenshots, the approved activity plans and moderation screenshots today, and any kind added later
without changing this module. History tables are not read: a history row names
the same file as its record.

A problem names the kind, the row's number and the stored path, never content.

Beside the files, each record kind that keeps its own tamper evidence (the
capture's hash chain per account) is checked through the record-kind registry
(``RecordKind.integrity``); a gap in it is accepted only when a disposal run or
a confirmed purge on record here explains it (``removal_recorded``).
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db.models import FileField, Model

from archive.disposal.selectors import removal_recorded
from nora_social.core import records
from nora_social.core.uploads import stream_sha256

MISMATCH = "mismatch"
MISSING = "missing"
NO_HASH = "no_hash"
UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Source:
    model: type[Model]
    file_field: str
    hash_field: str

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)


@dataclass(frozen=True)
class Problem:
    kind: str  # MISMATCH, MISSING, UNREADABLE or NO_HASH
    label: str
    record_id: int
    path: str


@dataclass
class Report:
    checked: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.checked.values())

    def count(self, kind: str) -> int:
        return sum(1 for p in self.problems if p.kind == kind)

    @property
    def ok(self) -> bool:
        return not self.problems


def _is_history(model: type[Model]) -> bool:
    return hasattr(model, "instance_type") or any(
        f.name == "history_id" for f in model._meta.concrete_fields
    )


def hashed_file_sources() -> list[Source]:
    """Every (model, file field, hash field) of this project's apps."""
    base = str(settings.BASE_DIR)
    found = []
    for config in apps.get_app_configs():
        if not str(config.path).startswith(base) or "/.venv/" in str(config.path):
            continue
        for model in config.get_models():
            if _is_history(model) or model._meta.proxy:
                continue
            names = {f.name for f in model._meta.concrete_fields}
            files = [f for f in model._meta.concrete_fields if isinstance(f, FileField)]
            for file_field in files:
                for candidate in (f"{file_field.name}_sha256", "sha256"):
                    if candidate == "sha256" and len(files) > 1:
                        continue
                    if candidate in names:
                        found.append(Source(model, file_field.name, candidate))
                        break
    return sorted(found, key=lambda s: s.model._meta.label)


def file_sha256(field_file) -> str:
    with field_file.storage.open(field_file.name, "rb") as handle:
        return stream_sha256(handle)


def _rows(source: Source) -> Iterator[Model]:
    return (
        source.model._default_manager.exclude(**{source.file_field: ""})
        .exclude(**{f"{source.file_field}__isnull": True})
        .only("pk", source.file_field, source.hash_field)
        .order_by("pk")
        .iterator(chunk_size=500)
    )


def verify_archive(sources: list[Source] | None = None) -> Report:
    """Re-hash every stored file and compare it with the hash recorded for it."""
    report = Report()
    for source in sources if sources is not None else hashed_file_sources():
        for row in _rows(source):
            stored = getattr(row, source.file_field)
            expected = (getattr(row, source.hash_field) or "").lower()
            report.checked[source.label] += 1
            kind = None
            try:
                actual = file_sha256(stored)
            except FileNotFoundError:
                kind = MISSING
            except OSError:
                kind = UNREADABLE
            else:
                if not expected:
                    kind = NO_HASH
                elif actual != expected:
                    kind = MISMATCH
            if kind is not None:
                report.problems.append(Problem(kind, source.label, row.pk, stored.name))
    return report


@dataclass(frozen=True)
class ChainBreak:
    kind: str  # the record kind's Swedish name
    problem: records.IntegrityProblem


def verify_tamper_evidence() -> tuple[list[str], list[ChainBreak]]:
    """Every kind's own tamper evidence: the names of the kinds checked and the
    breaks found."""
    checked: list[str] = []
    breaks: list[ChainBreak] = []
    for kind in records.kinds():
        if kind.integrity is None:
            continue
        checked.append(str(kind.name))
        breaks.extend(ChainBreak(str(kind.name), p) for p in kind.integrity(removal_recorded))
    return checked, breaks
