"""The information officer's page of the staff directory's runs in Chromium:
reached from the sign-on settings, passes axe (WCAG 2.1 AA) and reflows at
320 px, with an error and a long list of changes."""

import pytest

from accounts.directory.models import DirectoryRun
from tests.e2e.flows import click
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_directory_log_is_reached_from_sign_on_and_is_accessible(
    page, live_server, login, axe_check, settings
):
    settings.DIRECTORY_SOURCE = "graph"
    UserFactory(username="kommunchef", first_name="Klara", roles=["kommunchef"])
    DirectoryRun.objects.create(
        source="graph",
        status=DirectoryRun.Status.FAILED,
        error="Microsoft Graph godtog inte tjänstens inloggning (HTTP 401). Kontrollera "
        "appregistreringens hemlighet.",
    )
    DirectoryRun.objects.create(
        source="graph",
        status=DirectoryRun.Status.OK,
        people_read=1412,
        matched=212,
        updated=14,
        left=2,
        changes=[
            {
                "user": 1,
                "name": f"Person Medett Mycketlångtefternamn{n}",
                "what": "slutade 2026-12-07: inaktiverad",
            }
            for n in range(12)
        ],
    )
    login(page, "kommunchef")
    page.goto(f"{live_server.url}/installningar/inloggning/")
    click(page, "link", "Personalkatalogen: senaste körningen, ändringar och fel")
    assert page.get_by_role("heading", name="Personalkatalogen", exact=True).is_visible()
    assert page.get_by_text("1412").is_visible()
    axe_check(page)
    click(page, "link", "Visa vad som ändrades")
    assert page.get_by_text("Person Medett Mycketlångtefternamn11").is_visible()
    axe_check(page)
    failed = DirectoryRun.objects.get(status=DirectoryRun.Status.FAILED)
    page.goto(f"{live_server.url}/installningar/katalog/{failed.pk}/")
    assert page.get_by_role("alert").is_visible()
    axe_check(page)
