"""The account page and editing its details."""

import pytest
from django.urls import reverse

from channels_registry import member_services, services
from channels_registry.models import EscrowDeposit, Finding, SocialAccount
from tests.factories import AcknowledgementFactory, CompetenceFactory, make_ready_account

SECRET = "recovery-secret-xyz"  # what make_ready_account deposits


@pytest.fixture
def account(org, platform, staff, colleague, info_officer):
    account = make_ready_account(unit=org["unit"], platform=platform)
    # Put our personas on it through the service (as a real page would).
    owner = account.members.get(role="owner")
    member_services.member_add(
        account_id=account.pk, actor=info_officer, user=staff, role="owner", holds_credentials=True
    )
    owner.refresh_from_db()
    return account


def _url(account, name="account_detail"):
    return reverse(f"channels_registry:{name}", args=[account.pk])


def test_anonymous_is_sent_to_login(client, account):
    response = client.get(_url(account))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_outsider_gets_404_same_as_missing(client_for, outsider, account):
    c = client_for(outsider)
    assert c.get(_url(account)).status_code == 404
    assert c.get(reverse("channels_registry:account_detail", args=[999999])).status_code == 404


def test_owner_sees_fields_people_checklist_and_escrow_without_secrets(client_for, staff, account):
    AcknowledgementFactory(user=staff)
    CompetenceFactory(user=staff, platform="facebook")
    response = client_for(staff).get(_url(account))
    assert response.status_code == 200
    html = response.content.decode()
    assert account.display_name in html
    assert account.purpose in html
    assert str(staff) in html
    assert "Kontoansvarig" in html
    assert "Alla punkter är bekräftade." in html
    assert "deponerad" in html
    assert SECRET not in html
    assert "Nora kommun BM" not in html
    assert reverse("channels_registry:escrow_overview", args=[account.pk]) in html
    assert "Redo att aktiveras" in html
    assert _url(account, "account_activate") in html


def test_planned_account_lists_activation_problems(client_for, manager, org, platform):
    from tests.factories import SocialAccountFactory

    empty = SocialAccountFactory(unit=org["unit"], platform=platform)
    response = client_for(manager).get(_url(empty))
    problems = response.context["activation_problems"]
    assert any("kontoansvarig" in p for p in problems)
    assert any("deponerad" in p for p in problems)
    assert any("Checklistan" in p for p in problems)


def test_open_findings_are_shown_and_resolved_ones_are_not(client_for, manager, account):
    from django.utils import timezone

    Finding.objects.create(
        rule_code="deputy", account=account, severity="high", message="Ersättare saknas nu."
    )
    Finding.objects.create(
        rule_code="people_rules",
        account=account,
        severity="high",
        message="Gammalt problem.",
        resolved_at=timezone.now(),
    )
    html = client_for(manager).get(_url(account)).content.decode()
    assert "Ersättare saknas nu." in html
    assert "Gammalt problem." not in html


def test_viewer_without_rights_sees_no_action_buttons(client_for, registrar, account):
    response = client_for(registrar).get(_url(account))
    assert response.status_code == 200
    actions = response.context["actions"]
    assert not actions["edit"] and not actions["activate"] and not actions["people"]
    assert actions["history"]


def test_closed_account_offers_no_changes(client_for, info_officer, account):
    account.status = SocialAccount.Status.CLOSED
    account.save()
    actions = client_for(info_officer).get(_url(account)).context["actions"]
    assert not any(actions[k] for k in ("edit", "people", "checklist", "activate", "close"))


# --- Edit -----------------------------------------------------------------------------


def _form(account, **changes):
    data = {
        name: getattr(account, name)
        for name in services.EDITABLE_FIELDS
        if getattr(account, name) is not None
    }
    data.update(changes)
    return data


def test_edit_needs_login_and_hides_other_units(client, client_for, outsider, account):
    assert client.get(_url(account, "account_edit")).status_code == 302
    assert client_for(outsider).get(_url(account, "account_edit")).status_code == 404


def test_edit_is_forbidden_to_someone_who_only_views(client_for, registrar, account):
    assert client_for(registrar).get(_url(account, "account_edit")).status_code == 403


def test_owner_edits_contact_and_promises_with_history(client_for, staff, account):
    response = client_for(staff).post(
        _url(account, "account_edit"),
        _form(account, contact="ny@nora.se", posts_min=3, response_clock="calendar"),
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.contact, account.posts_min, account.response_clock) == (
        "ny@nora.se",
        3,
        "calendar",
    )
    assert account.history.first().history_user == staff


def test_new_purpose_on_an_active_account_is_refused_and_nothing_changes(
    client_for, staff, account
):
    account.status = SocialAccount.Status.ACTIVE
    account.save()
    response = client_for(staff).post(
        _url(account, "account_edit"), _form(account, purpose="Något helt annat.", contact="x@y.se")
    )
    assert response.status_code == 400
    assert "ändrad aktivitetsplan" in response.content.decode()
    account.refresh_from_db()
    assert account.purpose != "Något helt annat."
    assert account.contact != "x@y.se"


def test_renaming_against_the_rules_is_a_400(client_for, staff, account, blocklist):
    response = client_for(staff).post(
        _url(account, "account_edit"), _form(account, handle="norakm")
    )
    assert response.status_code == 400
    assert "Namnet följer inte namnreglerna." in response.content.decode()
    account.refresh_from_db()
    assert account.handle != "norakm"


def test_escrow_secrets_never_reach_the_detail_context(client_for, info_officer, account):
    response = client_for(info_officer).get(_url(account))
    deposit = response.context["deposit"]
    assert isinstance(deposit, EscrowDeposit)
    assert set(EscrowDeposit.SECRET_FIELDS) <= deposit.get_deferred_fields()


def test_an_incomplete_checklist_says_not_all_points_are_confirmed_yet(client_for, manager, org):
    from tests.factories import SocialAccountFactory

    empty = SocialAccountFactory(unit=org["unit"])
    html = client_for(manager).get(_url(empty)).content.decode()
    assert "Inte alla punkter är bekräftade ännu." in html
    assert "Alla punkter är inte bekräftade" not in html
