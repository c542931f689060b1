"""The information officer's page of the directory's runs, and the task when no
directory is configured (as in ``make run``)."""

import logging

import pytest
from django.urls import reverse

from accounts.directory import tasks
from accounts.directory.models import DirectoryRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs(staff):
    failed = DirectoryRun.objects.create(
        source="graph",
        status=DirectoryRun.Status.FAILED,
        error="Microsoft Graph godtog inte tjänstens inloggning (HTTP 401).",
    )
    ok = DirectoryRun.objects.create(
        source="graph",
        status=DirectoryRun.Status.OK,
        people_read=412,
        matched=97,
        updated=3,
        left=1,
        changes=[
            {
                "user": staff.pk,
                "name": "Maja Medarbetare",
                "what": "slutade 2026-12-07: inaktiverad",
            }
        ],
    )
    return failed, ok


def test_the_information_officer_sees_the_last_run_its_counts_and_errors(
    info_officer, client_for, runs, settings
):
    settings.DIRECTORY_SOURCE = "graph"
    failed, ok = runs
    browser = client_for(info_officer)
    mappings = browser.get(reverse("sso_mappings")).content.decode()
    assert reverse("accounts:directory_runs") in mappings

    page = browser.get(reverse("accounts:directory_runs")).content.decode()
    assert "Personalkatalogen" in page and "Microsoft Entra ID" in page
    assert "412" in page and "97" in page
    detail = browser.get(reverse("accounts:directory_run", args=[ok.pk])).content.decode()
    assert "Maja Medarbetare: slutade 2026-12-07: inaktiverad" in detail
    failed_page = browser.get(reverse("accounts:directory_run", args=[failed.pk])).content.decode()
    assert "HTTP 401" in failed_page and "misslyckades" in failed_page


def test_without_a_directory_the_page_says_so(info_officer, client_for, settings):
    settings.DIRECTORY_SOURCE = ""
    page = client_for(info_officer).get(reverse("accounts:directory_runs")).content.decode()
    assert "Ingen personalkatalog är inställd" in page
    assert "Katalogen har inte lästs än" in page


def test_no_one_else_sees_the_log(staff, manager, registrar, client_for, client, runs):
    _failed, ok = runs
    for person in (staff, manager, registrar):
        browser = client_for(person)
        assert browser.get(reverse("accounts:directory_runs")).status_code == 403
        assert browser.get(reverse("accounts:directory_run", args=[ok.pk])).status_code == 403
    response = client.get(reverse("accounts:directory_runs"))
    assert response.status_code == 302 and "/logga-in/" in response["Location"]


def test_a_run_that_does_not_exist_is_not_found(info_officer, client_for):
    response = client_for(info_officer).get(reverse("accounts:directory_run", args=[999999]))
    assert response.status_code == 404


def test_without_a_directory_the_task_does_nothing_and_says_so_once(settings, caplog):
    settings.DIRECTORY_SOURCE = ""
    tasks._said_unconfigured = False
    with caplog.at_level(logging.INFO, logger="accounts.directory.tasks"):
        assert tasks.sync_directory.run() == {"configured": False}
        assert tasks.sync_directory.run() == {"configured": False}
    said = [r for r in caplog.records if "No staff directory" in r.getMessage()]
    assert len(said) == 1
    assert not DirectoryRun.objects.exists()
