"""Disposal (gallring) under retention decisions, holds, and purges (DESIGN.md
"Records: kept, disposed only by decision"; arkivlagen 10 §; policy §10).

Nothing else deletes a record. Both ways remove the same things: the record, its
register entry (``Document``) and minor-mark, rows that hang on it (an escalation,
a post's corrections), every history row of each, and the files nothing else
still points to. Public records refuse ``delete()`` one by one
(``nora_social.core.append_only``), so removal uses queryset deletes. Files go only once the
transaction has committed, so a run that fails keeps both rows and files.

What is left: a ``DisposalEntry`` (type, references, counts, decision, who,
when) or a ``PurgeEntry`` (type, number, reference, reason, both people). No
content is kept in either.

Snapshots and activity plans are records too, with two protections a decision
cannot override while the account is not closed (what keeps the account
lawful, §2–§3 and §10, is never due):

- a snapshot goes with its request and the uploaded screenshots (rows, history,
  files). The newest snapshot of an account that is not closed (the compliance
  rule and the next yearly snapshot read it) and its final snapshot stay until
  the account is closed; "no longer current" means a newer snapshot exists.
- an activity plan goes with its decisions, frozen revisions and the approved
  PDF. Drafts and plans in the chain are never due. An approved plan, and the
  amendments that replaced it, are the account's written basis and stay while
  the account is not closed; a withdrawn plan is no longer current. A plan
  counts from its approval, else from its last decision (the withdrawal).
  A plan that a kept amendment still points to is kept back, not removed.

The in-app notices that lead to a removed record (a plan to approve, a forwarded
question, an escalated moderation action, a snapshot request) go with it: they
name what was disposed of and would lead nowhere. Notices are messages to
people, not records; the mail already sent is outside the system.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import (
    Exists,
    FileField,
    Model,
    OuterRef,
    ProtectedError,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from archive.models import (
    DisposableType,
    DisposalEntry,
    DisposedRecord,
    Document,
    Hold,
    MinorRecord,
    PurgeEntry,
    RetentionDecision,
    Snapshot,
    SnapshotRequest,
    SnapshotScreenshot,
)
from archive.services import ArchiveError
from channels_registry.models import SocialAccount
from nora_social.core.history import set_history_user

# The date a record counts from, per kind: when it came in or was drawn up.
DATE_FIELDS: dict[str, str] = {
    DisposableType.MODERATION_ACTION: "logged_at",
    DisposableType.QUESTION: "received_at",
    DisposableType.POST: "published_at",
    DisposableType.SNAPSHOT: "made_at",
    # Annotated by ``_dated``: approval, else the last decision, else creation.
    DisposableType.ACTIVITY_PLAN: "disposal_date",
}


def can_dispose(user: User) -> bool:
    return user.is_authenticated and user.has_perm("archive.dispose_records")


def can_propose_purge(user: User) -> bool:
    return user.is_authenticated and user.has_perm("archive.propose_purge")


def can_confirm_purge(user: User) -> bool:
    return user.is_authenticated and user.has_perm("archive.confirm_purge")


def can_see_purges(user: User) -> bool:
    return can_propose_purge(user) or can_confirm_purge(user)


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


# --- Retention decisions and holds ----------------------------------------------


@dataclass
class DecisionData:
    record_type: str
    rule: str
    decided_by_body: str
    decided_on: datetime.date | None
    plan_paragraph: str
    years: int | None = None
    decision_reference: str = ""


def decision_problems(data: DecisionData) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    if data.record_type not in DisposableType.values:
        add("record_type", _("Välj vilket slags handling beslutet gäller."))
    if data.rule not in RetentionDecision.Rule.values:
        add("rule", _("Välj vad beslutet säger."))
    if data.rule == RetentionDecision.Rule.AFTER_YEARS and not data.years:
        add("years", _("Ange efter hur många år handlingarna gallras (minst 1)."))
    if not data.decided_by_body.strip():
        add("decided_by_body", _("Ange vilket organ som fattade beslutet."))
    if data.decided_on is None:
        add("decided_on", _("Ange beslutsdatum."))
    elif data.decided_on > timezone.localdate():
        add("decided_on", _("Beslutsdatumet kan inte ligga i framtiden."))
    if not data.plan_paragraph.strip():
        add("plan_paragraph", _("Ange punkten i dokumenthanteringsplanen."))
    return errors


@transaction.atomic
def decision_record(*, actor: User, data: DecisionData) -> RetentionDecision:
    """The registrar records a retention decision taken by a body."""
    if not can_dispose(actor):
        raise ArchiveError(_("Bara registrator kan registrera gallringsbeslut."))
    errors = decision_problems(data)
    if errors:
        raise ArchiveError(_("Beslutet kunde inte sparas."), errors)
    assert data.decided_on is not None  # decision_problems refused a decision without one
    decision = RetentionDecision(
        record_type=data.record_type,
        rule=data.rule,
        years=data.years if data.rule == RetentionDecision.Rule.AFTER_YEARS else None,
        decided_by_body=data.decided_by_body.strip(),
        decided_on=data.decided_on,
        plan_paragraph=data.plan_paragraph.strip(),
        decision_reference=data.decision_reference.strip(),
        recorded_by=actor,
    )
    set_history_user(decision, actor)
    decision.save()
    return decision


@transaction.atomic
def hold_place(
    *,
    actor: User,
    kind: str,
    reference: str,
    note: str = "",
    account=None,
    record_type: str = "",
    record_id: int | None = None,
) -> Hold:
    """Stop disposal of a record, or of everything of an account, while a
    records request or an appeal is open."""
    if not can_dispose(actor):
        raise ArchiveError(_("Bara registrator kan registrera gallringsstopp."))
    errors: dict[str, list[str]] = {}
    if kind not in Hold.Kind.values:
        errors["kind"] = [_("Välj skälet till stoppet.")]
    if not reference.strip():
        errors["reference"] = [_("Ange diarienumret för begäran eller överklagandet.")]
    if record_type or record_id:
        if record_type not in DisposableType.values or not record_id:
            errors["record_id"] = [_("Ange både slags handling och postens nummer.")]
        elif not record_model(record_type)._default_manager.filter(pk=record_id).exists():
            errors["record_id"] = [_("Det finns ingen sådan post.")]
    elif account is None:
        errors[""] = [_("Välj ett konto eller ange en enskild post.")]
    if errors:
        raise ArchiveError(_("Gallringsstoppet kunde inte sparas."), errors)
    hold = Hold(
        kind=kind,
        reference=reference.strip(),
        note=note.strip(),
        account=account,
        record_type=record_type if record_id else "",
        record_id=record_id or None,
        placed_by=actor,
    )
    set_history_user(hold, actor)
    hold.save()
    return hold


@transaction.atomic
def hold_lift(*, hold_id: int, actor: User) -> Hold:
    if not can_dispose(actor):
        raise ArchiveError(_("Bara registrator kan häva gallringsstopp."))
    hold = Hold.objects.select_for_update().filter(pk=hold_id).first()
    if hold is None:
        raise ArchiveError(_("Gallringsstoppet finns inte."))
    if hold.lifted_at is not None:
        raise ArchiveError(_("Gallringsstoppet är redan hävt."))
    hold.lifted_by = actor
    hold.lifted_at = timezone.now()
    set_history_user(hold, actor)
    hold.save()
    return hold


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


# --- Removal (shared by disposal and purge) --------------------------------------


@dataclass
class Removed:
    records: int = 0
    history_rows: int = 0
    files: int = 0
    references: dict = field(default_factory=dict)
    file_names: list = field(default_factory=list)


def _file_names(record: Model) -> list[tuple[FileField, str]]:
    return [
        (f, getattr(record, f.attname).name)
        for f in record._meta.concrete_fields
        if isinstance(f, FileField) and getattr(record, f.attname)
    ]


def _delete_rows(model: type[Model], pks: list[int], removed: Removed) -> None:
    """Rows with their history rows, by queryset (append-only models refuse
    ``delete()`` one by one)."""
    if not pks:
        return
    model._default_manager.filter(pk__in=pks).delete()
    # After the rows: deleting a tracked row writes a "-" history row with its
    # values, which must go too.
    history = getattr(model, "history", None)
    if history is not None:
        removed.history_rows += history.model.objects.filter(id__in=pks).delete()[0]


def _remove_register_entries(record: Model, removed: Removed) -> str:
    content_type = ContentType.objects.get_for_model(record)
    documents = Document.objects.filter(record_type=content_type, record_id=record.pk)
    reference = ""
    for document in documents.select_related("case"):
        reference = document.reference
    _delete_rows(Document, list(documents.values_list("pk", flat=True)), removed)
    marks = MinorRecord.objects.filter(record_type=content_type, record_id=record.pk)
    _delete_rows(MinorRecord, list(marks.values_list("pk", flat=True)), removed)
    return reference


# Any: a record of another app, known here only by its label (imports point one way).
def _notice_urls(record: Any) -> list[str]:
    """Where the notices about this record lead (the services' ``notify`` urls)."""
    label = record._meta.label
    if label == DisposableType.ACTIVITY_PLAN:
        return [reverse("activity_plans:plan_detail", args=[record.pk])]
    if label == DisposableType.QUESTION:
        return [reverse("moderation:question_detail", args=[record.pk])]
    if label == DisposableType.SNAPSHOT:
        return [reverse("archive:snapshot_request", args=[record.request_id])]
    if label == DisposableType.MODERATION_ACTION:
        from moderation.models import Escalation

        return [
            reverse("moderation:escalation_detail", args=[pk])
            for pk in Escalation.objects.filter(action=record).values_list("pk", flat=True)
        ]
    return []


def _remove_dependants(record: Any, removed: Removed) -> None:
    Notification.objects.filter(url__in=_notice_urls(record)).delete()
    label = record._meta.label
    if label == DisposableType.MODERATION_ACTION:
        from moderation.models import Escalation

        escalations = list(Escalation.objects.filter(action=record).values_list("pk", flat=True))
        if escalations:
            through = Escalation.notified.through
            through.objects.filter(escalation_id__in=escalations).delete()
        _delete_rows(Escalation, escalations, removed)
    elif label == DisposableType.POST:
        from moderation.models import PostCorrection

        corrections = list(PostCorrection.objects.filter(post=record).values_list("pk", flat=True))
        _delete_rows(PostCorrection, corrections, removed)
    elif label == DisposableType.ACTIVITY_PLAN:
        from activity_plans.models import Decision, PlanRevision

        # Written once and refusing delete() one by one, like the plan's record.
        _delete_rows(Decision, list(record.decisions.values_list("pk", flat=True)), removed)
        _delete_rows(PlanRevision, list(record.revisions.values_list("pk", flat=True)), removed)


def _remove_owned(record: Any, removed: Removed) -> None:
    """After the record: rows it pointed to that exist only for it, and history
    rows of its many-to-many fields."""
    for m2m in record._meta.many_to_many:
        try:
            history_model = apps.get_model(
                record._meta.app_label, f"Historical{record._meta.object_name}_{m2m.name}"
            )
        except LookupError:
            continue
        # By the record's own column: its history rows are already gone.
        rows = history_model.objects.filter(**{f"{m2m.m2m_field_name()}_id": record.pk})
        removed.history_rows += rows.delete()[0]
    if record._meta.label == DisposableType.SNAPSHOT:
        # The request and its uploaded screenshots are the snapshot's material.
        screenshots = list(SnapshotScreenshot.objects.filter(request_id=record.request_id))
        removed.file_names.extend(
            (shot.image.storage, shot.image.name) for shot in screenshots if shot.image
        )
        _delete_rows(SnapshotScreenshot, [shot.pk for shot in screenshots], removed)
        _delete_rows(SnapshotRequest, [record.request_id], removed)


def _remove(record: Model, removed: Removed) -> bool:
    """Remove one record with everything of it. False (and nothing removed) if
    another record still points to it (a later correction, a removal of a post)."""
    model = type(record)
    files = _file_names(record)
    removed_for = Removed()
    try:
        with transaction.atomic():
            reference = _remove_register_entries(record, removed_for)
            _remove_dependants(record, removed_for)
            _delete_rows(model, [record.pk], removed_for)
            _remove_owned(record, removed_for)
    except ProtectedError:
        return False
    removed.records += 1
    removed.history_rows += removed_for.history_rows
    removed.references[record.pk] = reference
    removed.file_names.extend(removed_for.file_names)
    for file_field, name in files:
        # A correction may keep the earlier entry's screenshot: the file goes
        # only when no row still names it.
        if not model._default_manager.filter(**{file_field.attname: name}).exists():
            removed.file_names.append((file_field.storage, name))
    return True


def _delete_files_after_commit(removed: Removed) -> None:
    removed.files = len(removed.file_names)
    names = list(removed.file_names)

    def delete():
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete)


