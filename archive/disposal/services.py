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

What a decision reaches, and what goes with a record, each kind of record says
for itself (``nora_social.core.records``, registered by the app that owns it:
``moderation/records.py``, ``activity_plans/records.py``,
``archive/snapshots/records.py``): the date it counts from, what is still
current, what no period reaches (an unanswered question, a plan in the chain,
the newest or final snapshot and the approved plan of an account not closed),
its dependants and owned rows. A plan that a kept amendment still points to is
kept back, not removed.

The in-app notices about a removed record or its rows (a plan to approve, a
forwarded question, an escalation, a snapshot request; ``Notification.about``)
go with it: they name what was disposed of and would lead nowhere. Notices are messages to
people, not records; the mail already sent is outside the system.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from archive.disposal.permissions import can_confirm_purge, can_dispose, can_propose_purge
from archive.disposal.removal import Removed, _delete_files_after_commit, _remove
from archive.disposal.selectors import (
    _dated,
    _due_queryset,
    _held_filter,
    _references,
    disposable_kind,
    is_disposable,
    record_model,
)
from archive.errors import ArchiveError
from archive.models import (
    DisposalEntry,
    DisposedRecord,
    Hold,
    PurgeEntry,
    RetentionDecision,
)
from channels_registry.models import SocialAccount
from nora_social.core.history import set_history_user
from nora_social.core.records import Removal

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

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not is_disposable(data.record_type):
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
    assert data.decided_on is not None  # decision_problems refused a decision without one  # nosec B101
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
    account: SocialAccount | None = None,
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
        if not is_disposable(record_type) or not record_id:
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
    kind = disposable_kind(decision.record_type)
    qs = _due_queryset(decision, timezone.localdate())
    held_count = qs.filter(_held_filter(decision.record_type)).count()
    qs = qs.exclude(_held_filter(decision.record_type))
    if expected_ids is not None:
        qs = qs.filter(pk__in=expected_ids)
    # Newest first, so a correction goes before the entry it corrected.
    records = list(
        _dated(kind.model._default_manager.select_for_update(), kind)
        .filter(pk__in=qs.values("pk"))
        .order_by("-pk")
    )
    if not records:
        raise ArchiveError(_("Inget att gallra enligt beslutet just nu."))
    removed = Removed()
    kept_back = 0
    gone = []
    removal = Removal("disposal", decision.pk, decision.decision_reference)
    for record in records:
        moment = getattr(record, kind.date_field)
        if _remove(record, removed, removal):
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
    if not is_disposable(record_type):
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
    if not _remove(record, removed, Removal("purge", entry.pk, entry.reference)):
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
