"""Writes for requests for public documents (TF 2 kap., OSL 6 kap.).

Every refusal is a ``RequestError`` (a ``ServiceError``) with Swedish reasons
per field; every change is saved with its actor in the history. Registration
in the diarium uses the register's own services, so numbers come from the
same locked counters.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Administration, User
from archive.models import Direction, Document, Hold
from archive.register import cases
from archive.register import services as register
from archive.requests import documents
from archive.requests.models import (
    Assessment,
    Channel,
    Delivery,
    FeeSchedule,
    HandOut,
    Mask,
    Pause,
    RecordsRequest,
    RequestedDocument,
)
from archive.requests.permissions import can_handle
from moderation.clock import working_seconds_between
from nora_social.core import records
from nora_social.core.errors import ServiceError
from nora_social.core.history import set_history_user

Status = RecordsRequest.Status


class RequestError(ServiceError):
    pass


def _refuse(field: str, message: str) -> RequestError:
    return RequestError(message, {field: [message]})


def _move(request: RecordsRequest, status: str) -> None:
    request.move_to(
        status,
        lambda: RequestError(
            _("Begäran är %(status)s och kan inte ändras så.")
            % {"status": request.get_status_display().lower()}
        ),
    )


def _save(obj: Any, actor: User | None) -> None:
    set_history_user(obj, actor)
    obj.save()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_days() -> int:
    return int(getattr(settings, "RECORDS_REQUEST_LINK_DAYS", 14))


# --- Intake ------------------------------------------------------------------


def find_document(reference: str) -> Document | None:
    """The registered document with this reference ("KS 2026/3-2")."""
    parts = reference.strip().upper().replace("–", "-").split()
    if len(parts) != 2:
        return None
    try:
        year_number, document_number = parts[1].split("-")
        year, number = year_number.split("/")
        return (
            Document.objects.select_related("case")
            .filter(
                case__series=parts[0],
                case__year=int(year),
                case__number=int(number),
                number=int(document_number),
            )
            .first()
        )
    except ValueError:
        return None


def _default_administration() -> Administration:
    found = (
        Administration.objects.filter(register_series="KS").order_by("pk").first()
        or Administration.objects.order_by("pk").first()
    )
    if found is None:
        raise RequestError(_("Det finns ingen förvaltning att registrera begäran hos."))
    return found


def _intake_problems(
    description: str, reference: str, delivery: str, email: str, address: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not description.strip() and not reference.strip():
        errors["description"] = [_("Beskriv vilka handlingar du vill ta del av.")]
    if reference.strip() and find_document(reference) is None:
        errors["reference"] = [_("Det finns ingen handling med det diarienumret.")]
    if delivery not in Delivery.values:
        errors["delivery"] = [_("Välj hur du vill få handlingarna.")]
    if delivery == Delivery.POST and not address.strip():
        errors["address"] = [_("Ange en postadress för att få handlingarna med post.")]
    return errors


@transaction.atomic
def submit(
    *,
    description: str,
    reference: str = "",
    delivery: str,
    name: str = "",
    email: str = "",
    address: str = "",
    channel: str = Channel.WEB,
    received_at: datetime.datetime | None = None,
    actor: User | None = None,
    is_threat: bool = False,
) -> tuple[RecordsRequest, str]:
    """A request comes in (the public form, or staff for one that came by
    phone, e-mail, letter or a visit). Returns it with its tracking token,
    which is stored only as a hash. A staff-registered request is registered
    in the diarium at once; one from the form when the registrar takes it."""
    errors = _intake_problems(description, reference, delivery, email, address)
    if channel not in Channel.values:
        errors["channel"] = [_("Välj hur begäran kom in.")]
    if received_at is not None and received_at > timezone.now():
        errors["received_at"] = [_("Tidpunkten kan inte ligga i framtiden.")]
    if errors:
        raise RequestError(_("Begäran kunde inte tas emot."), errors)
    document = find_document(reference) if reference.strip() else None
    token = secrets.token_urlsafe(24)
    request = RecordsRequest(
        administration=document.case.administration if document else _default_administration(),
        channel=channel,
        received_at=received_at or timezone.now(),
        description=description.strip(),
        asked_reference=document.reference if document else "",
        delivery=delivery,
        requester_name=name.strip(),
        requester_email=email.strip(),
        requester_address=address.strip(),
        tracking_token_hash=hash_token(token),
        registered_by=actor,
        is_threat=is_threat,
    )
    _save(request, actor)
    if document is not None:
        _save(RequestedDocument(request=request, document=document), actor)
    if actor is not None:
        request = take(actor=actor, request=request)
    return request, token


def _place_holds(actor: User, request: RecordsRequest, kind: str) -> None:
    for item in request.documents.select_related("document"):
        document = item.document
        if document is None or document.record_type_id is None:
            continue
        model = document.record_type.model_class() if document.record_type else None
        record_kind = records.kind_for(model) if model is not None else None
        if record_kind is None or not record_kind.disposable:
            continue
        label = record_kind.label
        hold = Hold(
            kind=kind,
            reference=str(request),
            note=_("Begäran om allmän handling"),
            record_type=label,
            record_id=document.record_id,
            placed_by=actor,
        )
        _save(hold, actor)


@transaction.atomic
def take(*, actor: User, request: RecordsRequest) -> RecordsRequest:
    """The registrar takes a request from the queue: it gets a case of its own
    in the administration's series, is registered as a received document, and
    its documents are held from disposal while it is open."""
    if not can_handle(actor):
        raise RequestError(_("Bara registrator kan ta emot begäranden."))
    request = RecordsRequest.objects.select_for_update().get(pk=request.pk)
    _move(request, Status.ASSIGNED)
    case = register.case_open(
        administration=request.administration,
        title=_("Begäran om allmän handling"),
        actor=actor,
        opened_on=timezone.localdate(request.received_at),
    )
    request.case = case
    request.assigned_to = actor
    _save(request, actor)
    register.register_document(
        actor=actor,
        case_id=case.pk,
        record=request,
        entry=register.Entry(
            direction=Direction.RECEIVED,
            document_date=timezone.localdate(request.received_at),
            subject=_("Begäran om att ta del av allmän handling (%(channel)s)")
            % {"channel": request.get_channel_display().lower()},
            party=request.requester_name or _("Anonym"),
            handling_officer=actor,
            content_text=request.description,
        ),
    )
    _place_holds(actor, request, Hold.Kind.RECORDS_REQUEST)
    return request


@transaction.atomic
def add_document(
    *, actor: User, request: RecordsRequest, reference: str = "", description: str = ""
) -> RequestedDocument:
    if not can_handle(actor):
        raise RequestError(_("Bara registrator kan lägga till handlingar."))
    if request.status not in (Status.RECEIVED, Status.ASSIGNED):
        raise RequestError(_("Handlingarna är redan prövade."))
    document = None
    if reference.strip():
        document = find_document(reference)
        if document is None:
            raise _refuse("reference", _("Det finns ingen handling med det diarienumret."))
    elif not description.strip():
        raise _refuse("reference", _("Ange ett diarienummer eller beskriv handlingen."))
    item = RequestedDocument(request=request, document=document, description=description.strip())
    _save(item, actor)
    return item


# --- Assessment and masking ----------------------------------------------------


def _editable_item(actor: User, item: RequestedDocument) -> RecordsRequest:
    if not can_handle(actor):
        raise RequestError(_("Bara registrator kan pröva och maskera handlingar."))
    request = RecordsRequest.objects.select_for_update().get(pk=item.request_id)
    if request.status not in (Status.ASSIGNED, Status.ASSESSED):
        raise RequestError(_("Handlingarna kan inte prövas i det här skedet."))
    return request


@transaction.atomic
def assess(
    *, actor: User, item: RequestedDocument, assessment: str, provision: str = "", reasons: str = ""
) -> RequestedDocument:
    """Public in full, partly secret or secret, with the OSL provision and who
    assessed it. When every document is assessed the request is assessed."""
    request = _editable_item(actor, item)
    provision = provision.strip()
    errors: dict[str, list[str]] = {}
    if assessment not in Assessment.values:
        errors["assessment"] = [_("Välj om handlingen är offentlig, delvis eller helt hemlig.")]
    elif assessment != Assessment.PUBLIC and not register.PROVISION.search(provision):
        errors["provision"] = [
            _('Ange bestämmelsen med kapitel och paragraf, t.ex. "OSL 21 kap. 7 §".')
        ]
    if errors:
        raise RequestError(_("Prövningen kunde inte sparas."), errors)
    item.assessment = assessment
    item.provision = "" if assessment == Assessment.PUBLIC else provision
    item.reasons = reasons.strip()
    item.assessed_by = actor
    item.assessed_at = timezone.now()
    _save(item, actor)
    if request.status == Status.ASSIGNED and not request.documents.filter(assessment="").exists():
        _move(request, Status.ASSESSED)
        _save(request, actor)
    return item


def _maskable(actor: User, item: RequestedDocument, provision: str) -> None:
    _editable_item(actor, item)
    if item.assessment != Assessment.PARTLY:
        raise RequestError(_("Bara en handling med delvis sekretess maskeras."))
    if not register.PROVISION.search(provision):
        message = _('Ange bestämmelsen med kapitel och paragraf, t.ex. "OSL 21 kap. 7 §".')
        raise _refuse("provision", message)


@transaction.atomic
def mask_string(*, actor: User, item: RequestedDocument, text: str, provision: str) -> Mask:
    """Mask a string wherever it occurs in the document (every page)."""
    _maskable(actor, item, provision)
    text = " ".join(text.split())
    if len(text) < 2:
        raise _refuse("text", _("Skriv texten som ska maskeras (minst två tecken)."))
    mask = Mask(item=item, kind=Mask.Kind.STRING, text=text, provision=provision.strip())
    mask.masked_by = actor
    mask.save()
    return mask


@transaction.atomic
def mask_region(
    *,
    actor: User,
    item: RequestedDocument,
    page: int,
    left: float,
    top: float,
    width: float,
    height: float,
    provision: str,
) -> Mask:
    """Mask a region of a page (fractions of the page from the top left)."""
    _maskable(actor, item, provision)
    from archive.requests import masking

    stored = masking.pdf_file(item.document) if item.document else None
    if stored is None:
        raise RequestError(_("Handlingen har inga sidor att markera områden på."))
    inside = 0 <= left < 1 and 0 <= top < 1 and 0 < width <= 1 - left and 0 < height <= 1 - top
    if not 1 <= page <= masking.page_count(stored) or not inside:
        raise _refuse("page", _("Området ligger utanför sidan."))
    mask = Mask(
        item=item,
        kind=Mask.Kind.REGION,
        page=page,
        left=left,
        top=top,
        width=width,
        height=height,
        provision=provision.strip(),
        masked_by=actor,
    )
    mask.save()
    return mask


# --- The clock ------------------------------------------------------------------


@transaction.atomic
def pause(*, actor: User, request: RecordsRequest, reason: str) -> RecordsRequest:
    """Stop the clock, only with a recorded reason."""
    if not can_handle(actor):
        raise RequestError(_("Bara registrator kan stoppa klockan."))
    request = RecordsRequest.objects.select_for_update().get(pk=request.pk)
    if not reason.strip():
        raise _refuse("reason", _("Ange varför klockan stoppas."))
    if not request.is_open or request.is_paused:
        raise RequestError(_("Klockan går inte för den här begäran."))
    request.paused_at = timezone.now()
    _save(request, actor)
    Pause(request=request, reason=reason.strip(), by=actor).save()
    return request


@transaction.atomic
def resume(*, actor: User, request: RecordsRequest) -> RecordsRequest:
    if not can_handle(actor):
        raise RequestError(_("Bara registrator kan starta klockan."))
    request = RecordsRequest.objects.select_for_update().get(pk=request.pk)
    if request.paused_at is None:
        raise RequestError(_("Klockan är inte stoppad."))
    now = timezone.now()
    # The row is locked: the sum is read and written under the lock. Working
    # seconds: a pause over a weekend or a holiday moves the limit by the
    # working hours on either side of it.
    request.paused_seconds += working_seconds_between(request.paused_at, now)
    request.paused_at = None
    _save(request, actor)
    Pause(request=request, resumed=True, by=actor, at=now).save()
    return request


# --- Hand-out -------------------------------------------------------------------


def current_fees() -> FeeSchedule:
    return FeeSchedule.objects.filter(valid_from__lte=timezone.localdate()).first() or FeeSchedule()


@transaction.atomic
def hand_out(*, actor: User, request: RecordsRequest, visit_note: str = "") -> tuple[HandOut, str]:
    """Hand out what may be handed out, masked, as one PDF/A with a download
    link that expires; the request becomes handed out, partly handed out or
    refused. Returns the hand-out and its link token (stored as a hash)."""
    if not can_handle(actor):
        raise RequestError(_("Bara registrator kan lämna ut handlingar."))
    request = RecordsRequest.objects.select_for_update().get(pk=request.pk)
    items = list(request.documents.all())
    if not items:
        raise RequestError(_("Begäran har inga handlingar."))
    kinds = {item.assessment for item in items}
    if kinds == {Assessment.PUBLIC}:
        outcome = Status.HANDED_OUT
    elif kinds == {Assessment.SECRET}:
        outcome = Status.REFUSED
    else:
        outcome = Status.PARTLY
    _move(request, outcome)
    now = timezone.now()
    request.answered_at = now
    if request.paused_at is not None:
        request.paused_seconds += working_seconds_between(request.paused_at, now)
        request.paused_at = None
    _save(request, actor)
    token = secrets.token_urlsafe(24)
    handout = HandOut(
        request=request,
        delivery=request.delivery,
        made_by=actor,
        visit_note=visit_note.strip(),
        token_hash=hash_token(token),
        expires_at=now + datetime.timedelta(days=link_days()),
    )
    if outcome != Status.REFUSED:
        pdf, digest, pages = documents.handout_pdf(request)
        handout.pdf.save(pdf.name, pdf, save=False)
        handout.sha256, handout.pages = digest, pages
        if request.delivery != Delivery.ON_SITE:
            digital = request.delivery == Delivery.EMAIL
            handout.fee = current_fees().fee_for(pages, digital=digital)
    _save(handout, actor)
    return handout, token


def handout_for_token(token: str) -> HandOut | None:
    """The hand-out a link opens, while the link is valid."""
    found = HandOut.objects.filter(token_hash=hash_token(token)).exclude(pdf="").first()
    if found is None or found.link_expired:
        return None
    return found


def request_for_token(token: str) -> RecordsRequest | None:
    return RecordsRequest.objects.filter(tracking_token_hash=hash_token(token)).first()


def record_download(handout: HandOut) -> None:
    if handout.downloaded_at is None:
        HandOut.objects.filter(pk=handout.pk).update(downloaded_at=timezone.now())


@transaction.atomic
def mark_threat(*, actor: User, request: RecordsRequest, threat: bool) -> RecordsRequest:
    """Mark (or unmark) a request as containing threats: the security
    coordinator sees it."""
    if not can_handle(actor):
        raise RequestError(_("Bara registrator kan markera hot."))
    request = RecordsRequest.objects.select_for_update().get(pk=request.pk)
    request.is_threat = threat
    _save(request, actor)
    return request


# --- Close ----------------------------------------------------------------------


@transaction.atomic
def close(*, actor: User, request: RecordsRequest) -> RecordsRequest:
    """Close the request and its case in the register; the holds it placed
    are lifted."""
    if not can_handle(actor):
        raise RequestError(_("Bara registrator kan avsluta begäranden."))
    request = RecordsRequest.objects.select_for_update().get(pk=request.pk)
    _move(request, Status.CLOSED)
    _save(request, actor)
    if request.case is not None:
        cases.close_quietly(actor=actor, case=request.case)
    now = timezone.now()
    for hold in Hold.objects.filter(reference=str(request.case), lifted_at__isnull=True):
        hold.lifted_by, hold.lifted_at = actor, now
        _save(hold, actor)
    return request
