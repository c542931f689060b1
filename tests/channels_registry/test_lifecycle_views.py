"""planned → active → closing → closed (§3, §4, §5) through the pages."""

import pytest
from django.urls import reverse

from channels_registry import lifecycle_services
from channels_registry.models import EscrowDeposit, EscrowEvent, SocialAccount
from tests.factories import (
    BlockedAbbreviationFactory,
    PlatformFactory,
    SocialAccountFactory,
    make_active_account,
    make_ready_account,
)


def _url(account, name):
    return reverse(f"channels_registry:{name}", args=[account.pk])


def _owner(account):
    return account.members.get(role="owner", ends_on__isnull=True).user


# --- Activation -------------------------------------------------------------------------


def test_activate_needs_login_and_hides_other_units(client, client_for, outsider, org):
    account = make_ready_account(unit=org["unit"])
    assert client.post(_url(account, "account_activate")).status_code == 302
    assert client_for(outsider).post(_url(account, "account_activate")).status_code == 404
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.PLANNED


def test_activate_is_forbidden_to_a_viewer(client_for, registrar, org):
    account = make_ready_account(unit=org["unit"])
    assert client_for(registrar).post(_url(account, "account_activate")).status_code == 403


def test_activation_lists_every_unmet_precondition_at_once(client_for, manager, org, blocklist):
    account = SocialAccountFactory(
        unit=org["unit"], platform=PlatformFactory(slug="facebook"), handle="norakm"
    )
    response = client_for(manager).post(_url(account, "account_activate"))
    assert response.status_code == 400
    problems = response.context["problems"]
    html = response.content.decode()
    assert "Kontot kan inte aktiveras än." in html
    expected = [
        "Kontot saknar kontoansvarig (§5).",
        "Minst två personer ska ha inloggningsuppgifter",
        "Kontot saknar ersättare",
        "Åtkomsten till kontot är inte deponerad",
        "Sidan kan läsas utan inloggning",
        "Kommentarsreglerna",
        'Användarnamnet måste innehålla "norakommun"',
        'Förkortningen "norakm"',
    ]
    for text in expected:
        assert any(text in p for p in problems), text
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.PLANNED


def test_facebook_needs_public_without_login_other_platforms_do_not(client_for, info_officer, org):
    on_instagram = make_ready_account(unit=org["unit"], platform=PlatformFactory(slug="instagram"))
    assert lifecycle_services.activation_problems(on_instagram) == []
    on_facebook = make_ready_account(unit=org["unit"], platform=PlatformFactory(slug="facebook"))
    on_facebook.checklist.filter(item="public_without_login").delete()
    assert any("utan inloggning" in p for p in lifecycle_services.activation_problems(on_facebook))


def test_owner_activates_a_ready_account_which_then_is_public(client, client_for, org):
    account = make_ready_account(unit=org["unit"])
    owner = _owner(account)
    c = client_for(owner)
    assert c.get(_url(account, "account_activate")).status_code == 200
    response = c.post(_url(account, "account_activate"))
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.ACTIVE
    assert account.activated_on is not None
    assert account.history.first().history_user == owner
    assert account.display_name in client.get("/konton/").content.decode()


# --- Start closing ---------------------------------------------------------------------


def test_start_closing_needs_a_reason(client_for, org):
    account = make_active_account(unit=org["unit"])
    response = client_for(_owner(account)).post(_url(account, "account_start_closing"), {})
    assert response.status_code == 400
    assert "Ange varför kontot ska avvecklas." in response.content.decode()
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.ACTIVE


def test_start_closing_is_forbidden_to_viewers_and_hidden_from_outsiders(
    client_for, registrar, outsider, org
):
    account = make_active_account(unit=org["unit"])
    url = _url(account, "account_start_closing")
    assert client_for(registrar).post(url, {"reason": "x"}).status_code == 403
    assert client_for(outsider).post(url, {"reason": "x"}).status_code == 404


