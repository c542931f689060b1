"""§4 appearance checklist: each item confirmed by a named person, withdrawn when
it no longer holds; "readable without login" only where the platform needs it."""

import pytest
from django.urls import reverse

from channels_registry import member_services, services
from channels_registry.models import ChecklistConfirmation, ChecklistItem
from channels_registry.selectors import missing_checklist_items, required_checklist_items
from tests.factories import SocialAccountFactory


@pytest.fixture
def account(org, platform, staff, info_officer):
    account = SocialAccountFactory(unit=org["unit"], platform=platform)
    member_services.member_add(
        account_id=account.pk, actor=info_officer, user=staff, role="owner", holds_credentials=True
    )
    return account


def _url(account):
    return reverse("channels_registry:account_checklist", args=[account.pk])


def test_anonymous_is_sent_to_login(client, account):
    assert client.get(_url(account)).status_code == 302


def test_outsider_gets_404(client_for, outsider, account):
    assert client_for(outsider).get(_url(account)).status_code == 404
    assert (
        client_for(outsider).post(_url(account), {"action": "confirm", "item": "comment_rules"})
    ).status_code == 404
    assert not ChecklistConfirmation.objects.exists()


def test_viewer_without_rights_gets_403(client_for, registrar, account):
    assert client_for(registrar).get(_url(account)).status_code == 403


def test_owner_confirms_an_item_with_who_and_when(client_for, staff, account):
    c = client_for(staff)
    response = c.post(_url(account), {"action": "confirm", "item": "comment_rules", "note": "Ok"})
    assert response.status_code == 302
    confirmation = account.checklist.get()
    assert confirmation.confirmed_by == staff
    assert confirmation.note == "Ok"
    assert confirmation.history.get().history_user == staff
    html = c.get(_url(account)).content.decode()
    assert f"Av {staff}," in html


def test_owner_withdraws_a_confirmation(client_for, staff, account):
    services.checklist_confirm(account_id=account.pk, actor=staff, item="comment_rules")
    response = client_for(staff).post(
        _url(account), {"action": "withdraw", "item": "comment_rules"}
    )
    assert response.status_code == 302
    assert not account.checklist.exists()


def test_unknown_item_is_a_400_in_swedish(client_for, staff, account):
    response = client_for(staff).post(_url(account), {"action": "confirm", "item": "nonsense"})
    assert response.status_code == 400
    assert "Okänd punkt i checklistan." in response.content.decode()
    assert not account.checklist.exists()


def test_public_without_login_is_required_on_facebook_only(org, platform, instagram):
    on_facebook = SocialAccountFactory(unit=org["unit"], platform=platform)
    on_instagram = SocialAccountFactory(unit=org["unit"], platform=instagram)
    assert ChecklistItem.PUBLIC_WITHOUT_LOGIN in required_checklist_items(on_facebook)
    assert ChecklistItem.PUBLIC_WITHOUT_LOGIN not in required_checklist_items(on_instagram)


def test_public_without_login_cannot_be_confirmed_where_it_does_not_apply(
    client_for, info_officer, org, instagram
):
    account = SocialAccountFactory(unit=org["unit"], platform=instagram)
    response = client_for(info_officer).post(
        _url(account), {"action": "confirm", "item": "public_without_login"}
    )
    assert response.status_code == 400
    assert "Punkten gäller inte den här plattformen." in response.content.decode()


def test_page_lists_only_the_items_the_platform_needs(client_for, info_officer, org, instagram):
    account = SocialAccountFactory(unit=org["unit"], platform=instagram)
    rows = client_for(info_officer).get(_url(account)).context["rows"]
    assert [r["item"] for r in rows] == required_checklist_items(account)
    assert len(rows) == len(ChecklistItem.values) - 1


def test_confirming_everything_leaves_nothing_missing(staff, account):
    for item in required_checklist_items(account):
        services.checklist_confirm(account_id=account.pk, actor=staff, item=item)
    assert missing_checklist_items(account) == []
