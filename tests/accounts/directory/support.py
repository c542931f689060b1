"""Recorded Microsoft Graph answers (tests/accounts/directory/recorded/) served by
``responses``: no test reaches the network. The people are the personas of
tests/conftest.py, known here by the Entra ID object ids sign-on stored."""

import copy
import json
from pathlib import Path

import responses
from responses import matchers

RECORDED = Path(__file__).parent / "recorded"
GRAPH = "https://graph.microsoft.com/v1.0"
TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"
TOKEN_URL = f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token"
CARL = "11111111-1111-4111-8111-111111111111"
MAJA = "22222222-2222-4222-8222-222222222222"
KALLE = "33333333-3333-4333-8333-333333333333"
GROUP_STAFF = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
GROUP_MANAGERS = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"


def recorded(name: str) -> dict:
    return json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8"))


def link(name: str, key: str) -> str:
    return recorded(name)[key]


def add_token(rsps: responses.RequestsMock) -> None:
    rsps.post(
        TOKEN_URL,
        json=recorded("graph_token"),
        match=[
            matchers.urlencoded_params_matcher(
                {
                    "grant_type": "client_credentials",
                    "client_id": "3f1d6c2a-0c53-4f8e-9d5e-1a2b3c4d5e6f",
                    "client_secret": "recorded-client-secret",
                    "scope": "https://graph.microsoft.com/.default",
                }
            )
        ],
    )


BEARER = matchers.header_matcher(
    {"Authorization": f"Bearer {recorded('graph_token')['access_token']}"}
)


def add_groups(rsps: responses.RequestsMock, managers: str = "graph_group_chef") -> None:
    members = f"{GRAPH}/groups/{GROUP_STAFF}/transitiveMembers/microsoft.graph.user"
    rsps.get(members, json=recorded("graph_group_staff"), match=[BEARER])
    rsps.get(members, json=recorded("graph_group_staff_page2"), match=[BEARER])
    rsps.get(
        f"{GRAPH}/groups/{GROUP_MANAGERS}/transitiveMembers/microsoft.graph.user",
        json=recorded(managers),
        match=[BEARER],
    )


def add_full_read(rsps: responses.RequestsMock, page1: dict | None = None) -> None:
    """The two /users pages, the start of delta tracking, the groups."""
    add_token(rsps)
    rsps.get(f"{GRAPH}/users", json=page1 or recorded("graph_users_page1"), match=[BEARER])
    rsps.get(f"{GRAPH}/users", json=recorded("graph_users_page2"), match=[BEARER])
    rsps.get(
        f"{GRAPH}/users/delta",
        json=recorded("graph_delta_latest"),
        match=[BEARER, matchers.query_param_matcher({"$deltatoken": "latest"}, strict_match=False)],
    )
    add_groups(rsps)


def add_delta_round(rsps: responses.RequestsMock, pages=("graph_delta_page1", "graph_delta_page2")):
    """A delta round: Maja's surname changed, Kalle deleted; Maja is now in the
    managers' group and Kalle no longer."""
    add_token(rsps)
    for page in pages:
        rsps.get(f"{GRAPH}/users/delta", json=recorded(page), match=[BEARER])
    add_groups(rsps, managers="graph_group_chef_after")


def with_leave_date(page: dict, person: str, when: str) -> dict:
    page = copy.deepcopy(page)
    for item in page["value"]:
        item["employeeLeaveDateTime"] = when if item["id"] == person else None
    return page


def start_delta_tracking(now=None) -> None:
    """As after a full read: the stored delta link and the time of the read."""
    from django.utils import timezone

    from accounts.directory.models import DirectoryCursor

    DirectoryCursor.objects.update_or_create(
        source="graph",
        defaults={
            "delta_link": link("graph_delta_latest", "@odata.deltaLink"),
            "full_read_at": now or timezone.now(),
        },
    )
