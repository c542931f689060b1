"""Enrolling an authenticator app (TOTP) after step-up; the code then works for step-up."""

import datetime

import pyotp
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import User
from nora_social.core import crypto
from tests.factories import PASSWORD

STEP_UP = reverse("accounts:step_up")
ENROL = reverse("accounts:totp_enroll")


def _stepped_up(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.post(STEP_UP, {"password": PASSWORD}).status_code == 302
    return client


def _pending_secret(client) -> str:
    """The seed shown on the enrolment page, read back from its encrypted session entry."""
    return crypto.decrypt(client.session["totp_pending"])


def _wrong(code: str) -> str:
    return "123456" if code != "123456" else "654321"


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(ENROL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_enrolment_needs_step_up(staff):
    client = Client()
    client.force_login(staff)
    response = client.get(ENROL)
    assert response.status_code == 302
    assert response["Location"].startswith(STEP_UP)


def test_enrol_then_step_up_with_a_code(staff):
    client = _stepped_up(staff)
    page = client.get(ENROL)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    secret = _pending_secret(client)
    assert secret in page.content.decode()

    response = client.post(ENROL, {"code": _wrong(pyotp.TOTP(secret).now())})
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()
    assert not User.objects.get(pk=staff.pk).has_totp

    response = client.post(ENROL, {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    person = User.objects.get(pk=staff.pk)
    assert person.has_totp
    assert person.totp_secret == secret
    assert "totp_pending" not in client.session

    fresh = Client()
    fresh.force_login(person)
    assert fresh.get(ENROL).status_code == 302
    # The enrolment code is spent; the app's next code (30 s later) works.
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=31)
    with time_machine.travel(later, tick=False):
        response = fresh.post(STEP_UP, {"code": pyotp.TOTP(secret).at(later), "next": "/"})
    assert response.status_code == 302


def test_totp_seed_is_encrypted_and_not_in_user_history(staff):
    from django.db import connection

    client = _stepped_up(staff)
    client.get(ENROL)
    secret = _pending_secret(client)
    client.post(ENROL, {"code": pyotp.TOTP(secret).now()})
    with connection.cursor() as cursor:
        cursor.execute("SELECT totp_secret FROM accounts_user WHERE id = %s", [staff.pk])
        stored = cursor.fetchone()[0]
    assert stored and secret not in stored
    for row in User.history.filter(id=staff.pk).values():
        assert secret not in repr(row)
    assert secret not in repr(User.objects.get(pk=staff.pk).totp_secret)


def test_enrolment_code_cannot_be_replayed_for_step_up(client_for, staff):
    """The code typed to confirm enrolment is spent: reusing it for step-up fails."""

    client = client_for(staff)
    client.post("/mina-sidor/bekrafta/", {"password": PASSWORD})
    client.get("/mina-sidor/engangskoder/")
    secret = _pending_secret(client)
    code = pyotp.TOTP(secret).now()
    response = client.post("/mina-sidor/engangskoder/", {"code": code})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.has_totp
    fresh = client_for(staff)
    response = fresh.post("/mina-sidor/bekrafta/", {"code": code, "next": "/"})
    assert response.status_code == 200
    assert "stepup_at" not in fresh.session


def test_the_session_store_never_holds_the_pending_seed_in_clear(staff):
    """While enrolment waits for its first code, the seed sits in the session
    (a database row, in every backup): only encrypted, like the confirmed one."""
    from django.contrib.sessions.models import Session

    client = _stepped_up(staff)
    page = client.get(ENROL).content.decode()
    secret = _pending_secret(client)
    assert secret in page  # shown once to the person, for typing into the app

    row = Session.objects.get(session_key=client.session.session_key)
    assert secret not in row.session_data
    decoded = row.get_decoded()
    assert decoded["totp_pending"]
    assert all(secret not in str(value) for value in decoded.values())

    # A wrong code re-renders the page from the same encrypted entry.
    client.post(ENROL, {"code": "000000"})
    assert _pending_secret(client) == secret
    row.refresh_from_db()
    assert all(secret not in str(value) for value in row.get_decoded().values())
