"""A purge of material that must not be kept: the registrar proposes with a
reason, the security coordinator (another person) confirms; the record goes with
its history rows, register entry and files; type, number, reference, reason and
both people stay."""

import datetime

import pytest
from django.utils import timezone

from archive.disposal import services as disposal
from archive.models import DisposableType, Document, Hold, PurgeEntry
from archive.register import services
from moderation.models import ModerationAction
from moderation.services import ActionData, action_log
from tests.archive.conftest import removed_comment
from tests.factories import UserFactory
from tests.moderation.conftest import upload

pytestmark = pytest.mark.django_db

REASON = "Uppladdad av misstag: skärmdumpen visar en annan persons inkorg."


def uploaded_by_mistake(account, actor):
    posted = timezone.now() - datetime.timedelta(hours=5)
    return action_log(
        account_id=account.pk,
        actor=actor,
        data=ActionData(
            action="hidden",
            origin="citizen",
            category="personangrepp",
            reason="Personangrepp.",
            content_author="Greta",
            content_text="Text som inte får bevaras",
            content_posted_at=posted,
            captured_at=posted,
        ),
        screenshot=upload(),
    )


def propose(registrar, record):
    return disposal.purge_propose(
        actor=registrar,
        record_type=DisposableType.MODERATION_ACTION,
        record_id=record.pk,
        reason=REASON,
    )


def test_registrar_proposes_and_security_coordinator_confirms(
    account, staff, registrar, security_coordinator, django_capture_on_commit_callbacks
):
    record = uploaded_by_mistake(account, staff)
    document = services.register_record(record=record, actor=registrar)
    name, storage = record.screenshot.name, record.screenshot.storage
    proposal = propose(registrar, record)
    assert proposal.reference == document.reference
    assert ModerationAction.objects.filter(pk=record.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = disposal.purge_confirm(purge_id=proposal.pk, actor=security_coordinator)

    assert not ModerationAction.objects.filter(pk=record.pk).exists()
    assert not ModerationAction.history.filter(id=record.pk).exists()
    assert not Document.objects.exists()
    assert not Document.history.exists()
    assert not storage.exists(name)
    done.refresh_from_db()
    assert done.status == PurgeEntry.Status.CONFIRMED
    assert (done.record_type, done.record_id, done.reference, done.reason) == (
        DisposableType.MODERATION_ACTION,
        record.pk,
        document.reference,
        REASON,
    )
    assert (done.proposed_by, done.decided_by, done.file_count) == (
        registrar,
        security_coordinator,
        1,
    )
    assert done.history_row_count >= 2
    assert [h.history_user for h in done.history.order_by("history_id")] == [
        registrar,
        security_coordinator,
    ]


def test_the_proposer_cannot_confirm_even_holding_both_roles(account, staff):
    both = UserFactory(username="bada", roles=["registrator", "sakerhetssamordnare"])
    record = removed_comment(account, staff, text="Olagligt innehåll")
    proposal = propose(both, record)
    with pytest.raises(services.ArchiveError) as caught:
        disposal.purge_confirm(purge_id=proposal.pk, actor=both)
    assert "Två personer" in caught.value.message
    assert ModerationAction.objects.filter(pk=record.pk).exists()
    proposal.refresh_from_db()
    assert proposal.status == PurgeEntry.Status.PROPOSED


def test_wrong_roles_are_refused(account, staff, registrar, security_coordinator, info_officer):
    record = removed_comment(account, staff, text="Olagligt innehåll")
    for person in (staff, info_officer, security_coordinator):
        with pytest.raises(services.ArchiveError):
            propose(person, record)
    proposal = propose(registrar, record)
    other_registrar = UserFactory(username="registrator2", roles=["registrator"])
    for person in (staff, info_officer, other_registrar):
        with pytest.raises(services.ArchiveError):
            disposal.purge_confirm(purge_id=proposal.pk, actor=person)
    assert ModerationAction.objects.filter(pk=record.pk).exists()


def test_refusal_keeps_the_record_and_needs_a_reason(
    account, staff, registrar, security_coordinator
):
    record = removed_comment(account, staff, text="Omstridd kommentar")
    proposal = propose(registrar, record)
    with pytest.raises(services.ArchiveError):
        disposal.purge_refuse(purge_id=proposal.pk, actor=security_coordinator, note=" ")
    refused = disposal.purge_refuse(
        purge_id=proposal.pk, actor=security_coordinator, note="Ska bevaras, inte brottsligt."
    )
    assert refused.status == PurgeEntry.Status.REFUSED
    assert ModerationAction.objects.filter(pk=record.pk).exists()
    with pytest.raises(services.ArchiveError):
        disposal.purge_confirm(purge_id=proposal.pk, actor=security_coordinator)


def test_a_hold_does_not_stop_a_purge(account, staff, registrar, security_coordinator):
    record = removed_comment(account, staff, text="Brottsligt material")
    disposal.hold_place(
        actor=registrar, kind=Hold.Kind.RECORDS_REQUEST, reference="KS 2026/9", account=account
    )
    proposal = propose(registrar, record)
    disposal.purge_confirm(purge_id=proposal.pk, actor=security_coordinator)
    assert not ModerationAction.objects.filter(pk=record.pk).exists()


def test_proposal_needs_a_reason_and_an_existing_record(account, staff, registrar):
    record = removed_comment(account, staff, text="Kommentar")
    with pytest.raises(services.ArchiveError) as caught:
        disposal.purge_propose(
            actor=registrar,
            record_type=DisposableType.MODERATION_ACTION,
            record_id=record.pk,
            reason="",
        )
    assert "reason" in caught.value.errors
    with pytest.raises(services.ArchiveError) as caught:
        disposal.purge_propose(
            actor=registrar,
            record_type=DisposableType.MODERATION_ACTION,
            record_id=999999,
            reason=REASON,
        )
    assert "record_id" in caught.value.errors
    propose(registrar, record)
    with pytest.raises(services.ArchiveError):
        propose(registrar, record)
    assert PurgeEntry.objects.count() == 1
