"""Choosing owner, deputy and administrators on the plan form shows each person's
§12 acknowledgement and §9 platform competence at the point of choice; the
administrators are a list of checkboxes (no Ctrl-click), in a fixed number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AcknowledgementFactory, CompetenceFactory, UserFactory

URL = reverse("activity_plans:plan_create")


def test_each_choice_shows_acknowledgement_and_competence(client_for, staff, colleague, platform):
    AcknowledgementFactory(user=staff)
    # The colleague has not read the current version.
    colleague.policy_acknowledgements.all().delete()
    CompetenceFactory(user=staff, platform=platform.slug)
    html = client_for(staff).get(URL).content.decode()
    mine = f"{staff.get_full_name()}, {staff.unit.name} – policyn kvitterad (§12); kan {platform.name} (§9)"
    theirs = (
        f"{colleague.get_full_name()}, {colleague.unit.name} – har inte kvitterat policyn "
        "(§12); ingen registrerad plattformskunskap (§9)"
    )
    assert html.count(mine) == 3  # owner, deputy, administrators
    assert html.count(theirs) == 3
    assert 'type="checkbox" name="admins"' in html
    assert "<select" in html and 'name="admins" multiple' not in html
    assert "Ctrl" not in html
    assert 'id="admins-filter"' in html and '<label for="admins-filter">' in html


def test_the_form_costs_the_same_queries_for_few_and_many_people(client_for, staff, org, platform):
    client = client_for(staff)
    client.get(URL)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    few = queries()
    for i in range(10):
        person = UserFactory(username=f"person{i}", unit=org["unit"])
        AcknowledgementFactory(user=person)
        CompetenceFactory(user=person, platform=platform.slug)
    assert queries() == few
