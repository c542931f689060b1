"""SCIM 2.0 push from the identity provider (requests as Entra ID's provisioning
sends them): matched on externalId, a leaver by PATCH active=false or DELETE."""

import json

import pytest
from django.utils import timezone

from accounts.directory.models import DirectoryRun
from accounts.directory.services import SYSTEM_USERNAME
from accounts.models import ExternalIdentity, Notification, User
from channels_registry.models import Finding
from tests.accounts.directory.support import KALLE, MAJA
from tests.channels_registry.compliance_support import compliant_account

pytestmark = pytest.mark.django_db

TOKEN = "scim-token-of-at-least-thirty-two-characters"  # noqa: S105 - a test value
AUTH = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
SCIM_JSON = "application/scim+json"


@pytest.fixture
def scim(graph_settings, known_people):
    graph_settings.DIRECTORY_SCIM_TOKEN = TOKEN
    return known_people


def _send(client, method, url, body=None, **extra):
    data = json.dumps(body) if body is not None else ""
    return getattr(client, method)(url, data=data, content_type=SCIM_JSON, **{**AUTH, **extra})


def test_without_the_token_nothing_is_read_or_changed(client, scim):
    kalle = scim["kalle"]
    assert client.get("/scim/v2/Users").status_code == 401
    wrong = {"HTTP_AUTHORIZATION": "Bearer " + "x" * 44}
    response = client.delete(f"/scim/v2/Users/{kalle.pk}", **wrong)
    assert response.status_code == 401
    assert User.objects.get(pk=kalle.pk).is_active


def test_scim_is_off_without_a_token(client, graph_settings, known_people):
    graph_settings.DIRECTORY_SCIM_TOKEN = ""
    assert client.get("/scim/v2/Users", **AUTH).status_code == 404


def test_the_provider_finds_a_person_by_external_id(client, scim):
    found = client.get("/scim/v2/Users", {"filter": f'externalId eq "{MAJA}"'}, **AUTH).json()
    assert found["totalResults"] == 1
    resource = found["Resources"][0]
    assert resource["externalId"] == MAJA and resource["active"] is True
    none = client.get("/scim/v2/Users", {"filter": 'externalId eq "unknown"'}, **AUTH).json()
    assert none["totalResults"] == 0
    # Never on an e-mail or a user name.
    by_name = client.get("/scim/v2/Users", {"filter": 'userName eq "medarbetare"'}, **AUTH)
    assert by_name.json()["totalResults"] == 0
    assert client.get("/scim/v2/Users", {"filter": "emails co x"}, **AUTH).status_code == 400


def test_a_provisioned_person_is_created_without_a_role(client, scim):
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "externalId": "77777777-7777-4777-8777-777777777777",
        "userName": "nina.nyanstalld@nora.se",
        "active": True,
        "name": {"givenName": "Nina", "familyName": "Nyanställd"},
        "emails": [{"primary": True, "type": "work", "value": "nina.nyanstalld@nora.se"}],
    }
    response = _send(client, "post", "/scim/v2/Users", body)
    assert response.status_code == 201
    nina = User.objects.get(pk=int(response.json()["id"]))
    assert (nina.first_name, nina.username) == ("Nina", "nina.nyanstalld")
    assert not nina.groups.exists() and not nina.has_usable_password()
    assert nina.history.get().history_user.username == SYSTEM_USERNAME
    assert _send(client, "post", "/scim/v2/Users", body).status_code == 409
    assert _send(client, "post", "/scim/v2/Users", {"userName": "x"}).status_code == 400


def test_patch_active_false_is_a_leaver_today_with_the_findings_and_the_logout(
    client, client_for, scim, org, platform, info_officer
):
    maja, kalle = scim["maja"], scim["kalle"]
    account = compliant_account(org["unit"], maja, kalle, platform)
    kalle_browser = client_for(kalle)
    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
    }
    response = _send(client, "patch", f"/scim/v2/Users/{kalle.pk}", body)
    assert response.status_code == 200 and response.json()["active"] is False

    kalle.refresh_from_db()
    assert not kalle.is_active and kalle.left_on == timezone.localdate()
    assert Finding.objects.filter(
        account=account, rule_code="people_rules", resolved_at__isnull=True
    ).exists()
    assert Notification.objects.filter(recipient=info_officer, subject__contains="Kalle").exists()
    response = kalle_browser.get("/mina-sidor/")
    assert response.status_code == 302 and "/logga-in/" in response["Location"]
    run = DirectoryRun.objects.get(source="scim")
    assert run.left == 1 and run.status == DirectoryRun.Status.OK
    assert ExternalIdentity.objects.get(user=kalle).subject == KALLE


def test_patch_of_a_name_changes_the_name_and_keeps_the_roles(client, scim):
    maja = scim["maja"]
    roles_before = set(maja.groups.values_list("name", flat=True))
    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "name.familyName", "value": "Berg"}],
    }
    assert _send(client, "patch", f"/scim/v2/Users/{maja.pk}", body).status_code == 200
    maja.refresh_from_db()
    assert maja.last_name == "Berg" and maja.is_active
    assert set(maja.groups.values_list("name", flat=True)) == roles_before
    assert maja.history.filter(history_user__username=SYSTEM_USERNAME, last_name="Berg").exists()


def test_delete_is_a_leaver_and_bad_requests_change_nothing(client, scim):
    maja, kalle = scim["maja"], scim["kalle"]
    assert (
        _send(client, "patch", f"/scim/v2/Users/{maja.pk}", {"Operations": "x"}).status_code == 400
    )
    bad = client.patch(f"/scim/v2/Users/{maja.pk}", data="{", content_type=SCIM_JSON, **AUTH)
    assert bad.status_code == 400
    assert client.get("/scim/v2/Users/999999", **AUTH).status_code == 404
    assert User.objects.get(pk=maja.pk).is_active

    assert client.delete(f"/scim/v2/Users/{kalle.pk}", **AUTH).status_code == 204
    assert not User.objects.get(pk=kalle.pk).is_active
