"""``rotate_escrow_keys``: after a new key is put first and the command has run,
every stored secret decrypts with the new key alone."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import User
from channels_registry.escrow.services import escrow_deposit
from channels_registry.models import EscrowDeposit, EscrowEvent
from tests.channels_registry.escrow_support import (
    SECRET_PASSWORD,
    account_in,
    owner_of,
    shared_login_platform,
)

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
TOTP_SEED = "JBSWY3DPEHPK3PXP"


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {connection.ops.quote_name(table)} "  # noqa: S608
            "WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def stored(settings, org, staff):
    settings.ESCROW_KEYS = [OLD_KEY]
    account = account_in(org["unit"], shared_login_platform())
    deposit = escrow_deposit(
        account_id=account.pk,
        actor=owner_of(account),
        kind=EscrowDeposit.Kind.SHARED_LOGIN,
        secrets={"login_name": "nora.x", "password": SECRET_PASSWORD, "recovery_codes": "a\nb"},
    )
    staff.totp_secret = TOTP_SEED
    staff.save(update_fields=["totp_secret"])
    return {"deposit": deposit, "user": staff, "account": account}


def _rotate(**kwargs) -> str:
    out = StringIO()
    call_command("rotate_escrow_keys", stdout=out, **kwargs)
    return out.getvalue()


def test_after_rotation_secrets_decrypt_with_only_the_new_key(settings, stored):
    deposit, user = stored["deposit"], stored["user"]
    old_token = _raw("channels_registry_escrowdeposit", "password", deposit.pk)
    settings.ESCROW_KEYS = [NEW_KEY, OLD_KEY]
    output = _rotate()
    settings.ESCROW_KEYS = [NEW_KEY]

    new_token = _raw("channels_registry_escrowdeposit", "password", deposit.pk)
    assert new_token != old_token
    assert Fernet(NEW_KEY.encode()).decrypt(new_token.encode()).decode() == SECRET_PASSWORD
    with pytest.raises(InvalidToken):
        Fernet(OLD_KEY.encode()).decrypt(new_token.encode())
    fresh = EscrowDeposit.objects.get(pk=deposit.pk)
    assert fresh.password == SECRET_PASSWORD
    assert fresh.login_name == "nora.x"
    assert fresh.recovery_codes == "a\nb"
    assert User.objects.get(pk=user.pk).totp_secret == TOTP_SEED
    # The deposit made by make_ready_account, now retired, is rotated too.
    retired = EscrowDeposit.objects.filter(account=stored["account"]).exclude(pk=deposit.pk).get()
    assert retired.business_recovery == "recovery-secret-xyz"

    assert "channels_registry.EscrowDeposit.password: 2" not in output  # only one has one
    assert "channels_registry.EscrowDeposit.password: 1" in output
    assert "accounts.User.totp_secret: 1" in output
    assert SECRET_PASSWORD not in output and TOTP_SEED not in output
    assert EscrowEvent.objects.filter(
        account=stored["account"], kind=EscrowEvent.Kind.ROTATE
    ).exists()


def test_without_rotation_the_new_key_alone_cannot_read_old_secrets(settings, stored):
    """The control for the test above: dropping the old key too early breaks reads."""
    settings.ESCROW_KEYS = [NEW_KEY]
    token = _raw("channels_registry_escrowdeposit", "password", stored["deposit"].pk)
    with pytest.raises(InvalidToken):
        Fernet(NEW_KEY.encode()).decrypt(token.encode())


def test_dry_run_changes_nothing(settings, stored):
    pk = stored["deposit"].pk
    before = _raw("channels_registry_escrowdeposit", "password", pk)
    settings.ESCROW_KEYS = [NEW_KEY, OLD_KEY]
    output = _rotate(dry_run=True)
    assert "would be re-encrypted" in output
    assert _raw("channels_registry_escrowdeposit", "password", pk) == before
    assert not EscrowEvent.objects.filter(kind=EscrowEvent.Kind.ROTATE).exists()


def test_a_secret_no_key_can_read_stops_the_rotation_and_changes_nothing(settings, stored):
    pk = stored["deposit"].pk
    before = _raw("channels_registry_escrowdeposit", "password", pk)
    settings.ESCROW_KEYS = [NEW_KEY]  # the old key was dropped too early
    with pytest.raises(CommandError, match="Nothing was changed"):
        _rotate()
    assert _raw("channels_registry_escrowdeposit", "password", pk) == before
