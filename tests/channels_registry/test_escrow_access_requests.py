"""A covering manager asks; the information officer or deputy grants for a limited
time or denies (§5: two people, both logged); the grantee may reveal until expiry."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Notification
from channels_registry.escrow.services import access_request_decide
from channels_registry.models import AccessRequest, EscrowEvent
from channels_registry.services import RegistryError
from tests.channels_registry.escrow_support import (
    SECRET_RECOVERY,
    account_in,
    logged_in,
    stepped_up,
    url,
)
from tests.factories import SubstituteFactory


@pytest.fixture
def account(org, platform):
    return account_in(org["unit"], platform)


def _request(client, account, reason="Kontoansvarig och ersättare är på semester"):
    return client.post(url("access_request_create", account.pk), {"reason": reason})


def test_manager_requests_access_and_the_information_officer_and_deputy_are_told(
    account, manager, info_officer, info_deputy
):
    response = _request(logged_in(manager), account)
    assert response.status_code == 302
    request = AccessRequest.objects.get()
    assert request.requested_by == manager
    assert request.status == AccessRequest.Status.PENDING
    event = EscrowEvent.objects.get(kind=EscrowEvent.Kind.REQUEST)
    assert event.actor == manager and event.reason == request.reason
    told = set(Notification.objects.values_list("recipient", flat=True))
    assert told == {info_officer.pk, info_deputy.pk}
    listing = logged_in(info_deputy).get(url("access_requests")).content.decode()
    assert request.reason in listing
    assert url("access_request_decide", request.pk) in listing


def test_request_without_reason_is_refused(account, manager):
    response = _request(logged_in(manager), account, reason="  ")
    assert response.status_code == 400
    assert "Ange varför du behöver åtkomst" in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_a_second_pending_request_is_refused(account, manager):
    client = logged_in(manager)
    _request(client, account)
    response = _request(client, account)
    assert response.status_code == 400
    assert "redan en begäran" in response.content.decode()
    assert AccessRequest.objects.count() == 1


def test_deciding_needs_step_up(account, manager, info_officer):
    _request(logged_in(manager), account)
    request = AccessRequest.objects.get()
    response = logged_in(info_officer).post(
        url("access_request_decide", request.pk), {"decision": "grant", "hours": 4}
    )
    assert response.status_code == 302
    assert "bekrafta" in response["Location"]
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.PENDING


def test_grant_lets_the_manager_reveal_until_it_expires(account, manager, info_officer, settings):
    settings.STEP_UP_SECONDS = 24 * 3600
    _request(logged_in(manager), account)
    request = AccessRequest.objects.get()
    decider = stepped_up(info_officer)
    response = decider.post(
        url("access_request_decide", request.pk),
        {"decision": "grant", "hours": 2, "note": "Gäller helgen"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.GRANTED
    assert request.decided_by == info_officer
    assert EscrowEvent.objects.filter(kind=EscrowEvent.Kind.GRANT, actor=info_officer).exists()

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        grantee = stepped_up(manager)
        response = grantee.post(url("escrow_reveal", account.pk), {"reason": "Bevaka kontot"})
        assert response.status_code == 200
        assert SECRET_RECOVERY in response.content.decode()
        reveal = EscrowEvent.objects.get(kind=EscrowEvent.Kind.REVEAL)
        assert reveal.actor == manager and reveal.request == request

        traveller.shift(datetime.timedelta(hours=2, minutes=1))
        response = grantee.post(url("escrow_reveal", account.pk), {"reason": "Igen"})
        assert response.status_code == 403
        assert SECRET_RECOVERY not in response.content.decode()
        assert EscrowEvent.objects.filter(kind=EscrowEvent.Kind.REVEAL).count() == 1


def test_deny_is_logged_and_gives_no_access(account, manager, info_deputy):
    _request(logged_in(manager), account)
    request = AccessRequest.objects.get()
    response = stepped_up(info_deputy).post(
        url("access_request_decide", request.pk), {"decision": "deny", "note": "Inte nu"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.DENIED
    assert request.valid_until is None
    assert EscrowEvent.objects.filter(kind=EscrowEvent.Kind.DENY, actor=info_deputy).exists()
    assert Notification.objects.filter(recipient=manager).exists()
    response = stepped_up(manager).post(url("escrow_reveal", account.pk), {"reason": "x"})
    assert response.status_code == 403


def test_grant_longer_than_the_maximum_is_refused(account, manager, info_officer, settings):
    settings.ESCROW_GRANT_MAX_HOURS = 8
    _request(logged_in(manager), account)
    request = AccessRequest.objects.get()
    response = stepped_up(info_officer).post(
        url("access_request_decide", request.pk), {"decision": "grant", "hours": 9}
    )
    assert response.status_code == 400
    assert "högst 8 timmar" in response.content.decode()
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.PENDING
    assert not EscrowEvent.objects.filter(kind=EscrowEvent.Kind.GRANT).exists()


def test_requester_cannot_grant_their_own_request(account, manager, info_officer):
    # The unit's manager is also the information officer's deputy: still two people.
    SubstituteFactory(scope="role", role="kommunchef", person=manager)
    _request(logged_in(manager), account)
    request = AccessRequest.objects.get()
    client = stepped_up(manager)
    page = client.get(url("access_request_decide", request.pk))
    assert page.status_code == 200
    assert "egen begäran" in page.content.decode()
    assert 'name="decision"' not in page.content.decode()
    response = client.post(
        url("access_request_decide", request.pk), {"decision": "grant", "hours": 4}
    )
    assert response.status_code == 403
    with pytest.raises(RegistryError, match="egen begäran"):
        access_request_decide(request_id=request.pk, actor=manager, grant=True, hours=4)
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.PENDING
    assert not EscrowEvent.objects.filter(kind=EscrowEvent.Kind.GRANT).exists()


def test_a_decided_request_cannot_be_decided_again(account, manager, info_officer, info_deputy):
    _request(logged_in(manager), account)
    request = AccessRequest.objects.get()
    stepped_up(info_officer).post(url("access_request_decide", request.pk), {"decision": "deny"})
    response = stepped_up(info_deputy).post(
        url("access_request_decide", request.pk), {"decision": "grant", "hours": 4}
    )
    assert response.status_code == 400
    assert "redan avgjord" in response.content.decode()
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.DENIED
