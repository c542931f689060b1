"""The account list: who sees which accounts, filters, and a fixed number of queries."""

import pytest
from django.urls import reverse

from channels_registry import member_services
from channels_registry.models import AccountMember, SocialAccount
from tests.factories import (
    AdministrationFactory,
    PlatformFactory,
    SocialAccountFactory,
    UnitFactory,
    UserFactory,
)

URL = reverse("channels_registry:account_list")


def _owned_by(user, actor, **kwargs):
    account = SocialAccountFactory(**kwargs)
    member_services.member_add(
        account_id=account.pk,
        actor=actor,
        user=user,
        role=AccountMember.Role.OWNER,
        holds_credentials=True,
    )
    return account


@pytest.fixture
def accounts(org, staff, info_officer, platform):
    mine = _owned_by(staff, info_officer, unit=org["unit"], platform=platform)
    same_unit = SocialAccountFactory(unit=org["unit"], platform=platform)
    same_administration = SocialAccountFactory(
        unit=UnitFactory(administration=org["administration"], name="Turism"), platform=platform
    )
    elsewhere = SocialAccountFactory(unit=org["other_unit"], platform=platform)
    return {
        "mine": mine,
        "same_unit": same_unit,
        "same_administration": same_administration,
        "elsewhere": elsewhere,
    }


def _listed(response) -> set[int]:
    return {a.pk for a in response.context["accounts"]}


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_staff_sees_only_the_accounts_they_are_on(client_for, staff, accounts):
    response = client_for(staff).get(URL)
    assert response.status_code == 200
    assert _listed(response) == {accounts["mine"].pk}


def test_outsider_sees_none_of_the_units_accounts(client_for, outsider, accounts):
    response = client_for(outsider).get(URL)
    assert response.status_code == 200
    assert _listed(response) == set()


def test_manager_sees_their_units_accounts(client_for, manager, accounts):
    response = client_for(manager).get(URL)
    assert _listed(response) == {accounts["mine"].pk, accounts["same_unit"].pk}


def test_head_sees_their_administrations_accounts(client_for, head, accounts):
    response = client_for(head).get(URL)
    assert _listed(response) == {
        accounts["mine"].pk,
        accounts["same_unit"].pk,
        accounts["same_administration"].pk,
    }


def test_information_officer_sees_all_with_status_platform_unit_and_owner(
    client_for, info_officer, staff, accounts
):
    response = client_for(info_officer).get(URL)
    assert _listed(response) == {a.pk for a in accounts.values()}
    html = response.content.decode()
    assert "Planerat" in html
    assert "Facebook" in html
    assert "Kommunikation" in html
    assert str(staff) in html


def test_filters_by_status_platform_and_administration(client_for, info_officer, org, accounts):
    accounts["same_unit"].status = SocialAccount.Status.ACTIVE
    accounts["same_unit"].save()
    instagram = PlatformFactory(slug="instagram")
    on_instagram = SocialAccountFactory(unit=org["other_unit"], platform=instagram)
    c = client_for(info_officer)
    assert _listed(c.get(URL, {"status": "active"})) == {accounts["same_unit"].pk}
    assert _listed(c.get(URL, {"platform": instagram.pk})) == {on_instagram.pk}
    assert _listed(c.get(URL, {"administration": org["other_unit"].administration_id})) == {
        accounts["elsewhere"].pk,
        on_instagram.pk,
    }


def test_unknown_filter_value_shows_the_list_unfiltered_not_an_error(
    client_for, info_officer, accounts
):
    response = client_for(info_officer).get(URL, {"status": "bogus", "platform": "x"})
    assert response.status_code == 200


def _make_accounts(n, unit, platform, actor):
    for _ in range(n):
        _owned_by(UserFactory(unit=unit), actor, unit=unit, platform=platform)


@pytest.mark.parametrize("persona", ["info_officer", "manager", "staff"])
def test_query_count_does_not_grow_with_the_number_of_accounts(
    request, client_for, django_assert_num_queries, org, platform, info_officer, persona
):
    user = request.getfixturevalue(persona)
    administration = AdministrationFactory(name="Tom förvaltning")
    UnitFactory(administration=administration)
    _make_accounts(3, org["unit"], platform, info_officer)
    c = client_for(user)
    c.get(URL)  # warm the session and caches the same way for both counts
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert c.get(URL).status_code == 200
    _make_accounts(27, org["unit"], platform, info_officer)
    with django_assert_num_queries(len(few.captured_queries)):
        response = c.get(URL)
    if persona != "staff":
        assert len(response.context["accounts"]) >= 30
