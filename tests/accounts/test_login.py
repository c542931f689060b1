"""Login and logout in Swedish (issue: foundation)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")

pytestmark = pytest.mark.django_db


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_page_is_swedish_with_labelled_fields():
    response = Client().get(LOGIN)

    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="sv">' in body
    assert "<h1>Logga in</h1>" in body
    assert '<label for="id_username">Användarnamn:</label>' in body
    assert '<label for="id_password">Lösenord:</label>' in body
    assert 'autocomplete="current-password"' in body


def test_right_password_logs_in_and_goes_to_my_page(staff):
    client = Client()
    response = client.post(LOGIN, {"username": staff.username, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")
    assert _logged_in(client)


def test_wrong_password_gives_a_swedish_message_and_no_login(staff):
    client = Client()
    response = client.post(LOGIN, {"username": staff.username, "password": "fel lösenord"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Fel användarnamn eller lösenord." in body
    assert 'role="alert"' in body
    assert not _logged_in(client)


def test_empty_form_names_each_missing_field_in_swedish():
    body = Client().post(LOGIN, {}).content.decode()
    assert body.count("Detta fält måste fyllas i.") == 2


def test_deactivated_person_cannot_log_in(staff):
    staff.is_active = False
    staff.save()
    client = Client()

    response = client.post(LOGIN, {"username": staff.username, "password": PASSWORD})

    assert "Fel användarnamn eller lösenord." in response.content.decode()
    assert not _logged_in(client)


def test_login_never_redirects_to_another_site(staff):
    client = Client()
    response = client.post(
        f"{LOGIN}?next=https://evil.example/", {"username": staff.username, "password": PASSWORD}
    )
    assert response["Location"] == reverse("accounts:home")


def test_login_returns_to_the_page_asked_for(staff):
    client = Client()
    response = client.post(
        LOGIN, {"username": staff.username, "password": PASSWORD, "next": "/mina-sidor/profil/"}
    )
    assert response["Location"] == "/mina-sidor/profil/"


def test_logged_in_person_visiting_login_goes_to_my_page(client_for, staff):
    response = client_for(staff).get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")


def test_logout_by_get_is_refused_and_keeps_the_session(client_for, staff):
    client = client_for(staff)

    response = client.get(LOGOUT)

    assert response.status_code == 405
    assert _logged_in(client)


def test_logout_by_post_ends_the_session(client_for, staff):
    client = client_for(staff)

    response = client.post(LOGOUT)

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert not _logged_in(client)
    assert client.get(reverse("accounts:home")).status_code == 302


def test_logout_needs_a_csrf_token(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)

    assert client.post(LOGOUT).status_code == 403
    assert _logged_in(client)


def test_every_page_has_a_logout_button_that_posts(client_for, staff):
    body = client_for(staff).get(reverse("accounts:home")).content.decode()
    assert f'<form action="{LOGOUT}" method="post"' in body