# --- Disposal --------------------------------------------------------------------


@transaction.atomic
def disposal_run(
    *, decision_id: int, actor: User, expected_ids: list[int] | None = None
) -> DisposalEntry:
    """Remove what the decision makes due, skipping held records, and leave the
    entry. With ``expected_ids`` (what the preview showed) nothing outside that
    list goes: a record that became due since the preview waits for the next run."""
    if not can_dispose(actor):
        raise ArchiveError(_("Bara registrator kan gallra."))
    decision = RetentionDecision.objects.select_for_update().filter(pk=decision_id).first()
    if decision is None:
        raise ArchiveError(_("Gallringsbeslutet finns inte."))
    if decision.rule == RetentionDecision.Rule.KEEP:
        raise ArchiveError(_("Beslutet säger att handlingarna ska bevaras."))
    model = record_model(decision.record_type)
    qs = _due_queryset(decision, timezone.localdate())
    held_count = qs.filter(_held_filter(decision.record_type)).count()
    qs = qs.exclude(_held_filter(decision.record_type))
    if expected_ids is not None:
        qs = qs.filter(pk__in=expected_ids)
    # Newest first, so a correction goes before the entry it corrected.
    records = list(
        _dated(model._default_manager.select_for_update(), decision.record_type)
        .filter(pk__in=qs.values("pk"))
        .order_by("-pk")
    )
    if not records:
        raise ArchiveError(_("Inget att gallra enligt beslutet just nu."))
    removed = Removed()
    kept_back = 0
    gone = []
    for record in records:
        moment = getattr(record, DATE_FIELDS[decision.record_type])
        if _remove(record, removed):
            gone.append((record.pk, timezone.localdate(moment) if moment else None))
        else:
            kept_back += 1
    _delete_files_after_commit(removed)
    entry = DisposalEntry.objects.create(
        decision=decision,
        record_type=decision.record_type,
        record_count=removed.records,
        history_row_count=removed.history_rows,
        file_count=removed.files,
        skipped_held=held_count,
        performed_by=actor,
    )
    DisposedRecord.objects.bulk_create(
        DisposedRecord(
            entry=entry,
            record_type=decision.record_type,
            record_id=pk,
            reference=removed.references.get(pk, ""),
            record_date=day,
        )
        for pk, day in gone
    )
    entry.kept_back = kept_back
    return entry


