"""The admin never shows or edits deposited secrets; logs and findings are read-only."""

import pytest
from django.urls import reverse

from channels_registry.models import EscrowDeposit, EscrowEvent, Finding
from tests.factories import SocialAccountFactory, UserFactory

SECRETS = {
    "login_name": "admin-login-name-42",
    "password": "admin-password-very-secret",
    "recovery_codes": "1111-2222-3333",
    "bound_contact": "secret-phone-0701234567",
}


@pytest.fixture
def superuser(db):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    user.save()  # the factory sets the password after create without saving it
    return user


@pytest.fixture
def deposit(org, platform, superuser):
    account = SocialAccountFactory(unit=org["unit"], platform=platform)
    deposit = EscrowDeposit.objects.create(
        account=account, kind="shared_login", deposited_by=superuser, **SECRETS
    )
    EscrowEvent.objects.create(account=account, kind="deposit", actor=superuser, deposit=deposit)
    Finding.objects.create(rule_code="deputy", account=account, severity="high", message="Saknas")
    return deposit


def _assert_no_secret(html: str) -> None:
    for value in SECRETS.values():
        assert value not in html
    for name in EscrowDeposit.SECRET_FIELDS:
        assert f'name="{name}"' not in html


def test_deposit_list_and_page_show_no_secret(client_for, superuser, deposit):
    c = client_for(superuser)
    listing = c.get(reverse("admin:channels_registry_escrowdeposit_changelist"))
    assert listing.status_code == 200
    _assert_no_secret(listing.content.decode())
    page = c.get(reverse("admin:channels_registry_escrowdeposit_change", args=[deposit.pk]))
    assert page.status_code == 200
    _assert_no_secret(page.content.decode())


def test_deposits_cannot_be_added_or_changed_in_the_admin(client_for, superuser, deposit):
    c = client_for(superuser)
    assert c.get(reverse("admin:channels_registry_escrowdeposit_add")).status_code == 403
    url = reverse("admin:channels_registry_escrowdeposit_change", args=[deposit.pk])
    c.post(url, {"kind": "named_roles", "password": "changed"})
    deposit.refresh_from_db()
    assert deposit.kind == "shared_login"
    assert deposit.password == SECRETS["password"]


@pytest.mark.parametrize("model", ["escrowevent", "finding"])
def test_logs_and_findings_are_read_only(client_for, superuser, deposit, model):
    c = client_for(superuser)
    assert c.get(reverse(f"admin:channels_registry_{model}_add")).status_code == 403
    obj = EscrowEvent.objects.get() if model == "escrowevent" else Finding.objects.get()
    page = c.get(reverse(f"admin:channels_registry_{model}_change", args=[obj.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert (
        c.post(
            reverse(f"admin:channels_registry_{model}_delete", args=[obj.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


def test_account_admin_has_history(client_for, superuser, deposit):
    url = reverse("admin:channels_registry_socialaccount_history", args=[deposit.account_id])
    assert client_for(superuser).get(url).status_code == 200


def test_admin_needs_staff_login(client, client_for, staff, deposit):
    url = reverse("admin:channels_registry_escrowdeposit_changelist")
    assert client.get(url).status_code == 302
    assert client_for(staff).get(url).status_code == 302
