"""My profile: policy acknowledgement (§12) and absences (§3, §5)."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Absence
from tests.factories import AbsenceFactory

PROFILE = reverse("accounts:profile")
ACK = reverse("accounts:acknowledge_policy")
ABSENCE = reverse("accounts:absence_add")

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    for url in (PROFILE, ACK, ABSENCE):
        response = client.post(url) if url != PROFILE else client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_profile_shows_my_own_data_only(client_for, staff, outsider):
    AbsenceFactory(
        user=outsider,
        starts_on=datetime.date(2099, 7, 1),
        ends_on=datetime.date(2099, 7, 31),
        note="Olles semester",
    )
    AbsenceFactory(
        user=staff,
        starts_on=datetime.date(2099, 6, 1),
        ends_on=datetime.date(2099, 6, 30),
        note="Majas semester",
    )

    response = client_for(staff).get(PROFILE)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Maja Medarbetare" in body
    assert "Majas semester" in body
    assert "Olles semester" not in body
    assert "Olle" not in body


def test_registering_an_absence(client_for, staff):
    response = client_for(staff).post(
        ABSENCE,
        {"starts_on": "2099-07-01", "ends_on": "2099-07-28", "note": "Semester"},
        follow=True,
    )

    absence = Absence.objects.get(user=staff)
    assert (absence.starts_on, absence.ends_on) == (
        datetime.date(2099, 7, 1),
        datetime.date(2099, 7, 28),
    )
    assert absence.history.first().history_user == staff
    assert "Frånvaron är registrerad." in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"starts_on": "2099-07-28", "ends_on": "2099-07-01"},
            "Slutdatum kan inte vara före startdatum.",
        ),
        ({"starts_on": "2099-13-45", "ends_on": "2099-07-01"}, "Fyll i ett giltigt datum."),
        ({"starts_on": "igår", "ends_on": "imorgon"}, "Fyll i ett giltigt datum."),
        ({"starts_on": "", "ends_on": "2099-07-01"}, "Detta fält måste fyllas i."),
    ],
)
def test_absence_with_invalid_dates_is_refused_in_swedish(client_for, staff, data, message):
    response = client_for(staff).post(ABSENCE, data)

    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'aria-invalid="true"' in body
    assert not Absence.objects.filter(user=staff).exists()


def test_absence_is_registered_for_myself_whatever_the_form_says(client_for, staff, outsider):
    client_for(staff).post(
        ABSENCE,
        {"starts_on": "2099-07-01", "ends_on": "2099-07-02", "user": outsider.pk},
    )
    assert Absence.objects.get().user == staff


def test_platform_competence_uses_the_platforms_own_names(client_for, staff):
    """ "LinkedIn" and "YouTube" as the brands write them, not "Linkedin"/"Youtube"."""
    from accounts.models import PlatformCompetence
    from channels_registry.models import Platform

    for slug, name in (("linkedin", "LinkedIn"), ("youtube", "YouTube")):
        Platform.objects.get_or_create(
            slug=slug, defaults={"name": name, "access_kind": "named_roles"}
        )
        PlatformCompetence.objects.create(user=staff, platform=slug)
    html = client_for(staff).get(reverse("accounts:profile")).content.decode()
    assert "<li>LinkedIn:" in html and "<li>YouTube:" in html
    assert "Linkedin" not in html and "Youtube" not in html
