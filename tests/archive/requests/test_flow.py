"""A request from intake to decision, as the registrar and the requester see
it: registered in the diarium, holds on what it asks for, assessment with the
provision, masking whose text is absent from the hand-out, the decision with
the appeal instructions in the diarium, and the holds lifted at closing."""

import pytest
from django.contrib.contenttypes.models import ContentType

from archive.models import Document, Hold
from archive.requests import appeal_package, decisions, services
from archive.requests.models import Assessment, Decision, Mask, RecordsRequest
from nora_social.core.append_only import RecordLockedError
from nora_social.core.errors import ServiceError
from nora_social.core.pdf import check_pdfa
from tests.archive.requests.conftest import NAME, letter_upload, pdf_text, submit

pytestmark = pytest.mark.django_db


def test_anonymous_request_runs_from_intake_to_decision(
    comment_document, registrar, delegate, mailoutbox
):
    request, token = submit(comment_document.reference, delivery="email", email="")
    # Anonymous: no e-mail needed for hand-out by link (the tracking page).
    assert request.status == RecordsRequest.Status.RECEIVED
    assert request.case is None and request.tracking_token_hash != token
    assert services.request_for_token(token) == request

    services.take(actor=registrar, request=request)
    request.refresh_from_db()
    assert request.case.series == "KS"
    entry = Document.objects.get(
        record_type=ContentType.objects.get_for_model(RecordsRequest), record_id=request.pk
    )
    assert entry.case == request.case and entry.party == "Anonym"
    hold = Hold.objects.get(reference=request.case.reference)
    assert hold.record_id == comment_document.record_id and hold.is_active

    item = request.documents.get()
    with pytest.raises(ServiceError) as refused:
        services.assess(actor=registrar, item=item, assessment=Assessment.PARTLY, provision="")
    assert "provision" in refused.value.errors
    services.assess(
        actor=registrar, item=item, assessment=Assessment.PARTLY, provision="OSL 21 kap. 7 §"
    )
    mask = services.mask_string(
        actor=registrar, item=item, text=NAME.lower(), provision="OSL 21 kap. 7 §"
    )
    with pytest.raises(RecordLockedError):
        mask.save()

    handout, link = services.hand_out(actor=registrar, request=request)
    request.refresh_from_db()
    assert request.status == RecordsRequest.Status.PARTLY and request.answered_at
    with handout.pdf.open("rb") as handle:
        data = handle.read()
    assert check_pdfa(data).passed
    text = pdf_text(data)
    assert "tycker illa om er" in text
    assert "Greta" not in text and "Granskare" not in text
    assert services.handout_for_token(link) == handout
    assert services.handout_for_token("fel") is None

    decisions.ask_for_decision(request=request)
    decision = decisions.decide(
        actor=registrar,
        request=request,
        delegation=delegate.request_delegations.get(),
        reasons="Namnet är en personuppgift som omfattas av sekretess.",
    )
    decision_text = pdf_text(_read(decision.pdf))
    assert "kammarrätten" in decision_text and "tre veckor" in decision_text
    assert "Dag Delegat" in decision_text
    registered = Document.objects.get(
        record_type=ContentType.objects.get_for_model(Decision), record_id=decision.pk
    )
    assert registered.case == request.case and registered.direction == "drawn_up"
    assert decision.sent_on is not None  # on the tracking page

    services.close(actor=registrar, request=request)
    hold.refresh_from_db()
    assert not hold.is_active


def test_a_decision_pdf_is_masked_by_region_and_string(
    comment_document, registrar, delegate, settings
):
    """A PDF record (here an earlier decision): the page is an image in the
    hand-out, the masked string's boxes and a region painted, no text layer."""
    first, _token = submit(comment_document.reference)
    services.take(actor=registrar, request=first)
    item = first.documents.get()
    services.assess(
        actor=registrar, item=item, assessment=Assessment.SECRET, provision="OSL 21 kap. 7 §"
    )
    services.hand_out(actor=registrar, request=first)
    decisions.ask_for_decision(request=first)
    decision = decisions.decide(
        actor=registrar,
        request=first,
        delegation=delegate.request_delegations.get(),
        reasons="Skälen.",
    )
    registered = Document.objects.get(
        record_type=ContentType.objects.get_for_model(Decision), record_id=decision.pk
    )
    second, _token = submit(registered.reference)
    services.take(actor=registrar, request=second)
    item = second.documents.get()
    services.assess(
        actor=registrar, item=item, assessment=Assessment.PARTLY, provision="OSL 21 kap. 7 §"
    )
    services.mask_string(
        actor=registrar, item=item, text="Dag Delegat", provision="OSL 21 kap. 7 §"
    )
    services.mask_region(
        actor=registrar,
        item=item,
        page=1,
        left=0.1,
        top=0.1,
        width=0.3,
        height=0.05,
        provision="OSL 21 kap. 7 §",
    )
    with pytest.raises(ServiceError):
        services.mask_region(
            actor=registrar,
            item=item,
            page=9,
            left=0,
            top=0,
            width=0.1,
            height=0.1,
            provision="OSL 21 kap. 7 §",
        )
    assert Mask.objects.filter(item=item).count() == 2
    handout, _link = services.hand_out(actor=registrar, request=second)
    with handout.pdf.open("rb") as handle:
        data = handle.read()
    assert check_pdfa(data).passed
    assert "Delegat" not in pdf_text(data)
    # The original decision is unchanged.
    assert "Dag Delegat" in pdf_text(_read(decision.pdf))


