"""Error pages are Swedish, inside the site layout, and leak nothing."""

import pytest


@pytest.mark.django_db
def test_missing_page_is_swedish_404_with_layout(client):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Sidan finns inte</h1>" in html
    assert 'id="main"' in html
    assert "Not Found" not in html


@pytest.mark.django_db
def test_forbidden_page_is_swedish_403(client_for, staff):
    response = client_for(staff).get("/register/plattformar/")
    assert response.status_code == 403
    assert "Du har inte behörighet" in response.content.decode()


def test_server_error_page_is_static_and_swedish():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Ett fel uppstod" in html
    assert "{%" not in html
