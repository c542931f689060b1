"""The written decision (OSL 6:3), the appeal (OSL 6:8) and the delegation
list. A requester who is refused in whole or in part may ask for a written
decision; it is made by the person with delegation for the administration,
rendered as PDF/A with the appeal instructions (to kammarrätten, sent to the
municipality, within three weeks from the day the requester received the
decision), registered as a drawn-up document in the request's case, and its
sending recorded. An appeal is registered on the case, checked for timeliness
and forwarded to the court with the documents."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Administration, User
from archive.models import Direction, Hold
from archive.register import services as register
from archive.requests import appeal_package, documents
from archive.requests.models import Appeal, Decision, Delegation, RecordsRequest
from archive.requests.permissions import can_decide, can_handle
from archive.requests.services import RequestError, _move, _place_holds, _refuse, _save
from moderation.clock import is_working_day

Status = RecordsRequest.Status
APPEAL_DAYS = 21


@transaction.atomic
def ask_for_decision(*, request: RecordsRequest) -> RecordsRequest:
    """The requester (by the tracking link) asks for a written decision."""
    request = RecordsRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in (Status.PARTLY, Status.REFUSED):
        raise RequestError(
            _("Du kan begära ett skriftligt beslut när vi har nekat dig en handling.")
        )
    _move(request, Status.DECISION_REQUESTED)
    request.decision_requested_at = timezone.now()
    _save(request, None)
    return request


def active_delegations(administration: Administration):
    today = timezone.localdate()
    return (
        Delegation.objects.filter(administration=administration, valid_from__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .select_related("user")
    )


@transaction.atomic
def decide(
    *, actor: User, request: RecordsRequest, delegation: Delegation, reasons: str
) -> Decision:
    """Draft, render and register the decision. The registrar prepares it in
    the delegate's name, or the delegate makes it."""
    request = (
        RecordsRequest.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=request.pk)
    )
    if not (can_handle(actor) or can_decide(actor, request)):
        raise RequestError(_("Du får inte fatta beslut om den här begäran."))
    if not active_delegations(request.administration).filter(pk=delegation.pk).exists():
        raise _refuse("delegation", _("Välj en person med delegation för förvaltningen."))
    if not reasons.strip():
        raise _refuse("reasons", _("Skriv skälen för beslutet."))
    _move(request, Status.DECIDED)
    _save(request, actor)
    decision = Decision(
        request=request, delegation=delegation, reasons=reasons.strip(), made_by=actor
    )
    pdf, digest = documents.decision_pdf(decision)
    decision.pdf.save(pdf.name, pdf, save=False)
    decision.sha256 = digest
    if request.delivery != "post":
        # Sent where the requester follows the request (the tracking page, and
        # a notice by e-mail when there is an address); by post the registrar
        # records the day it went.
        decision.sent_on = decision.decided_on
    _save(decision, actor)
    register.register_document(
        actor=actor
        if register.can_register(actor) or request.assigned_to is None
        else request.assigned_to,
        case_id=request.case_id,
        record=decision,
        entry=register.Entry(
            direction=Direction.DRAWN_UP,
            document_date=decision.decided_on,
            subject=_("Beslut om utlämnande av allmän handling"),
            party=request.requester_name or _("Anonym"),
            handling_officer=delegation.user,
        ),
    )
    return decision


@transaction.atomic
def mark_sent(*, actor: User, decision: Decision, sent_on: datetime.date) -> Decision:
    if not can_handle(actor):
        raise RequestError(_("Bara registrator kan registrera att beslutet är skickat."))
    if sent_on > timezone.localdate() or sent_on < decision.decided_on:
        raise _refuse("sent_on", _("Datumet ska ligga mellan beslutsdagen och i dag."))
    decision.sent_on = sent_on
    _save(decision, actor)
    return decision


def last_appeal_day(received: datetime.date) -> datetime.date:
    """Three weeks from the day the requester received the decision; a last
    day on a Saturday, Sunday or holiday moves to the next working day
    (lagen 1930:173)."""
    day = received + datetime.timedelta(days=APPEAL_DAYS)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


@transaction.atomic
def register_appeal(
    *,
    actor: User,
    request: RecordsRequest,
    received_on: datetime.date,
    decision_received_on: datetime.date,
    letter: UploadedFile | None = None,
) -> Appeal:
    """Register an appeal on the case, checked for timeliness (three weeks from
    the day the requester received the decision), with the letter if given."""
    if not can_handle(actor):
        raise RequestError(_("Bara registrator kan registrera överklaganden."))
    request = (
        RecordsRequest.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=request.pk)
    )
    today = timezone.localdate()
    if received_on > today or decision_received_on > received_on:
        raise _refuse("received_on", _("Kontrollera datumen."))
    _move(request, Status.APPEALED)
    _save(request, actor)
    appeal = Appeal(
        request=request,
        received_on=received_on,
        decision_received_on=decision_received_on,
        in_time=received_on <= last_appeal_day(decision_received_on),
        registered_by=actor,
    )
    _save(appeal, actor)
    register.register_document(
        actor=actor,
        case_id=request.case_id,
        record=appeal,
        entry=register.Entry(
            direction=Direction.RECEIVED,
            document_date=received_on,
            subject=_("Överklagande av beslut om allmän handling"),
            party=request.requester_name or _("Anonym"),
            handling_officer=actor,
        ),
    )
    _place_holds(actor, request, Hold.Kind.APPEAL)
    if letter is not None:
        appeal_package.attach_letter(actor=actor, appeal=appeal, upload=letter)
    return appeal


@transaction.atomic
def forward_appeal(*, actor: User, appeal: Appeal) -> Appeal:
    """Record that the appeal went to kammarrätten with the documents: the
    package prepared for it (``appeal_package``), whose SHA-256 stays on the
    appeal, and its covering letter registered as sent in the case."""
    if not can_handle(actor):
        raise RequestError(_("Bara registrator kan överlämna överklaganden."))
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.forwarded_on is not None:
        raise RequestError(_("Överklagandet är redan överlämnat."))
    if not appeal.package:
        raise RequestError(_("Förbered paketet till kammarrätten först."))
    appeal.forwarded_on = timezone.localdate()
    _save(appeal, actor)
    appeal_package.register_forwarding(actor=actor, appeal=appeal)
    return appeal


@transaction.atomic
def delegation_add(
    *, actor: User, administration: Administration, user: User, title: str, decision_reference: str
) -> Delegation:
    if not can_handle(actor) and not actor.has_perm("archive.add_delegation"):
        raise RequestError(_("Du får inte ändra delegationslistan."))
    if not title.strip() or not decision_reference.strip():
        raise _refuse("title", _("Ange befattning och delegationsbeslut."))
    delegation = Delegation(
        administration=administration,
        user=user,
        title=title.strip(),
        decision_reference=decision_reference.strip(),
    )
    _save(delegation, actor)
    return delegation


@transaction.atomic
def delegation_end(*, actor: User, delegation: Delegation) -> Delegation:
    if not can_handle(actor) and not actor.has_perm("archive.change_delegation"):
        raise RequestError(_("Du får inte ändra delegationslistan."))
    delegation.ended_on = timezone.localdate()
    _save(delegation, actor)
    return delegation
