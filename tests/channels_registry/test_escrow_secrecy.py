"""The deposited secret appears on the reveal page and nowhere else: not in any
table in plaintext (history tables included), the admin, the account's pages,
the public JSON, mail, the log, or a repr."""

import logging

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from channels_registry.models import EscrowDeposit
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
from tests.factories import UserFactory

SECRETS = (SECRET_PASSWORD, "rk-11111-aaaa", "rk-22222-bbbb")


def _assert_absent(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"a deposited secret leaked into {where}"


@pytest.fixture
def deposited(org, info_officer, caplog, mailoutbox, django_capture_on_commit_callbacks):
    """Deposit a shared login through the page, then reveal it, capturing the log
    at DEBUG level (with SQL logging forced on) and the mail sent on commit."""
    account = account_in(org["unit"], shared_login_platform())
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.db.backends", "django.request", "channels_registry"):
        caplog.set_level(logging.DEBUG, logger=name)
    connection.force_debug_cursor = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = stepped_up(owner_of(account)).post(
                url("escrow_deposit", account.pk), shared_login_data()
            )
            assert response.status_code == 302
            revealed = stepped_up(info_officer).post(
                url("escrow_reveal", account.pk), {"reason": "Kontroll av deponeringen"}
            )
    finally:
        connection.force_debug_cursor = False
    assert any("INSERT" in r.getMessage() for r in caplog.records), "SQL was not logged"
    return {
        "account": account,
        "deposit": EscrowDeposit.objects.get(account=account, retired_at__isnull=True),
        "revealed": revealed,
        "log": "\n".join(f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records),
        "mail": mailoutbox,
    }


def test_the_secret_is_on_the_reveal_page(deposited):
    page = deposited["revealed"].content.decode()
    assert deposited["revealed"].status_code == 200
    assert SECRET_PASSWORD in page
    assert "rk-11111-aaaa" in page
    assert deposited["deposit"].password == SECRET_PASSWORD  # decrypts


def test_the_secret_is_in_no_log_record_even_at_debug(deposited):
    _assert_absent(deposited["log"], "the log")


def test_the_secret_is_in_no_mail(deposited):
    assert deposited["mail"], "the owner should have been mailed about the reveal"
    for message in deposited["mail"]:
        _assert_absent(f"{message.subject}\n{message.body}", "a mail")


def test_the_secret_is_not_in_repr(deposited):
    deposit = deposited["deposit"]
    _assert_absent(repr(deposit), "repr(deposit)")
    _assert_absent(repr(deposit.password), "repr(deposit.password)")
    _assert_absent(str(deposit), "str(deposit)")
    _assert_absent(repr(deposit.__dict__), "repr(deposit.__dict__)")


def test_the_secret_is_in_no_history_table(deposited):
    historical = [m for m in apps.get_models() if m.__name__.startswith("Historical")]
    assert historical, "expected simple-history tables"
    for model in historical:
        for row in model.objects.values_list():
            _assert_absent(repr(row), model._meta.db_table)


def test_the_secret_is_stored_in_plaintext_in_no_table_at_all(deposited):
    tables = connection.introspection.table_names()
    seen = 0
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                seen += 1
                _assert_absent(repr(row), table)
    assert seen > 0


def test_the_secret_is_not_in_the_admin(deposited, client):
    admin_user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    admin_user.refresh_from_db()  # the factory's in-memory password hash is never saved
    client.force_login(admin_user)
    deposit = deposited["deposit"]
    pages = [
        reverse("admin:channels_registry_escrowdeposit_changelist"),
        reverse("admin:channels_registry_escrowdeposit_change", args=[deposit.pk]),
        reverse("admin:channels_registry_escrowevent_changelist"),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        _assert_absent(response.content.decode(), page)


def test_the_secret_is_not_on_the_account_pages(deposited, info_officer):
    account = deposited["account"]
    client = logged_in(info_officer)
    for name in ("account_detail", "escrow_overview", "account_history"):
        response = client.get(url(name, account.pk))
        assert response.status_code == 200, name
        _assert_absent(response.content.decode(), name)
    owner_page = logged_in(owner_of(account)).get(url("escrow_overview", account.pk))
    _assert_absent(owner_page.content.decode(), "the owner's overview")


def test_the_secret_is_not_in_the_public_list(deposited, client):
    for name in ("public_list_json", "public_list", "public_embed"):
        response = client.get(url(name))
        assert response.status_code == 200, name
        _assert_absent(response.content.decode(), name)
    assert deposited["account"].handle in client.get(url("public_list_json")).content.decode()


def test_plaintext_of_recovery_codes_round_trips(deposited):
    assert deposited["deposit"].recovery_codes == SECRET_CODES