def test_start_closing_removes_the_account_from_the_public_list(client, client_for, manager, org):
    account = make_active_account(unit=org["unit"])
    assert account.display_name in client.get("/konton/").content.decode()
    response = client_for(manager).post(
        _url(account, "account_start_closing"), {"reason": "Verksamheten läggs ned."}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.CLOSING
    assert account.closure_note == "Verksamheten läggs ned."
    assert account.history.first().history_user == manager
    assert account.display_name not in client.get("/konton/").content.decode()
    assert account.display_name not in client.get("/konton.json").content.decode()


def test_a_planned_account_cannot_start_closing(client_for, manager, org):
    account = make_ready_account(unit=org["unit"])
    response = client_for(manager).post(_url(account, "account_start_closing"), {"reason": "x"})
    assert response.status_code == 400
    assert "Kontot kan inte gå från Planerat till Avvecklas." in response.content.decode()


# --- Close ------------------------------------------------------------------------------


@pytest.fixture
def closing(org, manager):
    account = make_active_account(unit=org["unit"])
    lifecycle_services.account_start_closing(account_id=account.pk, actor=manager, reason="Slut.")
    return account


@pytest.fixture
def closable(closing):
    """A closing account whose final snapshot (§10) exists, as closing requires."""
    from tests.archive.snapshot_helpers import final_snapshot_row

    final_snapshot_row(closing, _owner(closing))
    return closing


def test_close_is_refused_without_the_final_snapshot(client_for, closing):
    response = client_for(_owner(closing)).post(
        _url(closing, "account_close"), {"outcome": "deleted"}
    )
    assert response.status_code == 400
    assert "slutliga ögonblicksbilden saknas" in response.content.decode()
    closing.refresh_from_db()
    assert closing.status == SocialAccount.Status.CLOSING


def test_close_needs_the_owners_confirmation_of_the_outcome(client_for, closing):
    response = client_for(_owner(closing)).post(_url(closing, "account_close"), {})
    assert response.status_code == 400
    assert "raderat på plattformen eller överlämnat" in response.content.decode()
    closing.refresh_from_db()
    assert closing.status == SocialAccount.Status.CLOSING


def test_close_is_forbidden_to_the_manager_who_is_not_owner(client_for, manager, closing):
    assert client_for(manager).get(_url(closing, "account_close")).status_code == 403


def test_close_hidden_from_outsiders(client_for, outsider, closing):
    assert client_for(outsider).get(_url(closing, "account_close")).status_code == 404


def test_owner_closes_escrow_is_retired_history_is_kept(client_for, closable):
    closing = closable
    owner = _owner(closing)
    response = client_for(owner).post(
        _url(closing, "account_close"), {"outcome": "deleted", "note": "Raderat 1 dec."}
    )
    assert response.status_code == 302
    closing.refresh_from_db()
    assert closing.status == SocialAccount.Status.CLOSED
    assert closing.closure_outcome == "deleted"
    assert not EscrowDeposit.objects.filter(account=closing, retired_at__isnull=True).exists()
    assert EscrowEvent.objects.filter(account=closing, kind="retire").exists()
    assert closing.history.count() >= 3  # created, activated, closing, closed
    assert closing.history.first().history_user == owner
    assert not closing.members.filter(ends_on__isnull=True).exists()


def test_closing_ends_memberships_and_their_object_permissions(client_for, closable):
    closing = closable
    owner = _owner(closing)
    client_for(owner).post(_url(closing, "account_close"), {"outcome": "handed_over"})
    owner = type(owner).objects.get(pk=owner.pk)
    assert not owner.has_perm("channels_registry.view_socialaccount", closing)


def test_blocked_word_added_later_is_caught_at_activation(client_for, manager, org):
    account = make_ready_account(unit=org["unit"], handle="norakommun_nkom")
    BlockedAbbreviationFactory(term="nkom")
    response = client_for(manager).post(_url(account, "account_activate"))
    assert response.status_code == 400
