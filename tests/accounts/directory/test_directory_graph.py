"""The staff directory read from Microsoft Graph (recorded answers, no network):
paging, a delta round, throttling and a refused token."""

import datetime

import pytest
import responses
import time_machine
from django.utils import timezone

from accounts.directory.graph import GraphSource
from accounts.directory.models import DirectoryCursor, DirectoryRun
from accounts.directory.services import SYSTEM_USERNAME, directory_sync
from accounts.models import User
from accounts.roles import Role
from tests.accounts.directory.support import (
    BEARER,
    GRAPH,
    KALLE,
    MAJA,
    add_delta_round,
    add_full_read,
    add_groups,
    add_token,
    link,
    recorded,
    start_delta_tracking,
    with_leave_date,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def roles(user: User) -> set[str]:
    return set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))


def history_by_directory(user: User):
    return user.history.filter(history_user__username=SYSTEM_USERNAME)


def test_a_full_read_follows_every_page_and_updates_names_roles_and_the_units_manager(
    graph_settings, known_people, org, head
):
    unit = org["unit"]
    unit.manager = head  # out of date: the directory says Carl leads them
    unit.save()
    with responses.RequestsMock() as rsps:
        add_full_read(rsps)
        run = directory_sync(source=GraphSource())

    assert run.status == DirectoryRun.Status.OK, run.error
    assert run.full_read and run.people_read == 4 and run.matched == 3
    maja, kalle = known_people["maja"], known_people["kalle"]
    maja.refresh_from_db()
    assert (maja.last_name, maja.email) == ("Medarbetare-Berg", "maja.medarbetare@nora.se")
    # Kalle is in the managers' group in the directory: he is a manager now.
    assert roles(kalle) == {Role.STAFF, Role.MANAGER}
    assert run.roles_changed == 1
    unit.refresh_from_db()
    assert unit.manager == known_people["carl"]
    assert unit.history.filter(history_user__username=SYSTEM_USERNAME).exists()
    # Every change is in history with the system actor as its author.
    assert history_by_directory(maja).filter(last_name="Medarbetare-Berg").exists()
    assert history_by_directory(kalle).filter(history_change_reason__contains="roller").exists()
    # Nina has never signed on: not created, only counted.
    assert not User.objects.filter(email="nina.nyanstalld@nora.se").exists()
    cursor = DirectoryCursor.objects.get(source="graph")
    assert cursor.delta_link == link("graph_delta_latest", "@odata.deltaLink")
    assert cursor.full_read_at is not None


def test_a_delta_round_with_a_removed_person_and_a_changed_group(
    graph_settings, known_people, client_for
):
    start_delta_tracking()
    kalle_browser = client_for(known_people["kalle"])
    assert kalle_browser.get("/mina-sidor/").status_code == 200
    with responses.RequestsMock() as rsps:
        add_delta_round(rsps)
        run = directory_sync(source=GraphSource())

    assert run.status == DirectoryRun.Status.OK, run.error
    assert not run.full_read and run.left == 1
    maja, kalle = (User.objects.get(pk=u.pk) for u in (known_people["maja"], known_people["kalle"]))
    assert maja.last_name == "Berg"
    # Added to the managers' group in Entra ID: the role follows.
    assert roles(maja) == {Role.STAFF, Role.MANAGER}
    # Deleted in Entra ID: gone today, no longer counted, logged out.
    assert not kalle.is_active and kalle.left_on == timezone.localdate()
    assert not kalle.is_current()
    response = kalle_browser.get("/mina-sidor/")
    assert response.status_code == 302 and "/logga-in/" in response["Location"]
    assert history_by_directory(kalle).filter(is_active=False).exists()
    assert DirectoryCursor.objects.get(source="graph").delta_link == link(
        "graph_delta_page2", "@odata.deltaLink"
    )


def test_throttling_is_waited_out_as_retry_after_says(graph_settings, known_people):
    waits: list[float] = []
    with responses.RequestsMock() as rsps:
        add_token(rsps)
        rsps.get(
            f"{GRAPH}/users",
            status=429,
            json=recorded("graph_error_429"),
            headers={"Retry-After": "3"},
            match=[BEARER],
        )
        rsps.get(f"{GRAPH}/users", json=recorded("graph_users_page1"), match=[BEARER])
        rsps.get(f"{GRAPH}/users", json=recorded("graph_users_page2"), match=[BEARER])
        rsps.get(f"{GRAPH}/users/delta", json=recorded("graph_delta_latest"), match=[BEARER])
        add_groups(rsps)
        run = directory_sync(source=GraphSource(sleep=waits.append))

    assert waits == [3.0]
    assert run.status == DirectoryRun.Status.OK, run.error
    assert User.objects.get(pk=known_people["maja"].pk).last_name == "Medarbetare-Berg"


def test_a_refused_token_is_reported_on_the_run_and_changes_nothing(graph_settings, known_people):
    with responses.RequestsMock() as rsps:
        add_token(rsps)
        add_token(rsps)
        for _ in range(2):
            rsps.get(f"{GRAPH}/users", status=401, json=recorded("graph_error_401"))
        run = directory_sync(source=GraphSource())
        # Renewed once, then given up: two tokens, two refusals.
        assert len(rsps.calls) == 4

    assert run.status == DirectoryRun.Status.FAILED
    assert "401" in run.error and "hemlighet" in run.error
    assert "recorded-client-secret" not in run.error
    maja = User.objects.get(pk=known_people["maja"].pk)
    assert maja.last_name == "Medarbetare" and not history_by_directory(maja).exists()
    assert not DirectoryCursor.objects.get(source="graph").delta_link


