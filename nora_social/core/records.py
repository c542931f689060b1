"""The record-kind registry: each app tells the archive how its records are
registered, dated, linked, listed in a snapshot's period and disposed of, so the
archive never switches on another app's model label (DESIGN.md, "Every new record
kind registers with the archive").

An app registers its kinds in ``AppConfig.ready``::

    records.register(RecordKind(
        label="moderation.Question",
        name=_("Inkomna frågor och synpunkter"),
        date_field="received_at",
        entry=question_entry,            # how it is entered in the register
        url=lambda q: reverse("moderation:question_detail", args=[q.pk]),
        current=lambda qs: qs.exclude(status="answered"),
        period=question_period_lines,    # its lines in a snapshot of an account
    ))

The archive asks ``records.kind_for(record)`` or ``records.get(label)`` and calls
what the kind provides. A kind that leaves a callable as ``None`` does without it:
no ``entry`` means it is not registered automatically, no ``period`` means it is
not listed in snapshots, no ``current`` means a decision "when no longer current"
reaches none of its records, ``disposable=False`` keeps it out of retention
decisions. Disposal and purge remove a record with its ``dependants`` and
``owned`` rows, their files, and the notices about any of them (the notices'
generic relation ``accounts.Notification.about``, set by ``notify(about=...)``).

Three more callables serve a kind that keeps more than rows and files: its
``removing`` hears of a record's removal (which decision or purge) before the
rows go, ``package_files`` names the files it keeps beside its records that an
archive package of a period carries (raw exchanges as WARC), and ``integrity``
checks its own tamper evidence (a hash chain) for ``verify_archive``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Model, QuerySet
from django.utils import timezone


@dataclass(frozen=True)
class RecordEntry:
    """What a register entry of a record says, before it has a number.
    ``direction`` is ``"received"`` (inkommen) or ``"drawn_up"`` (upprättad)."""

    direction: str
    document_date: datetime.date | None
    subject: str
    party: str = ""
    secrecy_provision: str = ""
    # The user who handles it (accounts.User); Any: the kernel imports no app.
    handling_officer: Any = None
    content_text: str = ""


@dataclass(frozen=True)
class PeriodLine:
    """One line of a snapshot's period listing (§10): when, what kind, whether
    the municipality wrote it (official) or a citizen did, and a summary with no
    secret content."""

    when: datetime.datetime
    kind: str
    official: bool
    summary: str


def local_date(moment: datetime.date | None) -> datetime.date | None:
    """The local calendar day of a moment (a date stays as it is)."""
    if moment is None:
        return None
    if isinstance(moment, datetime.datetime):
        return timezone.localdate(moment)
    return moment


@dataclass(frozen=True)
class Removal:
    """Why a record is being removed: a disposal under a retention decision
    (``"disposal"``, the decision's number and reference) or a confirmed purge
    (``"purge"``, the purge entry's number)."""

    by: str
    number: int
    reference: str = ""


@dataclass(frozen=True)
class PackageFile:
    """A stored file a kind keeps beside its records, for an archive package:
    where it is (``storage`` and ``name``, as a FieldFile has them) and its
    format (MIME type, name and version, PRONOM identifier)."""

    storage: Any
    name: str
    mimetype: str
    format_name: str
    format_version: str = ""
    pronom: str = ""


@dataclass(frozen=True)
class IntegrityProblem:
    """A break in a kind's tamper evidence: which account, which position in
    its chain, which object, and what is wrong (Swedish, no content)."""

    account_id: int
    position: int
    object_id: str
    what: str


# Whether a removal named by a kind's own record (a gap in a chain) is on record
# with the archive: ``(removal, record_label, record_id) -> bool``.
RemovalRecorded = Callable[[Removal, str, int], bool]


# The dependants of a record: (model, primary keys) pairs of rows that exist only
# for it, removed with it, in the order given (before the record itself).
Dependants = Iterable[tuple[type[Model], list[int]]]


@dataclass(frozen=True)
class RecordKind:
    label: str
    """``app_label.ModelName``: also the value stored in retention decisions."""
    name: Any
    """Plural Swedish name for choices ("Inkomna frågor och synpunkter"); lazy text."""
    date_field: str
    """The field (or annotation, see ``dated``) a record counts from: when it came
    in or was drawn up. Retention periods and snapshot periods use it."""
    entry: Callable[[Any], RecordEntry] | None = None
    """How a record is entered in the register (None: not registered automatically)."""
    url: Callable[[Any], str] | None = None
    """Where a person with access sees the record."""
    dated: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None
    """Annotates ``date_field`` on a queryset when it is not a column."""
    current: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None
    """Narrows a queryset to the records still current (being handled, not yet
    replaced): a retention decision "when no longer current" takes the rest."""
    in_handling: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None
    """Narrows a queryset to records still being handled, which no retention
    period reaches (an unanswered question, an open request)."""
    dependants: Callable[[Any], Dependants] | None = None
    """Rows that exist only for the record and point to it, removed with it on
    disposal or purge, before it."""
    owned: Callable[[Any], Dependants] | None = None
    """Rows the record points to that exist only for it (a snapshot's request),
    removed after it."""
    files: Callable[[Any], Iterable[Any]] | None = None
    """Stored files (FieldFile) of its dependants and owned rows, removed with it
    (the record's own file fields are found without this)."""
    period: Callable[[Any, datetime.date, datetime.date], Iterable[PeriodLine]] | None = None
    """An account's records of this kind in a snapshot period (account, start, end)."""
    removing: Callable[[Any, Removal], None] | None = None
    """Told of a record's removal inside its transaction, before its rows go
    (a chain records the gap it leaves, with the hashes at its edges)."""
    package_files: (
        Callable[[Any, datetime.date | None, datetime.date | None], Iterable[PackageFile]] | None
    ) = None
    """Files kept beside the records of some accounts (a queryset) in a period
    (start, end; None for open), which an archive package carries."""
    integrity: Callable[[RemovalRecorded], Iterable[IntegrityProblem]] | None = None
    """Checks the kind's own tamper evidence; a gap is accepted only when the
    archive says the removal that explains it is on record."""
    account_field: str = "account"
    """The field naming the account the record belongs to ("" for none)."""
    disposable: bool = True
    extra: dict[str, Any] = field(default_factory=dict)
    """Anything a later reader of the registry needs that this base does not name."""

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.label)


_KINDS: dict[str, RecordKind] = {}


def register(kind: RecordKind) -> RecordKind:
    """Register (or, when an app's ``ready`` runs again in tests, replace) a kind."""
    _KINDS[kind.label] = kind
    return kind


def unregister(label: str) -> None:
    _KINDS.pop(label, None)


def get(label: str) -> RecordKind | None:
    return _KINDS.get(label)


def kind_for(record: Model | type[Model]) -> RecordKind | None:
    return _KINDS.get(record._meta.label)


def kinds() -> Iterator[RecordKind]:
    """Every registered kind, in the order they were registered."""
    return iter(list(_KINDS.values()))


def registrable() -> list[RecordKind]:
    return [kind for kind in _KINDS.values() if kind.entry is not None]


def disposable() -> list[RecordKind]:
    return [kind for kind in _KINDS.values() if kind.disposable]


def disposable_choices() -> list[tuple[str, Any]]:
    """Choices for a retention decision's kind of record (a callable ``choices``
    for model and form fields, so a new kind needs no migration)."""
    return [(kind.label, kind.name) for kind in disposable()]
