"""Login lockout (django-axes): five wrong passwords for one username from one IP
address lock that pair for 30 minutes, with a Swedish page (429) that says when
to try again and whom to contact. Attempts live in the database, so each test's
transaction resets them."""

import datetime
import logging

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.sso.backends import LocalPasswordBackend
from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")
WRONG = "fel-lösenord-hemligt-123"

pytestmark = pytest.mark.django_db


def _fail(client, username, times, ip="10.0.0.1"):
    response = None
    for _ in range(times):
        response = client.post(LOGIN, {"username": username, "password": WRONG}, REMOTE_ADDR=ip)
    return response


def _login(client, username, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": PASSWORD}, REMOTE_ADDR=ip)


def test_settings_lock_on_username_and_ip_together_after_five_failures_for_30_minutes():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    # Passwords are checked by Django's ModelBackend, behind the switch that
    # turns local login off except for the break-glass accounts (accounts/sso).
    assert "accounts.sso.backends.LocalPasswordBackend" in settings.AUTHENTICATION_BACKENDS
    assert issubclass(LocalPasswordBackend, ModelBackend)
    assert "guardian.backends.ObjectPermissionBackend" in settings.AUTHENTICATION_BACKENDS
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert datetime.timedelta(hours=settings.AXES_COOLOFF_TIME) == datetime.timedelta(minutes=30)


def test_four_failures_still_let_the_right_password_in(staff):
    client = Client()
    response = _fail(client, staff.username, 4)
    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord." in response.content.decode()

    response = _login(client, staff.username)

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_fifth_failure_shows_the_swedish_lockout_page(staff):
    with time_machine.travel(timezone.make_aware(datetime.datetime(2025, 3, 4, 10, 0)), tick=False):
        response = _fail(Client(), staff.username, 5)

    assert response.status_code == 429
    body = response.content.decode()
    assert '<html lang="sv">' in body
    assert "<h1>Inloggningen är tillfälligt spärrad</h1>" in body
    assert "spärrad i 30 minuter" in body
    assert "Du kan försöka igen kl. 10:30" in body
    assert f'href="mailto:{settings.LOCKOUT_CONTACT}"' in body
    assert 'role="alert"' in body


def test_locked_out_person_cannot_log_in_even_with_the_right_password(staff):
    client = Client()
    _fail(client, staff.username, 5)

    response = _login(client, staff.username)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_ends_after_30_minutes(staff):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = Client()
        _fail(client, staff.username, 5)
        traveller.shift(datetime.timedelta(minutes=29))
        assert _login(client, staff.username).status_code == 429
        # A try during the lockout starts the 30 minutes again.
        traveller.shift(datetime.timedelta(minutes=29))
        assert _login(client, staff.username).status_code == 429
        traveller.shift(datetime.timedelta(minutes=31))
        response = _login(client, staff.username)

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_lockout_is_per_username_and_ip_address(staff, colleague):
    _fail(Client(), staff.username, 5, ip="10.0.0.1")

    # The same person from another address, and another person from the same one.
    assert _login(Client(), staff.username, ip="10.0.0.2").status_code == 302
    assert _login(Client(), colleague.username, ip="10.0.0.1").status_code == 302
    assert _login(Client(), staff.username, ip="10.0.0.1").status_code == 429


def test_a_successful_login_resets_the_count(staff):
    client = Client()
    _fail(client, staff.username, 4)
    assert _login(client, staff.username).status_code == 302
    client.post(reverse("accounts:logout"))

    response = _fail(client, staff.username, 4)

    assert response.status_code == 200


def test_unknown_usernames_are_locked_out_too(db):
    response = _fail(Client(), "finns-inte", 5)
    assert response.status_code == 429


def test_attempts_and_logs_never_hold_the_password(staff, caplog):
    with caplog.at_level(logging.DEBUG):
        _fail(Client(), staff.username, 5)

    attempt = AccessAttempt.objects.get(username=staff.username)
    assert attempt.failures_since_start == 5
    stored = f"{attempt.post_data}\n{attempt.get_data}\n{attempt.http_accept}"
    assert WRONG not in stored
    assert WRONG not in caplog.text
    assert "password=********************" in attempt.post_data


def test_lockout_counts_only_posts_to_the_login_page(staff, client_for):
    """Pages of a logged-in person never count as failed logins."""
    logged_in = client_for(staff)
    for _ in range(10):
        logged_in.get(reverse("accounts:home"))
    assert not AccessAttempt.objects.exists()