# --- Purge -----------------------------------------------------------------------


@transaction.atomic
def purge_propose(*, actor: User, record_type: str, record_id: int, reason: str) -> PurgeEntry:
    """The registrar proposes removing material that must not be kept."""
    if not can_propose_purge(actor):
        raise ArchiveError(_("Bara registrator kan föreslå rensning."))
    errors: dict[str, list[str]] = {}
    record = None
    if record_type not in DisposableType.values:
        errors["record_type"] = [_("Välj vilket slags handling det gäller.")]
    else:
        record = record_model(record_type)._default_manager.filter(pk=record_id).first()
        if record is None:
            errors["record_id"] = [_("Det finns ingen sådan post.")]
    if not reason.strip():
        errors["reason"] = [_("Ange varför materialet inte får bevaras.")]
    if (
        record is not None
        and PurgeEntry.objects.filter(
            record_type=record_type, record_id=record_id, status=PurgeEntry.Status.PROPOSED
        ).exists()
    ):
        errors.setdefault("", []).append(_("Det finns redan ett förslag om rensning av posten."))
    if errors:
        raise ArchiveError(_("Förslaget kunde inte sparas."), errors)
    entry = PurgeEntry(
        record_type=record_type,
        record_id=record_id,
        reference=_references(record_type, [record_id]).get(record_id, ""),
        reason=reason.strip(),
        proposed_by=actor,
    )
    set_history_user(entry, actor)
    entry.save()
    return entry