def test_bad_intake_changes_nothing(org):
    with pytest.raises(ServiceError) as refused:
        submit("KS 1999/1-1", delivery="post", address="")
    assert {"reference", "address"} <= set(refused.value.errors)
    with pytest.raises(ServiceError) as refused:
        submit("", delivery="email", email="")
    assert "description" in refused.value.errors
    assert not RecordsRequest.objects.exists()


def test_staff_registered_request_is_in_the_diarium_at_once(org, registrar, comment_document):
    import datetime

    from django.utils import timezone

    came = timezone.now() - datetime.timedelta(hours=3)
    request, _token = services.submit(
        description="Kommentarerna i mars",
        delivery="post",
        name="Per Post",
        address="Storgatan 1, Nora",
        channel="phone",
        received_at=came,
        actor=registrar,
    )
    assert request.case is not None and request.received_at == came
    assert request.status == RecordsRequest.Status.ASSIGNED
    services.add_document(actor=registrar, request=request, reference=comment_document.reference)
    item = request.documents.get()
    services.assess(actor=registrar, item=item, assessment=Assessment.PUBLIC)
    handout, _link = services.hand_out(actor=registrar, request=request)
    assert handout.pages == 1 and handout.fee == 0
    request.refresh_from_db()
    assert request.status == RecordsRequest.Status.HANDED_OUT


def test_fees_follow_the_common_model():
    from archive.requests.models import FeeSchedule

    taxa = FeeSchedule()
    assert taxa.fee_for(9, digital=False) == 0
    assert taxa.fee_for(10, digital=False) == 50
    assert taxa.fee_for(12, digital=False) == 54
    assert taxa.fee_for(40, digital=True) == 0


def test_appeal_is_checked_for_timeliness_and_forwarded(comment_document, registrar, delegate):
    import datetime

    request, _token = submit(comment_document.reference)
    services.take(actor=registrar, request=request)
    item = request.documents.get()
    services.assess(
        actor=registrar, item=item, assessment=Assessment.SECRET, provision="OSL 21 kap. 7 §"
    )
    services.hand_out(actor=registrar, request=request)
    decisions.ask_for_decision(request=request)
    decisions.decide(
        actor=registrar,
        request=request,
        delegation=delegate.request_delegations.get(),
        reasons="S.",
    )
    # Received 2026-03-13: three weeks is Friday 2026-04-03, Good Friday; the
    # last day moves past Easter to Tuesday 2026-04-07.
    assert decisions.last_appeal_day(datetime.date(2026, 3, 13)) == datetime.date(2026, 4, 7)
    received = datetime.date(2026, 4, 7)
    appeal = decisions.register_appeal(
        actor=registrar,
        request=request,
        received_on=min(received, datetime.date.today()),
        decision_received_on=min(datetime.date(2026, 3, 13), datetime.date.today()),
    )
    assert appeal.in_time
    request.refresh_from_db()
    assert Hold.objects.filter(kind=Hold.Kind.APPEAL, reference=request.case.reference).exists()
    with pytest.raises(ServiceError, match="Förbered paketet"):
        decisions.forward_appeal(actor=registrar, appeal=appeal)
    appeal_package.attach_letter(actor=registrar, appeal=appeal, upload=letter_upload())
    appeal_package.prepare_package(actor=registrar, appeal=appeal)
    decisions.forward_appeal(actor=registrar, appeal=appeal)
    with pytest.raises(ServiceError):
        decisions.forward_appeal(actor=registrar, appeal=appeal)


def _read(stored) -> bytes:
    with stored.open("rb") as handle:
        return handle.read()
