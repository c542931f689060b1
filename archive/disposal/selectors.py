"""Reads for retention and disposal: the records a decision covers, which of
them are held, and the preview of a disposal run before it is confirmed.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Exists,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.errors import ArchiveError
from archive.models import (
    DisposableType,
    Document,
    Hold,
    RetentionDecision,
    Snapshot,
)
from channels_registry.models import SocialAccount

# The date a record counts from, per kind: when it came in or was drawn up.
DATE_FIELDS: dict[str, str] = {
    DisposableType.MODERATION_ACTION: "logged_at",
    DisposableType.QUESTION: "received_at",
    DisposableType.POST: "published_at",
    DisposableType.SNAPSHOT: "made_at",
    # Annotated by ``_dated``: approval, else the last decision, else creation.
    DisposableType.ACTIVITY_PLAN: "disposal_date",
}


def record_model(record_type: str) -> type[Model]:
    if record_type not in DisposableType.values:
        raise ArchiveError(_("Den sortens handling kan inte gallras eller rensas här."))
    return apps.get_model(record_type)


def _dated(qs: QuerySet, record_type: str) -> QuerySet:
    """Add the date a plan counts from; other kinds have it as a field."""
    if record_type != DisposableType.ACTIVITY_PLAN:
        return qs
    from activity_plans.models import Decision

    last_decision = (
        Decision.objects.filter(plan=OuterRef("pk")).order_by("-decided_at", "-pk")
    ).values("decided_at")[:1]
    return qs.annotate(disposal_date=Coalesce("approved_at", Subquery(last_decision), "created_at"))


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
    accounts = holds.filter(account__isnull=False).values("account_id")
    return Q(pk__in=ids) | Q(account_id__in=accounts)


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


def _snapshots(qs: QuerySet, *, not_current: bool) -> QuerySet:
    """Snapshots that may go: a newer snapshot of the account exists and this one
    is not the final one, or the account is closed. With ``not_current``, only
    those that a newer snapshot replaced."""
    newer = Snapshot.objects.filter(account=OuterRef("account")).filter(
        Q(made_at__gt=OuterRef("made_at")) | Q(made_at=OuterRef("made_at"), pk__gt=OuterRef("pk"))
    )
    qs = qs.annotate(has_newer=Exists(newer))
    replaced = Q(has_newer=True, final=False)
    if not_current:
        return qs.filter(replaced | Q(has_newer=True, account__status=SocialAccount.Status.CLOSED))
    return qs.filter(replaced | Q(account__status=SocialAccount.Status.CLOSED))


def _plans(qs: QuerySet) -> QuerySet:
    """Plans that may go: withdrawn ones, and approved ones of a closed account.
    Drafts and plans in the chain are still being handled; an approved plan is
    the basis of an account that still exists."""
    from activity_plans.models import ActivityPlan

    return qs.filter(
        Q(status=ActivityPlan.Status.WITHDRAWN)
        | Q(status=ActivityPlan.Status.APPROVED, account__status=SocialAccount.Status.CLOSED)
    )


def _due_queryset(decision: RetentionDecision, today: datetime.date) -> QuerySet:
    model = record_model(decision.record_type)
    qs = _dated(model._default_manager.all(), decision.record_type)
    date_field = DATE_FIELDS[decision.record_type]
    if decision.rule == RetentionDecision.Rule.KEEP:
        return qs.none()
    if decision.rule == RetentionDecision.Rule.AFTER_YEARS:
        cutoff = _years_before(today, decision.years or 0)
        start = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
        qs = qs.filter(**{f"{date_field}__lt": start})
        if decision.record_type == DisposableType.QUESTION:
            # An unanswered question is still being handled.
            qs = qs.filter(status="answered")
        elif decision.record_type == DisposableType.SNAPSHOT:
            qs = _snapshots(qs, not_current=False)
        elif decision.record_type == DisposableType.ACTIVITY_PLAN:
            qs = _plans(qs)
        return qs
    if decision.record_type == DisposableType.SNAPSHOT:
        return _snapshots(qs, not_current=True)
    if decision.record_type == DisposableType.ACTIVITY_PLAN:
        return _plans(qs)
    # Not current any more: a moderation entry that a correction replaced, an
    # answered question, a post that a later correction replaced.
    if decision.record_type == DisposableType.MODERATION_ACTION:
        return qs.filter(superseded_by__isnull=False)
    if decision.record_type == DisposableType.QUESTION:
        return qs.filter(status="answered")
    return qs.filter(corrections__isnull=False).distinct()


def _references(record_type: str, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    content_type = ContentType.objects.get_for_model(apps.get_model(record_type))
    documents = Document.objects.filter(record_type=content_type, record_id__in=ids).select_related(
        "case"
    )
    return {d.record_id: d.reference for d in documents if d.record_id is not None}


def _due_record(record, record_type: str, references: dict[int, str]) -> DueRecord:
    moment = getattr(record, DATE_FIELDS[record_type])
    return DueRecord(
        record=record,
        record_type=record_type,
        date=timezone.localdate(moment) if moment else None,
        reference=references.get(record.pk, ""),
        # A withdrawn plan for a new account never had one.
        account_name=record.account.display_name
        if record.account_id
        else getattr(record, "display_name", ""),
    )


def disposal_preview(*, decision: RetentionDecision, today: datetime.date | None = None) -> Preview:
    """Exactly what a run under the decision would remove now, and what a hold keeps."""
    today = today or timezone.localdate()
    qs = _due_queryset(decision, today).select_related("account").order_by("-pk")
    held_q = _held_filter(decision.record_type)
    due = list(qs.exclude(held_q))
    held = list(qs.filter(held_q))
    references = _references(decision.record_type, [r.pk for r in due + held])
    return Preview(
        decision=decision,
        due=[_due_record(r, decision.record_type, references) for r in due],
        held=[_due_record(r, decision.record_type, references) for r in held],
    )