def _lock_purge(purge_id: int, actor: User) -> PurgeEntry:
    if not can_confirm_purge(actor):
        raise ArchiveError(_("Bara säkerhetssamordnaren kan bekräfta eller avslå en rensning."))
    entry = PurgeEntry.objects.select_for_update().filter(pk=purge_id).first()
    if entry is None:
        raise ArchiveError(_("Förslaget finns inte."))
    if entry.status != PurgeEntry.Status.PROPOSED:
        raise ArchiveError(_("Förslaget är redan avgjort."))
    if entry.proposed_by_id == actor.pk:
        raise ArchiveError(
            _("Den som föreslog rensningen kan inte själv bekräfta den. Två personer krävs.")
        )
    return entry


@transaction.atomic
def purge_confirm(*, purge_id: int, actor: User, note: str = "") -> PurgeEntry:
    """The security coordinator, not the proposer, confirms: the record goes with
    its history rows and files; the entry keeps type, number, reference, reason
    and both people. A hold does not stop a purge: the material may not be kept."""
    entry = _lock_purge(purge_id, actor)
    model = record_model(entry.record_type)
    record = model._default_manager.select_for_update().filter(pk=entry.record_id).first()
    if record is None:
        raise ArchiveError(_("Posten finns inte längre."))
    removed = Removed()
    if not _remove(record, removed):
        raise ArchiveError(
            _(
                "Posten kan inte rensas ensam: en senare rättelse eller modereringsåtgärd "
                "pekar på den. Rensa den först."
            )
        )
    _delete_files_after_commit(removed)
    entry.status = PurgeEntry.Status.CONFIRMED
    entry.decided_by = actor
    entry.decided_at = timezone.now()
    entry.decision_note = note.strip()[:300]
    entry.history_row_count = removed.history_rows
    entry.file_count = removed.files
    set_history_user(entry, actor)
    entry.save()
    return entry


@transaction.atomic
def purge_refuse(*, purge_id: int, actor: User, note: str) -> PurgeEntry:
    """The security coordinator refuses the proposal; the record stays."""
    entry = _lock_purge(purge_id, actor)
    if not note.strip():
        raise ArchiveError(
            _("Ange varför förslaget avslås."), {"note": [_("Ange varför förslaget avslås.")]}
        )
    entry.status = PurgeEntry.Status.REFUSED
    entry.decided_by = actor
    entry.decided_at = timezone.now()
    entry.decision_note = note.strip()[:300]
    set_history_user(entry, actor)
    entry.save()
    return entry
