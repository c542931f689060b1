"""Swedish by default; English through the language switch (/i18n/setlang/)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

SETLANG = reverse("set_language")


def test_pages_are_swedish_by_default():
    body = Client().get(reverse("accessibility")).content.decode()
    assert '<html lang="sv">' in body
    assert "Hoppa till huvudinnehållet" in body


def test_language_switch_offers_english_as_a_post_form():
    body = Client().get(reverse("index")).content.decode()
    assert f'<form action="{SETLANG}" method="post"' in body
    assert '<button type="submit" name="language" value="en" lang="en">In English</button>' in body


def test_switching_to_english_sets_html_lang_en():
    client = Client()

    response = client.post(SETLANG, {"language": "en", "next": reverse("privacy")})

    assert response.status_code == 302
    assert response["Location"] == reverse("privacy")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    body = client.get(reverse("privacy")).content.decode()
    assert '<html lang="en">' in body
    assert 'value="sv" lang="sv">På svenska</button>' in body


def test_switching_back_to_swedish():
    client = Client()
    client.post(SETLANG, {"language": "en", "next": "/"})
    client.post(SETLANG, {"language": "sv", "next": "/"})
    assert '<html lang="sv">' in client.get(reverse("accessibility")).content.decode()


def test_english_choice_follows_a_logged_in_person(client_for, staff):
    client = client_for(staff)
    client.post(SETLANG, {"language": "en", "next": reverse("accounts:profile")})
    assert '<html lang="en">' in client.get(reverse("accounts:profile")).content.decode()


def test_unknown_language_is_ignored():
    client = Client()
    client.post(SETLANG, {"language": "xx", "next": "/"})
    assert '<html lang="sv">' in client.get(reverse("index")).content.decode()


def test_language_switch_never_redirects_to_another_site():
    response = Client().post(SETLANG, {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_browser_asking_for_english_gets_english():
    response = Client().get(reverse("index"), headers={"accept-language": "en"})
    assert '<html lang="en">' in response.content.decode()
