"""Sessions end after SESSION_COOKIE_AGE and when the browser closes; in
production the session and CSRF cookies are Secure, HttpOnly and SameSite."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")
HOME = reverse("accounts:home")

pytestmark = pytest.mark.django_db


def _log_in(client, user, **extra):
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD}, **extra)
    assert response.status_code == 302
    return response


def test_session_lasts_eight_hours_and_ends_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_session_cookie_is_a_browser_session_cookie(staff):
    response = _log_in(Client(), staff)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # No Expires or Max-Age: the browser drops it when it closes.
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_expired_session_sends_the_person_to_login(staff, settings):
    settings.SESSION_COOKIE_AGE = 8 * 3600
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = Client()
        _log_in(client, staff)
        traveller.shift(datetime.timedelta(hours=7, minutes=59))
        assert client.get(HOME).status_code == 200

        traveller.shift(datetime.timedelta(minutes=2))
        response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse(settings.LOGIN_URL)}?next={HOME}"


def test_session_age_setting_is_honoured(staff, settings):
    settings.SESSION_COOKIE_AGE = 60
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = Client()
        _log_in(client, staff)
        traveller.shift(datetime.timedelta(seconds=61))
        assert client.get(HOME).status_code == 302


def test_logout_deletes_the_session_on_the_server(staff):
    client = Client()
    _log_in(client, staff)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=key).exists()

    client.post(reverse("accounts:logout"))

    assert not Session.objects.filter(session_key=key).exists()


def test_login_gives_a_new_session_key(staff):
    """Session fixation: a key planted before login is not the one after."""
    client = Client()
    client.get(LOGIN)
    session = client.session
    session["planted"] = True
    session.save()
    before = session.session_key

    _log_in(client, staff)

    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


def test_production_cookies_are_secure(production_settings):
    assert production_settings["DEBUG"] is False
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["CSRF_COOKIE_SECURE"] is True
    assert production_settings["LANGUAGE_COOKIE_SECURE"] is True
    assert production_settings["SESSION_COOKIE_HTTPONLY"] is True
    assert production_settings["CSRF_COOKIE_HTTPONLY"] is True
    assert production_settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert production_settings["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert production_settings["SECURE_SSL_REDIRECT"] is True


def test_a_login_with_the_production_cookie_settings_sets_secure_cookies(
    staff, production_settings
):
    names = (
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
    )
    with override_settings(**{name: production_settings[name] for name in names}):
        client = Client()
        page = client.get(LOGIN, secure=True)
        response = _log_in(client, staff, secure=True)

    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
