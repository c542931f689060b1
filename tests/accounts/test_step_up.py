"""Step-up authentication: a sensitive action needs the password (or a TOTP code)
entered again within STEP_UP_SECONDS; a wrong one is refused."""

import datetime

import pyotp
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.stepup import SESSION_KEY
from tests.factories import PASSWORD

STEP_UP = reverse("accounts:step_up")
ENROL = reverse("accounts:totp_enroll")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(STEP_UP)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_protected_page_sends_to_step_up_and_back(staff):
    client = _client(staff)
    response = client.get(ENROL)
    assert response.status_code == 302
    assert response["Location"] == f"{STEP_UP}?next=%2Fmina-sidor%2Fengangskoder%2F"
    response = client.post(STEP_UP, {"password": PASSWORD, "next": ENROL})
    assert response.status_code == 302
    assert response["Location"] == ENROL
    assert client.get(ENROL).status_code == 200


def test_wrong_password_is_refused(staff):
    client = _client(staff)
    response = client.post(STEP_UP, {"password": "fel lösenord", "next": ENROL})
    assert response.status_code == 200
    assert "Lösenordet stämmer inte" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert client.get(ENROL).status_code == 302


def test_empty_step_up_is_refused(staff):
    client = _client(staff)
    response = client.post(STEP_UP, {"password": ""})
    assert "Ange ditt lösenord" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_step_up_expires_after_step_up_seconds(staff, settings):
    settings.STEP_UP_SECONDS = 300
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = _client(staff)
        client.post(STEP_UP, {"password": PASSWORD})
        traveller.shift(datetime.timedelta(seconds=299))
        assert client.get(ENROL).status_code == 200
        traveller.shift(datetime.timedelta(seconds=2))
        response = client.get(ENROL)
        assert response.status_code == 302
        assert response["Location"].startswith(STEP_UP)


def test_step_up_seconds_setting_is_honoured(staff, settings):
    settings.STEP_UP_SECONDS = 0
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = _client(staff)
        client.post(STEP_UP, {"password": PASSWORD})
        traveller.shift(datetime.timedelta(seconds=1))
        assert client.get(ENROL).status_code == 302


def test_step_up_does_not_redirect_off_site(staff):
    client = _client(staff)
    response = client.post(STEP_UP, {"password": PASSWORD, "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_step_up_changes_the_session_key(staff):
    client = _client(staff)
    before = client.session.session_key
    client.post(STEP_UP, {"password": PASSWORD})
    assert client.session.session_key != before


def test_step_up_by_totp_code(staff):
    secret = pyotp.random_base32()
    staff.totp_secret = secret
    staff.totp_confirmed_at = timezone.now()
    staff.save(update_fields=["totp_secret", "totp_confirmed_at"])
    client = _client(staff)
    page = client.get(STEP_UP).content.decode()
    assert 'name="code"' in page
    response = client.post(
        STEP_UP, {"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"}
    )
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()
    assert SESSION_KEY not in client.session
    response = client.post(STEP_UP, {"code": pyotp.TOTP(secret).now(), "next": ENROL})
    assert response.status_code == 302
    assert client.get(ENROL).status_code == 200


def test_code_field_is_not_offered_without_an_enrolled_app(staff):
    page = _client(staff).get(STEP_UP).content.decode()
    assert 'name="code"' not in page
    assert 'name="password"' in page


def test_escrow_reveal_after_expired_step_up_goes_back_to_step_up(
    org, platform, info_officer, settings
):
    from tests.factories import make_active_account

    settings.STEP_UP_SECONDS = 60
    account = make_active_account(unit=org["unit"], platform=platform)
    reveal = reverse("channels_registry:escrow_reveal", args=[account.pk])
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = _client(info_officer)
        client.post(STEP_UP, {"password": PASSWORD})
        assert client.get(reveal).status_code == 200
        traveller.shift(datetime.timedelta(seconds=61))
        response = client.post(reveal, {"reason": "Kontroll"})
        assert response.status_code == 302
        assert response["Location"].startswith(STEP_UP)
