"""Step-up hardening: five wrong answers within 15 minutes lock step-up for the
person (in the database, so a new session or another process does not reset
it), and a TOTP code is accepted only once."""

import datetime

import pyotp
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import security
from accounts.models import StepUpFailure
from accounts.stepup import SESSION_KEY
from tests.factories import PASSWORD

STEP_UP = reverse("accounts:step_up")
ENROL = reverse("accounts:totp_enroll")
START = timezone.make_aware(datetime.datetime(2025, 3, 4, 10, 0))


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _wrong(client, times):
    response = None
    for _ in range(times):
        response = client.post(STEP_UP, {"password": "fel lösenord"})
    return response


@pytest.fixture
def totp_staff(staff):
    staff.totp_secret = pyotp.random_base32()
    staff.totp_confirmed_at = timezone.now()
    staff.save(update_fields=["totp_secret", "totp_confirmed_at"])
    return staff


def test_five_wrong_passwords_lock_step_up_even_for_the_right_one(staff):
    with time_machine.travel(START, tick=False):
        client = _client(staff)
        _wrong(client, 5)

        response = client.post(STEP_UP, {"password": PASSWORD, "next": ENROL})

    assert response.status_code == 200
    body = response.content.decode()
    assert "För många felaktiga försök. Du kan försöka igen kl. 10:15." in body
    assert SESSION_KEY not in client.session
    assert client.get(ENROL).status_code == 302


def test_four_wrong_passwords_then_the_right_one_passes_and_clears_the_count(staff):
    client = _client(staff)
    _wrong(client, 4)

    response = client.post(STEP_UP, {"password": PASSWORD, "next": ENROL})

    assert response.status_code == 302
    assert not StepUpFailure.objects.filter(user=staff).exists()


def test_the_lock_follows_the_person_to_a_new_session(staff):
    _wrong(_client(staff), 5)

    response = _client(staff).post(STEP_UP, {"password": PASSWORD})

    assert "För många felaktiga försök" in response.content.decode()


def test_the_lock_is_per_person(staff, colleague):
    _wrong(_client(staff), 5)
    assert _client(colleague).post(STEP_UP, {"password": PASSWORD}).status_code == 302


def test_failures_older_than_15_minutes_do_not_count(staff):
    with time_machine.travel(START, tick=False) as traveller:
        client = _client(staff)
        _wrong(client, 4)
        traveller.shift(datetime.timedelta(minutes=15, seconds=1))
        _wrong(client, 4)
        response = client.post(STEP_UP, {"password": PASSWORD})

    assert response.status_code == 302


def test_step_up_opens_again_when_the_window_has_passed(staff):
    with time_machine.travel(START, tick=False) as traveller:
        client = _client(staff)
        _wrong(client, 5)
        traveller.shift(datetime.timedelta(minutes=14, seconds=59))
        assert security.step_up_locked_until(staff) is not None
        assert "För många" in client.post(STEP_UP, {"password": PASSWORD}).content.decode()
        traveller.shift(datetime.timedelta(seconds=2))
        response = client.post(STEP_UP, {"password": PASSWORD})

    assert response.status_code == 302


def test_wrong_totp_codes_count_towards_the_lock(totp_staff):
    code = pyotp.TOTP(str(totp_staff.totp_secret)).now()
    wrong = "000000" if code != "000000" else "111111"
    client = _client(totp_staff)
    for _ in range(5):
        client.post(STEP_UP, {"code": wrong})

    response = client.post(STEP_UP, {"code": code})

    assert "För många felaktiga försök" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_totp_code_is_accepted_only_once(totp_staff):
    with time_machine.travel(START, tick=False):
        code = pyotp.TOTP(str(totp_staff.totp_secret)).now()
        first = _client(totp_staff)
        assert first.post(STEP_UP, {"code": code}).status_code == 302

        # The same code, seen over a shoulder or replayed, in another session.
        second = _client(totp_staff)
        response = second.post(STEP_UP, {"code": code})

    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()
    assert SESSION_KEY not in second.session


def test_an_older_code_is_refused_after_a_newer_one_was_used(totp_staff):
    totp = pyotp.TOTP(str(totp_staff.totp_secret))
    with time_machine.travel(START, tick=False):
        previous = totp.at(START - datetime.timedelta(seconds=30))
        assert _client(totp_staff).post(STEP_UP, {"code": totp.now()}).status_code == 302
        # Still inside pyotp's window of one step, but older than the used one.
        response = _client(totp_staff).post(STEP_UP, {"code": previous})

    assert "Koden stämmer inte" in response.content.decode()


def test_the_next_code_works_after_one_was_used(totp_staff):
    totp = pyotp.TOTP(str(totp_staff.totp_secret))
    with time_machine.travel(START, tick=False) as traveller:
        assert _client(totp_staff).post(STEP_UP, {"code": totp.now()}).status_code == 302
        traveller.shift(datetime.timedelta(seconds=30))
        assert _client(totp_staff).post(STEP_UP, {"code": totp.now()}).status_code == 302


def test_using_a_code_writes_no_history_row(totp_staff):
    client = _client(totp_staff)
    before = totp_staff.history.count()
    client.post(STEP_UP, {"code": pyotp.TOTP(str(totp_staff.totp_secret)).now()})
    totp_staff.refresh_from_db()
    assert totp_staff.totp_last_step is not None
    assert totp_staff.history.count() == before


@pytest.mark.parametrize("code", ["12345a", "abcdef", "１２３４５６", " ", "12 345"])
def test_malformed_codes_are_refused_without_a_500(totp_staff, code):
    response = _client(totp_staff).post(STEP_UP, {"code": code})
    assert response.status_code == 200
    assert SESSION_KEY not in _client(totp_staff).session
