"""Helpers shared by the escrow tests (plain functions, not fixtures)."""

from django.test import Client
from django.urls import reverse

from channels_registry.models import AccountMember, Platform, SocialAccount
from tests.factories import PASSWORD, PlatformFactory, make_active_account

SECRET_PASSWORD = "Hemlis-9f3e7c21-lösen"
SECRET_CODES = "rk-11111-aaaa\nrk-22222-bbbb"
SECRET_RECOVERY = "recovery-secret-xyz"  # what make_ready_account deposits


def shared_login_platform() -> Platform:
    return PlatformFactory(slug="x", name="X", access_kind=Platform.AccessKind.SHARED_LOGIN)


def account_in(unit, platform=None) -> SocialAccount:
    """An active account in the unit, with owner and deputy, access deposited."""
    kwargs = {"unit": unit}
    if platform is not None:
        kwargs["platform"] = platform
    return make_active_account(**kwargs)


def owner_of(account: SocialAccount):
    return account.members.get(role=AccountMember.Role.OWNER, ends_on__isnull=True).user


def deputy_of(account: SocialAccount):
    return account.members.get(role=AccountMember.Role.DEPUTY, ends_on__isnull=True).user


def ensure_password(user) -> None:
    """UserFactory sets the password after saving and, without ``roles``, never
    saves it again: users made through SubFactory have no usable password."""
    user.refresh_from_db(fields=["password"])
    if not user.check_password(PASSWORD):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def stepped_up(user) -> Client:
    """A client that has logged in and confirmed the password again (step-up)."""
    ensure_password(user)
    client = logged_in(user)
    response = client.post(reverse("accounts:step_up"), {"password": PASSWORD, "next": "/"})
    assert response.status_code == 302, "step-up with the right password must succeed"
    return client


def url(name: str, *args) -> str:
    return reverse(f"channels_registry:{name}", args=args)


def shared_login_data(**overrides) -> dict:
    data = {
        "login_name": "nora.kommun.x",
        "password": SECRET_PASSWORD,
        "recovery_codes": SECRET_CODES,
        "bound_contact": "sociala.medier@nora.se",
        "confirm_municipal": "on",
    }
    data.update(overrides)
    return data
