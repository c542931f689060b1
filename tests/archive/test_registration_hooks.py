"""A moderation record marked for registration (secret, with its OSL
provision) enters the register by itself once it is logged; others do not."""

import pytest

from archive.models import Document
from tests.archive.conftest import removed_comment

pytestmark = pytest.mark.django_db


def test_secret_record_is_registered_when_logged(
    account, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        action = removed_comment(
            account, staff, text="Personnummer 19121212-1212", provision="OSL 26 kap. 1 §"
        )
    document = Document.objects.get()
    assert document.record == action
    assert document.secrecy_provision == "OSL 26 kap. 1 §"
    assert document.registered_by == staff
    assert document.case.is_collective and document.case.account == account


def test_unmarked_record_is_not_registered(account, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        removed_comment(account, staff, text="Reklam för solceller")
    assert not Document.objects.exists()


def test_nothing_is_registered_if_the_log_rolls_back(account, staff):
    # Without a commit the callback never runs: no entry for a record that is not there.
    removed_comment(account, staff, text="Hemligt", provision="OSL 26 kap. 1 §")
    assert not Document.objects.exists()


def test_register_subject_agrees_in_gender(account, staff):
    """'Avpublicerad kommentar', never 'Avpublicerat kommentar'."""
    from archive.register.services import entry_for_record
    from tests.archive.conftest import removed_comment

    unpublished = removed_comment(account, staff, text="Hemligt", provision="OSL 21 kap. 7 §")
    assert entry_for_record(unpublished).subject.startswith("Avpublicerad kommentar: ")
    deleted = removed_comment(account, staff, text="Du är dum")
    assert entry_for_record(deleted).subject.startswith("Raderad kommentar: ")
