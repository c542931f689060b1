"""The people page: add a person with role and credentials, end a membership,
toggle credentials; §12 and §9 shown for each person; refusals as 400."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from channels_registry import member_services
from channels_registry.models import AccountMember, SocialAccount
from tests.factories import (
    AcknowledgementFactory,
    CompetenceFactory,
    SocialAccountFactory,
    UserFactory,
)


@pytest.fixture
def account(org, staff, colleague, info_officer, platform):
    account = SocialAccountFactory(unit=org["unit"], platform=platform)
    for user, role in ((staff, "owner"), (colleague, "deputy")):
        member_services.member_add(
            account_id=account.pk, actor=info_officer, user=user, role=role, holds_credentials=True
        )
    account.status = SocialAccount.Status.ACTIVE
    account.save()
    return account


def _url(account):
    return reverse("channels_registry:account_people", args=[account.pk])


def _change_url(member):
    return reverse("channels_registry:member_change", args=[member.account_id, member.pk])


def test_anonymous_is_sent_to_login(client, account):
    assert client.get(_url(account)).status_code == 302


def test_outsider_gets_404(client_for, outsider, account):
    assert client_for(outsider).get(_url(account)).status_code == 404


def test_registrar_who_only_views_gets_403(client_for, registrar, account):
    assert client_for(registrar).get(_url(account)).status_code == 403


def test_admin_without_change_rights_gets_403(client_for, info_officer, account, org):
    helper = UserFactory(unit=org["unit"], roles=["medarbetare"])
    member_services.member_add(
        account_id=account.pk,
        actor=info_officer,
        user=helper,
        role="admin",
        holds_credentials=False,
    )
    assert client_for(helper).get(_url(account)).status_code == 403


def test_page_shows_each_persons_acknowledgement_and_competence(
    client_for, staff, colleague, account
):
    AcknowledgementFactory(user=staff, acknowledged_on=datetime.date(2026, 3, 4))
    CompetenceFactory(user=colleague, platform="facebook", achieved_on=datetime.date(2026, 5, 6))
    candidate = UserFactory(first_name="Cecilia", last_name="Kandidat")
    AcknowledgementFactory(user=candidate, acknowledged_on=datetime.date(2026, 1, 2))
    response = client_for(staff).get(_url(account))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026-03-04" in html
    assert "2026-05-06" in html
    assert "Cecilia Kandidat" in html
    assert "policyn kvitterad 2026-01-02, ingen registrerad plattformskunskap" in html


def test_people_who_left_are_not_offered(client_for, staff, account):
    UserFactory(first_name="Gunnar", last_name="Gått", left_on=timezone.localdate())
    assert "Gunnar Gått" not in client_for(staff).get(_url(account)).content.decode()


def test_owner_adds_an_admin_with_history(client_for, staff, account, org):
    newcomer = UserFactory(unit=org["unit"])
    response = client_for(staff).post(
        _url(account), {"user": newcomer.pk, "role": "admin", "holds_credentials": "on"}
    )
    assert response.status_code == 302
    member = account.members.get(user=newcomer)
    assert member.holds_credentials and member.role == "admin"
    assert member.history.get().history_user == staff


def test_adding_someone_who_left_is_a_400_and_nothing_changes(client_for, staff, account):
    gone = UserFactory(left_on=timezone.localdate() - datetime.timedelta(days=3))
    response = client_for(staff).post(_url(account), {"user": gone.pk, "role": "admin"})
    assert response.status_code == 400
    assert "anställd" in response.content.decode()
    assert not account.members.filter(user=gone).exists()


def test_new_owner_on_an_active_account_is_refused_with_a_swedish_message(
    client_for, manager, account, org
):
    newcomer = UserFactory(unit=org["unit"])
    response = client_for(manager).post(
        _url(account), {"user": newcomer.pk, "role": "owner", "holds_credentials": "on"}
    )
    assert response.status_code == 400
    assert "En ny kontoansvarig kräver en ändrad aktivitetsplan" in response.content.decode()
    assert not account.members.filter(user=newcomer).exists()


def test_ending_the_deputy_is_refused_on_the_page(client_for, staff, colleague, account):
    deputy = account.members.get(user=colleague)
    response = client_for(staff).post(_change_url(deputy), {"action": "end"})
    assert response.status_code == 400
    assert "Ändringen skulle bryta mot reglerna för kontots personer." in response.content.decode()
    deputy.refresh_from_db()
    assert deputy.ends_on is None


def test_owner_without_credentials_is_refused_on_the_page(client_for, staff, account):
    owner = account.members.get(user=staff)
    response = client_for(staff).post(
        _change_url(owner), {"action": "credentials", "holds_credentials": "no"}
    )
    assert response.status_code == 400
    owner.refresh_from_db()
    assert owner.holds_credentials


def test_toggling_an_admins_credentials_and_ending_them(client_for, staff, account, org):
    helper = UserFactory(unit=org["unit"])
    member = member_services.member_add(
        account_id=account.pk, actor=staff, user=helper, role="admin", holds_credentials=False
    )
    c = client_for(staff)
    assert (
        c.post(_change_url(member), {"action": "credentials", "holds_credentials": "yes"})
    ).status_code == 302
    member.refresh_from_db()
    assert member.holds_credentials
    assert c.post(_change_url(member), {"action": "end"}).status_code == 302
    member.refresh_from_db()
    assert member.ends_on == timezone.localdate()
    assert member.history.first().history_user == staff


def test_member_of_another_account_is_404(client_for, staff, account, org, info_officer):
    other = SocialAccountFactory(unit=org["unit"])
    stranger = member_services.member_add(
        account_id=other.pk,
        actor=info_officer,
        user=UserFactory(),
        role="admin",
        holds_credentials=False,
    )
    url = reverse("channels_registry:member_change", args=[account.pk, stranger.pk])
    assert client_for(staff).post(url, {"action": "end"}).status_code == 404


def test_member_change_for_outsider_is_404_and_needs_post(client_for, outsider, staff, account):
    owner = account.members.get(user=staff)
    assert client_for(outsider).post(_change_url(owner), {"action": "end"}).status_code == 404
    assert client_for(staff).get(_change_url(owner)).status_code == 405


def test_unknown_action_is_a_400(client_for, staff, account):
    owner = account.members.get(user=staff)
    response = client_for(staff).post(_change_url(owner), {"action": "explode"})
    assert response.status_code == 400
    assert AccountMember.objects.filter(ends_on__isnull=True).count() == 2
