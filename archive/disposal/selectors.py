"""Reads for retention and disposal: the records a decision covers, which of
them are held, and the preview of a disposal run before it is confirmed.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.errors import ArchiveError
from archive.models import DisposedRecord, Document, Hold, PurgeEntry, RetentionDecision
from nora_social.core import records
from nora_social.core.records import RecordKind


def is_disposable(record_type: str) -> bool:
    kind = records.get(record_type)
    return kind is not None and kind.disposable


def disposable_kind(record_type: str) -> RecordKind:
    """The registered kind a retention decision, hold or purge names."""
    kind = records.get(record_type)
    if kind is None or not kind.disposable:
        raise ArchiveError(_("Den sortens handling kan inte gallras eller rensas här."))
    return kind


def record_model(record_type: str) -> type[Model]:
    return disposable_kind(record_type).model


def _dated(qs: QuerySet, kind: RecordKind) -> QuerySet:
    """Add the date a record counts from where the kind has it as no column."""
    return kind.dated(qs) if kind.dated is not None else qs


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def active_holds() -> QuerySet:
    return Hold.objects.filter(lifted_at__isnull=True).select_related("account")


def _held_filter(record_type: str) -> Q:
    """Records of this type under an active hold, on them or on their account."""
    holds = active_holds()
    ids = holds.filter(record_type=record_type, record_id__isnull=False).values("record_id")
    held = Q(pk__in=ids)
    account_field = disposable_kind(record_type).account_field
    if account_field:
        accounts = holds.filter(account__isnull=False).values("account_id")
        held |= Q(**{f"{account_field}_id__in": accounts})
    return held


# --- What a decision makes due ---------------------------------------------------


@dataclass
class Preview:
    decision: RetentionDecision
    due: list = field(default_factory=list)  # DueRecord
    held: list = field(default_factory=list)  # DueRecord


@dataclass
class DueRecord:
    record: Model
    record_type: str
    date: datetime.date | None
    reference: str
    account_name: str


def _without(qs: QuerySet, narrow: Callable[[QuerySet], QuerySet] | None, kind: RecordKind):
    """The records of ``qs`` that the kind's narrowing leaves out."""
    if narrow is None:
        return qs
    return qs.exclude(pk__in=narrow(kind.model._default_manager.all()).values("pk"))


def _due_queryset(decision: RetentionDecision, today: datetime.date) -> QuerySet:
    """What the decision reaches: never what the kind still handles or keeps
    (``in_handling``); after N years counted from the kind's date, or once no
    longer ``current`` (a kind that says nothing of it has no such records)."""
    kind = disposable_kind(decision.record_type)
    qs = _dated(kind.model._default_manager.all(), kind)
    if decision.rule == RetentionDecision.Rule.KEEP:
        return qs.none()
    if decision.rule == RetentionDecision.Rule.AFTER_YEARS:
        cutoff = _years_before(today, decision.years or 0)
        start = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
        qs = qs.filter(**{f"{kind.date_field}__lt": start})
    elif kind.current is None:
        return qs.none()
    else:
        qs = _without(qs, kind.current, kind)
    return _without(qs, kind.in_handling, kind)


def _references(record_type: str, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    content_type = ContentType.objects.get_for_model(record_model(record_type))
    documents = Document.objects.filter(record_type=content_type, record_id__in=ids).select_related(
        "case"
    )
    return {d.record_id: d.reference for d in documents if d.record_id is not None}


def _due_record(record, record_type: str, references: dict[int, str]) -> DueRecord:
    kind = disposable_kind(record_type)
    moment = getattr(record, kind.date_field)
    account = getattr(record, kind.account_field) if kind.account_field else None
    return DueRecord(
        record=record,
        record_type=record_type,
        date=timezone.localdate(moment) if moment else None,
        reference=references.get(record.pk, ""),
        # A withdrawn plan for a new account never had one.
        account_name=account.display_name if account else getattr(record, "display_name", ""),
    )


def disposal_preview(*, decision: RetentionDecision, today: datetime.date | None = None) -> Preview:
    """Exactly what a run under the decision would remove now, and what a hold keeps."""
    today = today or timezone.localdate()
    qs = _due_queryset(decision, today).order_by("-pk")
    account_field = disposable_kind(decision.record_type).account_field
    if account_field:
        qs = qs.select_related(account_field)
    held_q = _held_filter(decision.record_type)
    due = list(qs.exclude(held_q))
    held = list(qs.filter(held_q))
    references = _references(decision.record_type, [r.pk for r in due + held])
    return Preview(
        decision=decision,
        due=[_due_record(r, decision.record_type, references) for r in due],
        held=[_due_record(r, decision.record_type, references) for r in held],
    )


def removal_recorded(removal: records.Removal, record_type: str, record_id: int) -> bool:
    """Whether the archive has on record that ``removal`` took the record: a
    disposal run under the decision listed it, or the confirmed purge was of
    it. A kind's tamper evidence accepts a gap only when this says yes."""
    if removal.by == "disposal":
        return DisposedRecord.objects.filter(
            entry__decision_id=removal.number, record_type=record_type, record_id=record_id
        ).exists()
    if removal.by == "purge":
        return PurgeEntry.objects.filter(
            pk=removal.number,
            status=PurgeEntry.Status.CONFIRMED,
            record_type=record_type,
            record_id=record_id,
        ).exists()
    return False