def test_an_expired_delta_link_falls_back_to_a_full_read(graph_settings, known_people):
    start_delta_tracking()
    with responses.RequestsMock() as rsps:
        add_token(rsps)
        rsps.get(
            f"{GRAPH}/users/delta",
            status=410,
            json={"error": {"code": "resyncRequired", "message": "Resync required."}},
        )
        rsps.get(f"{GRAPH}/users", json=recorded("graph_users_page1"), match=[BEARER])
        rsps.get(f"{GRAPH}/users", json=recorded("graph_users_page2"), match=[BEARER])
        rsps.get(f"{GRAPH}/users/delta", json=recorded("graph_delta_latest"), match=[BEARER])
        add_groups(rsps)
        run = directory_sync(source=GraphSource())
    assert run.status == DirectoryRun.Status.OK, run.error
    assert run.full_read


def test_a_link_to_another_host_is_refused_before_the_token_goes_there(
    graph_settings, known_people
):
    page = recorded("graph_users_page1")
    page["@odata.nextLink"] = "https://graph.example.net/v1.0/users?$skiptoken=x"
    with responses.RequestsMock() as rsps:
        add_token(rsps)
        rsps.get(f"{GRAPH}/users", json=page, match=[BEARER])
        run = directory_sync(source=GraphSource())
    assert run.status == DirectoryRun.Status.FAILED
    assert "annan adress" in run.error


@time_machine.travel(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_an_end_date_ahead_is_kept_and_applied_on_that_day(graph_settings, known_people):
    graph_settings.DIRECTORY_GRAPH_LEAVE_DATES = True
    graph_settings.DIRECTORY_FULL_READ_HOURS = 24 * 365  # the next run is a delta round
    page1 = with_leave_date(recorded("graph_users_page1"), MAJA, "2026-12-20T00:00:00Z")
    with responses.RequestsMock() as rsps:
        add_full_read(rsps, page1=page1)
        run = directory_sync(source=GraphSource())
    maja = User.objects.get(pk=known_people["maja"].pk)
    assert run.scheduled == 1
    assert maja.is_active and maja.left_on == datetime.date(2026, 12, 20) and maja.is_current()

    empty_round = {"value": [], "@odata.deltaLink": link("graph_delta_page2", "@odata.deltaLink")}
    # 00:30 on the 20th in Stockholm: the day has come.
    with (
        time_machine.travel(datetime.datetime(2026, 12, 19, 23, 30, tzinfo=datetime.UTC)),
        responses.RequestsMock() as rsps,
    ):
        add_token(rsps)
        rsps.get(f"{GRAPH}/users/delta", json=empty_round, match=[BEARER])
        add_groups(rsps)
        run = directory_sync(source=GraphSource())
    maja.refresh_from_db()
    assert run.left == 1 and not maja.is_active
    assert maja.left_on == datetime.date(2026, 12, 20)


def test_a_person_disabled_in_the_directory_leaves_today(graph_settings, known_people):
    page1 = recorded("graph_users_page1")
    page1["value"][1]["accountEnabled"] = False
    with responses.RequestsMock() as rsps:
        add_full_read(rsps, page1=page1)
        directory_sync(source=GraphSource())
    maja = User.objects.get(pk=known_people["maja"].pk)
    assert not maja.is_active and maja.left_on == timezone.localdate()


def test_a_person_is_matched_on_the_identifier_never_the_email(graph_settings, known_people, org):
    """Someone here with Kalle's e-mail but no identity from sign-on is left alone."""
    namesake = UserFactory(username="namne", email="kalle.kollega@nora.se", unit=org["unit"])
    page2 = recorded("graph_users_page2")
    page2["value"][0]["id"] = "66666666-6666-4666-8666-666666666666"
    with responses.RequestsMock() as rsps:
        add_token(rsps)
        rsps.get(f"{GRAPH}/users", json=recorded("graph_users_page1"), match=[BEARER])
        rsps.get(f"{GRAPH}/users", json=page2, match=[BEARER])
        rsps.get(f"{GRAPH}/users/delta", json=recorded("graph_delta_latest"), match=[BEARER])
        add_groups(rsps)
        directory_sync(source=GraphSource())
    namesake.refresh_from_db()
    assert namesake.is_active and not history_by_directory(namesake).exists()
    # Kalle's own id is missing from a full read: he has left.
    assert not User.objects.get(pk=known_people["kalle"].pk).is_active
    assert KALLE


def test_an_answer_that_is_not_json_is_reported_and_changes_nothing(graph_settings, known_people):
    with responses.RequestsMock() as rsps:
        add_token(rsps)
        rsps.get(f"{GRAPH}/users", body="<html>Proxy error</html>", content_type="text/html")
        run = directory_sync(source=GraphSource())
    assert run.status == DirectoryRun.Status.FAILED and "JSON" in run.error
    assert User.objects.get(pk=known_people["kalle"].pk).is_active
