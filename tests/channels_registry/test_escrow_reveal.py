"""Revealing access (§3): the information officer or deputy, after step-up, with a
reason; never cached; logged; the owner told."""

import pytest

from accounts.models import Notification
from channels_registry.models import EscrowEvent
from tests.channels_registry.escrow_support import (
    SECRET_RECOVERY,
    account_in,
    logged_in,
    owner_of,
    stepped_up,
    url,
)


@pytest.fixture
def account(org, platform):
    return account_in(org["unit"], platform)


def test_reveal_needs_step_up(account, info_officer):
    client = logged_in(info_officer)
    response = client.post(url("escrow_reveal", account.pk), {"reason": "Kontroll"})
    assert response.status_code == 302
    assert "bekrafta" in response["Location"]
    assert SECRET_RECOVERY not in response.content.decode()
    assert not EscrowEvent.objects.filter(kind=EscrowEvent.Kind.REVEAL).exists()


def test_information_officer_sees_the_secret_with_a_reason_and_it_is_logged(account, info_officer):
    client = stepped_up(info_officer)
    response = client.post(url("escrow_reveal", account.pk), {"reason": "Byte av lösenord"})
    assert response.status_code == 200
    assert SECRET_RECOVERY in response.content.decode()
    event = EscrowEvent.objects.get(kind=EscrowEvent.Kind.REVEAL)
    assert event.actor == info_officer
    assert event.reason == "Byte av lösenord"
    assert event.account == account


def test_deputy_of_the_information_officer_may_reveal(account, info_deputy):
    response = stepped_up(info_deputy).post(
        url("escrow_reveal", account.pk), {"reason": "Informationsansvarig är sjuk"}
    )
    assert response.status_code == 200
    assert SECRET_RECOVERY in response.content.decode()


@pytest.mark.parametrize("reason", ["", "   "])
def test_reveal_without_reason_is_refused_and_nothing_logged(account, info_officer, reason):
    client = stepped_up(info_officer)
    response = client.post(url("escrow_reveal", account.pk), {"reason": reason})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ange varför du behöver se inloggningsuppgifterna" in page
    assert SECRET_RECOVERY not in page
    assert not EscrowEvent.objects.filter(kind=EscrowEvent.Kind.REVEAL).exists()
    assert not Notification.objects.exists()


def test_reveal_page_is_never_cached(account, info_officer):
    client = stepped_up(info_officer)
    for response in (
        client.get(url("escrow_reveal", account.pk)),
        client.post(url("escrow_reveal", account.pk), {"reason": "Kontroll"}),
    ):
        assert "no-store" in response["Cache-Control"]
        assert response["Pragma"] == "no-cache"


def test_owner_is_notified_in_app_and_by_mail(
    account, info_officer, mailoutbox, django_capture_on_commit_callbacks
):
    owner = owner_of(account)
    client = stepped_up(info_officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("escrow_reveal", account.pk), {"reason": "Kontroll efter larm"})
    note = Notification.objects.get(recipient=owner)
    assert account.display_name in note.subject
    assert "Kontroll efter larm" in note.body
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert SECRET_RECOVERY not in mailoutbox[0].body


def test_no_deposit_is_a_clear_message_not_an_error(account, info_officer):
    from channels_registry.escrow.services import retire_escrow as _retire_escrow

    _retire_escrow(account, info_officer, "test")
    response = stepped_up(info_officer).post(
        url("escrow_reveal", account.pk), {"reason": "Kontroll"}
    )
    assert response.status_code == 400
    assert "Ingen åtkomst är deponerad" in response.content.decode()
    assert not EscrowEvent.objects.filter(kind=EscrowEvent.Kind.REVEAL).exists()
