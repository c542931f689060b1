"""Who reaches each escrow page: anonymous → login, an account one may not see →
404, a page one's role may never use → 403, the allowed person → the page."""

import pytest
from django.urls import reverse

from channels_registry.models import AccessRequest, AccountMember, EscrowEvent
from tests.channels_registry.escrow_support import (
    account_in,
    logged_in,
    owner_of,
    stepped_up,
    url,
)
from tests.factories import MemberFactory, UserFactory


@pytest.fixture
def account(org, platform):
    return account_in(org["unit"], platform)


@pytest.fixture
def pending_request(account, manager):
    return AccessRequest.objects.create(
        account=account, requested_by=manager, reason="Alla är på semester."
    )


def _account_urls(account):
    return [
        url("escrow_overview", account.pk),
        url("escrow_deposit", account.pk),
        url("escrow_reveal", account.pk),
        url("access_request_create", account.pk),
    ]


def test_anonymous_is_sent_to_login_from_every_escrow_page(client, account, pending_request):
    pages = [
        *_account_urls(account),
        url("access_requests"),
        url("access_request_decide", pending_request.pk),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("accounts:login")), page


def test_outsider_gets_404_for_an_account_they_may_not_see(outsider, account):
    client = stepped_up(outsider)
    for page in _account_urls(account):
        assert client.get(page).status_code == 404, page


def test_missing_account_is_404_like_an_invisible_one(info_officer):
    client = stepped_up(info_officer)
    for page in _account_urls(type("Missing", (), {"pk": 999999})):
        assert client.get(page).status_code == 404, page


def test_outsider_may_never_use_the_request_list_or_decide(outsider, pending_request):
    client = stepped_up(outsider)
    assert client.get(url("access_requests")).status_code == 403
    assert client.get(url("access_request_decide", pending_request.pk)).status_code == 403


@pytest.mark.parametrize("persona", ["registrar", "admin_member"])
def test_deposit_is_403_for_those_who_see_but_do_not_manage_the_account(request, persona, account):
    if persona == "admin_member":
        member = MemberFactory(account=account, role=AccountMember.Role.ADMIN)
        from channels_registry.member_services import _grant_object_perms

        _grant_object_perms(member)
        user = member.user
    else:
        user = request.getfixturevalue(persona)
    client = stepped_up(user)
    assert client.get(url("escrow_overview", account.pk)).status_code == 200
    assert client.get(url("escrow_deposit", account.pk)).status_code == 403


@pytest.mark.parametrize("persona", ["owner", "manager", "head", "registrar"])
def test_reveal_is_403_for_everyone_but_the_information_officer_deputy_or_a_grantee(
    request, persona, account
):
    user = owner_of(account) if persona == "owner" else request.getfixturevalue(persona)
    client = stepped_up(user)
    assert client.get(url("escrow_reveal", account.pk)).status_code == 403
    assert client.post(url("escrow_reveal", account.pk), {"reason": "x"}).status_code == 403
    assert not EscrowEvent.objects.filter(kind=EscrowEvent.Kind.REVEAL).exists()


@pytest.mark.parametrize("persona", ["owner", "info_officer", "registrar"])
def test_only_a_covering_manager_may_request_access(request, persona, account):
    user = owner_of(account) if persona == "owner" else request.getfixturevalue(persona)
    client = logged_in(user)
    assert client.get(url("access_request_create", account.pk)).status_code == 403
    response = client.post(url("access_request_create", account.pk), {"reason": "Täcker upp"})
    assert response.status_code == 403
    assert not AccessRequest.objects.exists()


@pytest.mark.parametrize("persona", ["manager", "head", "staff"])
def test_request_list_and_decision_are_403_for_other_roles(request, persona, pending_request):
    client = stepped_up(request.getfixturevalue(persona))
    assert client.get(url("access_requests")).status_code == 403
    assert client.get(url("access_request_decide", pending_request.pk)).status_code == 403
    response = client.post(
        url("access_request_decide", pending_request.pk), {"decision": "grant", "hours": 4}
    )
    assert response.status_code == 403
    pending_request.refresh_from_db()
    assert pending_request.status == AccessRequest.Status.PENDING


def test_missing_request_is_404_for_the_information_officer(info_officer):
    client = stepped_up(info_officer)
    assert client.get(url("access_request_decide", 999999)).status_code == 404


@pytest.mark.parametrize("persona", ["owner", "manager", "head", "registrar", "info_deputy"])
def test_overview_is_shown_to_those_who_see_the_account(request, persona, account):
    user = owner_of(account) if persona == "owner" else request.getfixturevalue(persona)
    response = logged_in(user).get(url("escrow_overview", account.pk))
    assert response.status_code == 200
    assert account.display_name in response.content.decode()


def test_allowed_people_reach_each_page(account, manager, info_officer, info_deputy):
    owner_client = stepped_up(owner_of(account))
    assert owner_client.get(url("escrow_deposit", account.pk)).status_code == 200
    assert logged_in(manager).get(url("access_request_create", account.pk)).status_code == 200
    for holder in (info_officer, info_deputy):
        client = stepped_up(holder)
        assert client.get(url("escrow_reveal", account.pk)).status_code == 200
        assert client.get(url("access_requests")).status_code == 200


def test_overview_shows_who_deposited_and_the_log_without_secrets(account, info_officer):
    from channels_registry.escrow.services import escrow_reveal

    escrow_reveal(account_id=account.pk, actor=info_officer, reason="Kontroll av åtkomsten")
    response = logged_in(owner_of(account)).get(url("escrow_overview", account.pk))
    page = response.content.decode()
    assert str(owner_of(account)) in page
    assert "Kontroll av åtkomsten" in page
    assert str(info_officer) in page
    assert "recovery-secret-xyz" not in page
    assert "Nora kommun BM" not in page


def test_overview_offers_only_the_actions_the_person_may_take(account, manager, info_officer):
    owner_page = logged_in(owner_of(account)).get(url("escrow_overview", account.pk))
    assert url("escrow_deposit", account.pk) in owner_page.content.decode()
    assert url("escrow_reveal", account.pk) not in owner_page.content.decode()
    manager_page = logged_in(manager).get(url("escrow_overview", account.pk)).content.decode()
    assert url("access_request_create", account.pk) in manager_page
    assert url("escrow_reveal", account.pk) not in manager_page
    officer_page = logged_in(info_officer).get(url("escrow_overview", account.pk))
    assert url("escrow_reveal", account.pk) in officer_page.content.decode()


def test_access_request_list_queries_do_not_grow_with_requests(
    info_officer, org, platform, django_assert_max_num_queries
):
    def make(n):
        for _ in range(n):
            account = account_in(org["unit"], platform)
            AccessRequest.objects.create(
                account=account, requested_by=UserFactory(), reason="Täcker upp"
            )

    client = logged_in(info_officer)
    make(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url("access_requests")).status_code == 200
    make(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("access_requests"))
    assert response.content.decode().count("Täcker upp") == 10
