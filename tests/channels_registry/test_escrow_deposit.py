"""Depositing access (§3, §8): step-up first, the form follows the platform's kind
of access, municipality-owned access confirmed, and a typed secret is never sent back."""

import time

import pytest

from accounts.stepup import SESSION_KEY
from channels_registry.escrow.forms import NamedRolesDepositForm, SharedLoginDepositForm
from channels_registry.models import EscrowDeposit, EscrowEvent, Platform
from tests.channels_registry.escrow_support import (
    SECRET_CODES,
    SECRET_PASSWORD,
    account_in,
    logged_in,
    owner_of,
    shared_login_data,
    shared_login_platform,
    stepped_up,
    url,
)


@pytest.fixture
def x_account(org):
    return account_in(org["unit"], shared_login_platform())


@pytest.fixture
def fb_account(org, platform):
    return account_in(org["unit"], platform)


def _current(account) -> EscrowDeposit:
    return EscrowDeposit.objects.get(account=account, retired_at__isnull=True)


def test_deposit_needs_step_up_first(x_account):
    client = logged_in(owner_of(x_account))
    response = client.get(url("escrow_deposit", x_account.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/mina-sidor/bekrafta/?next=")
    response = client.post(url("escrow_deposit", x_account.pk), shared_login_data())
    assert response.status_code == 302
    assert _current(x_account).kind == EscrowDeposit.Kind.NAMED_ROLES  # unchanged


def test_deposit_refused_after_step_up_expired(x_account, settings):
    settings.STEP_UP_SECONDS = 60
    client = stepped_up(owner_of(x_account))
    session = client.session
    session[SESSION_KEY] = int(time.time()) - 61
    session.save()
    response = client.post(url("escrow_deposit", x_account.pk), shared_login_data())
    assert response.status_code == 302
    assert "bekrafta" in response["Location"]
    assert not EscrowDeposit.objects.filter(kind=EscrowDeposit.Kind.SHARED_LOGIN).exists()


def test_owner_deposits_a_shared_login_which_replaces_the_old(x_account):
    owner = owner_of(x_account)
    old = _current(x_account)
    client = stepped_up(owner)
    response = client.post(url("escrow_deposit", x_account.pk), shared_login_data())
    assert response.status_code == 302
    assert response["Location"] == url("escrow_overview", x_account.pk)
    deposit = _current(x_account)
    assert deposit.pk != old.pk
    assert deposit.kind == EscrowDeposit.Kind.SHARED_LOGIN
    assert deposit.password == SECRET_PASSWORD
    assert deposit.recovery_codes == SECRET_CODES
    assert deposit.deposited_by == owner
    old.refresh_from_db()
    assert old.retired_at is not None
    event = EscrowEvent.objects.get(kind=EscrowEvent.Kind.DEPOSIT)
    assert event.actor == owner and event.deposit == deposit


def test_password_is_kept_exactly_with_its_spaces(x_account):
    client = stepped_up(owner_of(x_account))
    client.post(url("escrow_deposit", x_account.pk), shared_login_data(password=" mellan slag "))
    assert _current(x_account).password == " mellan slag "


def test_form_states_municipal_access_only_and_requires_the_confirmation(x_account):
    client = stepped_up(owner_of(x_account))
    page = client.get(url("escrow_deposit", x_account.pk)).content.decode()
    assert 'aldrig en privat inloggning (<a class="policy-ref" href="/policy/#avsnitt-8">§8' in page
    response = client.post(
        url("escrow_deposit", x_account.pk), shared_login_data(confirm_municipal="")
    )
    assert response.status_code == 400
    assert "Privata inloggningar får aldrig deponeras" in response.content.decode()
    assert _current(x_account).kind == EscrowDeposit.Kind.NAMED_ROLES
    assert not EscrowEvent.objects.filter(kind=EscrowEvent.Kind.DEPOSIT).exists()


def test_secrets_are_not_sent_back_when_the_form_has_an_error(x_account):
    client = stepped_up(owner_of(x_account))
    response = client.post(
        url("escrow_deposit", x_account.pk), shared_login_data(confirm_municipal="")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert SECRET_PASSWORD not in page
    assert "rk-11111-aaaa" not in page
    assert 'type="password"' in page


@pytest.mark.parametrize("form_class", [SharedLoginDepositForm, NamedRolesDepositForm])
def test_no_secret_field_of_any_deposit_form_renders_its_value(form_class):
    data = {name: f"hemligt-{name}-4711" for name in EscrowDeposit.SECRET_FIELDS}
    form = form_class(data)  # no confirmation: refused, re-rendered
    assert not form.is_valid()
    html = str(form)
    secret_fields = [name for name in EscrowDeposit.SECRET_FIELDS if name in form.fields]
    assert secret_fields
    for name in secret_fields:
        assert f'name="{name}"' in html
        assert data[name] not in html, name


@pytest.mark.parametrize(
    ("fixture", "data"),
    [
        ("x_account", shared_login_data(confirm_municipal="")),
        (
            "fb_account",
            {
                "business_account": "Nora kommun Business Manager 42",
                "business_recovery": "ny-återställning-123",
                "bound_contact": "+46 70 123 45 67",
            },
        ),
    ],
)
def test_a_refused_deposit_echoes_no_secret_field(request, fixture, data):
    account = request.getfixturevalue(fixture)
    client = stepped_up(owner_of(account))
    response = client.post(url("escrow_deposit", account.pk), data)
    page = response.content.decode()
    assert response.status_code == 400
    for name, value in data.items():
        if name in EscrowDeposit.SECRET_FIELDS:
            assert value not in page, name
    assert "Fyll i uppgifterna på nytt" in page
    assert not EscrowEvent.objects.filter(kind=EscrowEvent.Kind.DEPOSIT).exists()


def test_missing_password_is_refused_with_a_message(x_account):
    client = stepped_up(owner_of(x_account))
    response = client.post(url("escrow_deposit", x_account.pk), shared_login_data(password=""))
    assert response.status_code == 400
    assert "Ange lösenordet" in response.content.decode()
    assert _current(x_account).kind == EscrowDeposit.Kind.NAMED_ROLES


def test_named_roles_platform_asks_for_the_business_accounts_recovery(fb_account):
    assert fb_account.platform.access_kind == Platform.AccessKind.NAMED_ROLES
    client = stepped_up(owner_of(fb_account))
    page = client.get(url("escrow_deposit", fb_account.pk)).content.decode()
    assert 'name="business_recovery"' in page
    assert 'name="password"' not in page
    response = client.post(
        url("escrow_deposit", fb_account.pk),
        {
            "business_account": "Nora kommun Business Manager 42",
            "business_recovery": "ny-återställning-123",
            "confirm_municipal": "on",
            "password": "ignored-field",
        },
    )
    assert response.status_code == 302
    deposit = _current(fb_account)
    assert deposit.kind == EscrowDeposit.Kind.NAMED_ROLES
    assert deposit.business_recovery == "ny-återställning-123"
    assert deposit.password == ""


def test_manager_and_information_officer_may_deposit(x_account, manager, info_officer):
    for person in (manager, info_officer):
        client = stepped_up(person)
        response = client.post(url("escrow_deposit", x_account.pk), shared_login_data())
        assert response.status_code == 302
        assert _current(x_account).deposited_by == person


def test_closed_account_takes_no_deposit(x_account):
    x_account.status = "closed"
    x_account.save()
    client = stepped_up(owner_of(x_account))
    response = client.post(url("escrow_deposit", x_account.pk), shared_login_data())
    assert response.status_code == 400
    assert "stängt konto" in response.content.decode()
    assert not EscrowDeposit.objects.filter(kind=EscrowDeposit.Kind.SHARED_LOGIN).exists()
