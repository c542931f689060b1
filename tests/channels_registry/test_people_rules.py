"""People rules on an account (§3, §5) and the object permissions that follow
membership: staff see only the accounts they are on."""

import datetime

import pytest
from django.utils import timezone

from channels_registry import member_services, services
from channels_registry.models import AccountMember, SocialAccount
from channels_registry.permissions import can_manage_account, can_view_account
from channels_registry.selectors import accounts_visible_to
from tests.factories import SocialAccountFactory, UserFactory


def _add(account, actor, user, role, holds=True):
    return member_services.member_add(
        account_id=account.pk, actor=actor, user=user, role=role, holds_credentials=holds
    )


@pytest.fixture
def active(org, staff, colleague, info_officer, platform):
    """An active account: staff owns it, colleague is deputy, both hold credentials."""
    account = SocialAccountFactory(unit=org["unit"], platform=platform)
    owner = _add(account, info_officer, staff, AccountMember.Role.OWNER)
    deputy = _add(account, info_officer, colleague, AccountMember.Role.DEPUTY)
    account.status = SocialAccount.Status.ACTIVE
    account.save()
    return {"account": account, "owner": owner, "deputy": deputy}


def test_ending_the_deputy_on_an_active_account_is_refused(active, info_officer):
    with pytest.raises(services.RegistryError) as refused:
        member_services.member_end(member_id=active["deputy"].pk, actor=info_officer)
    assert any("ersättare" in p for p in refused.value.messages)
    active["deputy"].refresh_from_db()
    assert active["deputy"].ends_on is None


def test_ending_one_of_two_credential_holders_is_refused(active, info_officer, org):
    third = UserFactory(unit=org["unit"])
    _add(active["account"], info_officer, third, AccountMember.Role.ADMIN, holds=False)
    with pytest.raises(services.RegistryError) as refused:
        member_services.member_end(member_id=active["deputy"].pk, actor=info_officer)
    assert any("Minst två personer" in p for p in refused.value.messages)


def test_taking_credentials_from_the_owner_is_refused(active, info_officer):
    with pytest.raises(services.RegistryError) as refused:
        member_services.member_update(
            member_id=active["owner"].pk, actor=info_officer, holds_credentials=False
        )
    assert "inloggningsuppgifterna" in refused.value.message
    active["owner"].refresh_from_db()
    assert active["owner"].holds_credentials


def test_an_owner_without_credentials_cannot_be_added(org, info_officer, staff, platform):
    account = SocialAccountFactory(unit=org["unit"], platform=platform)
    with pytest.raises(services.RegistryError):
        _add(account, info_officer, staff, AccountMember.Role.OWNER, holds=False)
    assert not account.members.exists()


def test_a_person_who_left_cannot_be_added(org, info_officer, platform):
    account = SocialAccountFactory(unit=org["unit"], platform=platform)
    gone = UserFactory(unit=org["unit"], left_on=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(services.RegistryError) as refused:
        _add(account, info_officer, gone, AccountMember.Role.ADMIN)
    assert "inte längre anställd" in refused.value.message
    assert not account.members.exists()


def test_a_deactivated_person_cannot_be_added(org, info_officer, platform):
    account = SocialAccountFactory(unit=org["unit"], platform=platform)
    inactive = UserFactory(unit=org["unit"], is_active=False)
    with pytest.raises(services.RegistryError):
        _add(account, info_officer, inactive, AccountMember.Role.ADMIN)


def test_with_a_third_holder_one_may_leave(active, info_officer, org):
    third = UserFactory(unit=org["unit"])
    _add(active["account"], info_officer, third, AccountMember.Role.DEPUTY)
    # colleague was displaced to admin; with three holders they may go.
    member_services.member_end(member_id=active["deputy"].pk, actor=info_officer)
    active["deputy"].refresh_from_db()
    assert active["deputy"].ends_on == timezone.localdate()
    assert active["deputy"].history.first().history_user == info_officer


def test_a_planned_account_may_be_staffed_in_any_order(org, info_officer, staff, platform):
    account = SocialAccountFactory(unit=org["unit"], platform=platform)
    member = _add(account, info_officer, staff, AccountMember.Role.ADMIN, holds=False)
    member_services.member_end(member_id=member.pk, actor=info_officer)


# --- Object permissions follow membership -------------------------------------------


def test_staff_gets_and_loses_the_account_with_membership(
    org, info_officer, staff, colleague, platform
):
    account = SocialAccountFactory(unit=org["unit"], platform=platform)
    assert not can_view_account(staff, account)
    member = _add(account, info_officer, staff, AccountMember.Role.OWNER)
    staff = type(staff).objects.get(pk=staff.pk)  # fresh permission cache
    assert can_view_account(staff, account)
    assert can_manage_account(staff, account)
    assert list(accounts_visible_to(staff)) == [account]
    _add(account, info_officer, colleague, AccountMember.Role.OWNER)  # staff becomes admin
    staff = type(staff).objects.get(pk=staff.pk)
    assert can_view_account(staff, account)
    assert not can_manage_account(staff, account)
    member_services.member_end(member_id=member.pk, actor=info_officer)
    staff = type(staff).objects.get(pk=staff.pk)
    assert not can_view_account(staff, account)
    assert list(accounts_visible_to(staff)) == []


def test_manager_sees_their_units_accounts_head_their_administrations(org, manager, head, platform):
    here = SocialAccountFactory(unit=org["unit"], platform=platform)
    there = SocialAccountFactory(unit=org["other_unit"], platform=platform)
    assert set(accounts_visible_to(manager)) == {here}
    assert set(accounts_visible_to(head)) == {here}
    assert set(accounts_visible_to(org["other_manager"])) == {there}
    assert can_manage_account(manager, here) and not can_manage_account(manager, there)
