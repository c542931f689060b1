"""Named roles on a municipality-owned business account (§3, §8): listed on the
escrow overview, added and ended by those who manage the account, with history."""

import pytest

from channels_registry.models import BusinessRole
from tests.channels_registry.escrow_support import account_in, logged_in, owner_of, url
from tests.factories import UserFactory


@pytest.fixture
def account(org, platform):
    return account_in(org["unit"], platform)


def _add(client, account, user, role="Redaktör"):
    return client.post(
        url("escrow_overview", account.pk),
        {"action": "add_role", "user": user.pk, "platform_role": role},
    )


def test_owner_adds_a_named_role_and_it_is_listed_with_history(account, staff):
    owner = owner_of(account)
    client = logged_in(owner)
    response = _add(client, account, staff)
    assert response.status_code == 302
    role = BusinessRole.objects.get(account=account)
    assert role.user == staff and role.platform_role == "Redaktör" and role.ends_on is None
    assert role.history.get().history_user == owner
    page = client.get(url("escrow_overview", account.pk)).content.decode()
    assert str(staff) in page and "Redaktör" in page


def test_ending_a_role_keeps_it_with_its_dates(account, staff, manager):
    _add(logged_in(owner_of(account)), account, staff)
    role = BusinessRole.objects.get()
    response = logged_in(manager).post(
        url("escrow_overview", account.pk), {"action": "end_role", "role": role.pk}
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.ends_on is not None
    assert role.history.count() == 2
    assert role.history.first().history_user == manager


def test_the_same_role_twice_is_refused(account, staff):
    client = logged_in(owner_of(account))
    _add(client, account, staff)
    response = _add(client, account, staff, role="redaktör")
    assert response.status_code == 400
    assert "har redan rollen" in response.content.decode()
    assert BusinessRole.objects.count() == 1


def test_a_role_without_a_name_is_refused(account, staff):
    response = _add(logged_in(owner_of(account)), account, staff, role="")
    assert response.status_code == 400
    assert "Ange personens roll" in response.content.decode()
    assert not BusinessRole.objects.exists()


def test_someone_who_left_cannot_get_a_role(account):
    import datetime

    gone = UserFactory(left_on=datetime.date(2020, 1, 1))
    response = _add(logged_in(owner_of(account)), account, gone)
    assert response.status_code == 400
    assert not BusinessRole.objects.exists()


def test_those_who_only_see_the_account_cannot_change_roles(account, staff, registrar):
    response = _add(logged_in(registrar), account, staff)
    assert response.status_code == 403
    assert not BusinessRole.objects.exists()


def test_outsider_cannot_change_roles(account, staff, outsider):
    response = _add(logged_in(outsider), account, staff)
    assert response.status_code == 404
    assert not BusinessRole.objects.exists()


def test_a_role_on_another_account_cannot_be_ended_through_this_one(org, platform, account, staff):
    other = account_in(org["unit"], platform)
    _add(logged_in(owner_of(other)), other, staff)
    role = BusinessRole.objects.get()
    response = logged_in(owner_of(account)).post(
        url("escrow_overview", account.pk), {"action": "end_role", "role": role.pk}
    )
    assert response.status_code == 404
    role.refresh_from_db()
    assert role.ends_on is None
