"""§9 platform competence, recorded for a person by their manager, the head of
their administration or the information officer. A role that records for
nobody gets 403; a manager or head asking about someone outside their line
gets 404, the same as for a missing person."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import PlatformCompetence
from tests.factories import UserFactory


def _url(person):
    return reverse("channels_registry:person_competence", args=[person.pk])


DATA = {"platform": "facebook", "achieved_on": "2026-10-01", "how": "Kurs hos SKR"}


def test_anonymous_is_sent_to_login(client, staff):
    assert client.get(_url(staff)).status_code == 302


@pytest.mark.parametrize("persona", ["colleague", "outsider", "registrar"])
def test_others_get_403(request, client_for, staff, platform, persona):
    c = client_for(request.getfixturevalue(persona))
    assert c.get(_url(staff)).status_code == 403
    assert c.post(_url(staff), DATA).status_code == 403
    assert not PlatformCompetence.objects.exists()


def test_manager_of_another_unit_gets_404_as_for_a_missing_person(client_for, org, staff, platform):
    """A person outside the manager's line is an object they may not see."""
    c = client_for(org["other_manager"])
    assert c.get(_url(staff)).status_code == 404
    assert c.post(_url(staff), DATA).status_code == 404
    assert not PlatformCompetence.objects.exists()


def test_staff_cannot_record_their_own_competence(client_for, staff, platform):
    assert client_for(staff).post(_url(staff), DATA).status_code == 403


def test_missing_person_is_404(client_for, info_officer, db):
    url = reverse("channels_registry:person_competence", args=[999999])
    assert client_for(info_officer).get(url).status_code == 404


@pytest.mark.parametrize("persona", ["manager", "head", "info_officer"])
def test_allowed_people_record_competence_with_history(
    request, client_for, staff, platform, persona
):
    actor = request.getfixturevalue(persona)
    c = client_for(actor)
    assert c.get(_url(staff), {"platform": "facebook"}).status_code == 200
    response = c.post(_url(staff), {**DATA, "next": "/register/konton/"})
    assert response.status_code == 302
    assert response["Location"] == "/register/konton/"
    competence = PlatformCompetence.objects.get(user=staff, platform="facebook")
    assert competence.achieved_on == datetime.date(2026, 10, 1)
    assert competence.recorded_by == actor
    assert competence.history.first().history_user == actor


def test_an_unsafe_next_is_ignored(client_for, manager, staff, platform):
    response = client_for(manager).post(_url(staff), {**DATA, "next": "https://evil.example/"})
    assert response["Location"] == _url(staff)


def test_unknown_platform_is_a_400(client_for, manager, staff, platform):
    response = client_for(manager).post(_url(staff), {**DATA, "platform": "myspace"})
    assert response.status_code == 400
    assert not PlatformCompetence.objects.exists()


def test_head_may_record_for_anyone_in_the_administration(client_for, head, org, platform):
    from tests.factories import UnitFactory

    elsewhere_in_adm = UserFactory(
        unit=UnitFactory(administration=org["administration"], name="Turism")
    )
    assert client_for(head).post(_url(elsewhere_in_adm), DATA).status_code == 302
