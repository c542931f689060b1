"""A document entry (OSL 5 kap. 2 §) through the service: fields, history with
the acting person, refusals that change nothing, records of other apps, and
items of little importance (§10)."""

import datetime

import pytest
from django.utils import timezone

from archive.models import Direction, Document, MinorRecord
from archive.register import services
from moderation.services import post_log
from tests.archive.conftest import entry, register, removed_comment

pytestmark = pytest.mark.django_db


def test_entry_keeps_every_field_and_history_names_the_registrar(account, registrar, staff):
    document = register(
        registrar,
        account,
        direction=Direction.DRAWN_UP,
        party="Länsstyrelsen",
        subject="Svar på tillsynsbegäran",
        secrecy_provision="OSL 21 kap. 7 §",
        handling_officer=staff,
        document_date=datetime.date(2026, 1, 5),
    )
    document.refresh_from_db()
    assert document.registered_on == timezone.localdate()
    assert document.document_date == datetime.date(2026, 1, 5)
    assert document.direction == Direction.DRAWN_UP
    assert document.party == "Länsstyrelsen"
    assert document.account == account
    assert document.handling_officer == staff
    assert document.secrecy_provision == "OSL 21 kap. 7 §"
    assert document.registered_by == registrar
    assert document.history.get().history_user == registrar
    assert "länsstyrelsen" in document.search_text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"subject": "  "}, "subject"),
        ({"subject": "Klagomål från Erik Exempelsson"}, "subject"),
        ({"document_date": timezone.localdate() + datetime.timedelta(days=3)}, "document_date"),
        ({"secrecy_provision": "hemligt"}, "secrecy_provision"),
        ({"direction": "sideways"}, "direction"),
    ],
)
def test_bad_entry_is_refused_with_a_reason_by_field_and_nothing_is_saved(
    account, registrar, change, field
):
    with pytest.raises(services.ArchiveError) as refused:
        register(registrar, account, **change)
    assert refused.value.errors[field]
    assert not Document.objects.exists()


def test_staff_may_not_register_by_hand(account, staff):
    with pytest.raises(services.ArchiveError):
        register(staff, account)
    assert not Document.objects.exists()


def test_citizens_removed_comment_is_a_received_document_dated_by_publication(
    account, staff, registrar
):
    action = removed_comment(account, staff, text="Jag hotar er alla.")
    document = services.register_record(record=action, actor=registrar)
    assert document.direction == Direction.RECEIVED
    assert document.document_date == timezone.localdate(action.content_posted_at)
    assert document.party == "Greta Granskare"
    assert "Greta" not in document.subject
    assert document.record == action
    assert document.handling_officer == staff
    assert "hotar" in document.search_text
    assert document.case.is_collective and document.case.account == account


def test_secret_moderation_record_is_registered_with_its_provision(account, staff):
    action = removed_comment(
        account, staff, text="Personnummer 19121212-1212", provision="OSL 26 kap. 1 §"
    )
    assert action.for_registration
    document = services.register_record_if_marked(record=action, actor=staff)
    assert document.secrecy_provision == "OSL 26 kap. 1 §"
    assert document.registered_by == staff
    # Once only: the hook may fire again, the register does not grow.
    assert services.register_record_if_marked(record=action, actor=staff) is None
    with pytest.raises(services.ArchiveError):
        services.register_record(record=action, actor=staff)
    assert Document.objects.count() == 1


def test_unmarked_record_is_left_to_the_registrar(account, staff):
    action = removed_comment(account, staff, text="Reklam för solceller")
    assert services.register_record_if_marked(record=action, actor=staff) is None
    assert not Document.objects.exists()


def test_own_post_is_drawn_up(account, staff, registrar):
    post = post_log(
        account_id=account.pk,
        actor=staff,
        author=staff,
        published_at=timezone.now() - datetime.timedelta(hours=2),
        text="Välkommen till biblioteket i helgen!",
    )
    document = services.register_record(record=post, actor=registrar)
    assert document.direction == Direction.DRAWN_UP
    assert document.party == ""


def test_outsider_cannot_register_a_record_of_an_account_they_cannot_see(account, staff, outsider):
    action = removed_comment(account, staff, text="Köp billiga klockor")
    with pytest.raises(services.ArchiveError):
        services.register_record(record=action, actor=outsider)
    assert not Document.objects.exists()


def test_registrar_marks_little_importance_and_it_needs_no_entry(account, staff, registrar):
    action = removed_comment(account, staff, text="Köp billiga klockor")
    mark = services.mark_minor(record=action, actor=registrar, reason="Uppenbar reklam")
    assert mark.history.get().history_user == registrar
    with pytest.raises(services.ArchiveError):
        services.register_record(record=action, actor=registrar)
    with pytest.raises(services.ArchiveError):
        services.mark_minor(record=action, actor=registrar, reason="igen")
    assert MinorRecord.objects.count() == 1


def test_secret_record_cannot_be_marked_of_little_importance(account, staff, registrar):
    action = removed_comment(account, staff, text="Hemlig uppgift", provision="OSL 26 kap. 1 §")
    with pytest.raises(services.ArchiveError):
        services.mark_minor(record=action, actor=registrar, reason="Oviktig")
    assert not MinorRecord.objects.exists()


def test_staff_cannot_mark_little_importance(account, staff):
    action = removed_comment(account, staff, text="Köp billiga klockor")
    with pytest.raises(services.ArchiveError):
        services.mark_minor(record=action, actor=staff, reason="Reklam")


def test_registration_without_case_or_account_is_refused(registrar):
    with pytest.raises(services.ArchiveError) as refused:
        services.register_document(actor=registrar, entry=entry())
    assert refused.value.errors["case"]
