"""Sign-on's rules without a browser (the flows through real providers are in
tests/e2e/test_sso_flow.py): roles follow the groups at each sign-on, a leaver
and a person in no mapped group are refused, local passwords can be turned off
except for the break-glass account, and the mapping pages are the information
officer's alone."""

import datetime

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import ExternalIdentity, GroupMapping, LoginEvent, User
from accounts.roles import Role, ensure_role_groups
from accounts.sso.services import Assurance, NoAccess, SignOn, mapping_save, sign_on
from nora_social.core.errors import ServiceError
from tests.factories import PASSWORD, UnitFactory

pytestmark = pytest.mark.django_db


def _request():
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.user = AnonymousUser()
    return request


def _claims(groups, subject="oid-1"):
    return SignOn(
        provider="oidc",
        subject=subject,
        groups=tuple(groups),
        assurance=Assurance(method="oidc"),
        given_name="Greta",
        family_name="Grupp",
        email="greta@nora.se",
        username_hint="greta@nora.se",
    )


@pytest.fixture
def mapped():
    ensure_role_groups()
    unit = UnitFactory(name="Kultur")
    GroupMapping.objects.create(idp_group="g-chef", role=Role.MANAGER)
    GroupMapping.objects.create(idp_group="g-kultur", role=Role.STAFF, unit=unit)
    return unit


def test_a_group_change_at_the_provider_changes_the_role_at_the_next_sign_on(mapped):
    user = sign_on(request=_request(), claims=_claims(["g-chef", "g-kultur"]))
    assert user.username == "greta" and user.unit == mapped
    assert set(user.groups.values_list("name", flat=True)) == {Role.MANAGER, Role.STAFF}

    again = sign_on(request=_request(), claims=_claims(["g-kultur"]))
    assert again.pk == user.pk
    assert set(again.groups.values_list("name", flat=True)) == {Role.STAFF}

    # Out of every mapped group: no access, and no role left behind.
    with pytest.raises(NoAccess) as refused:
        sign_on(request=_request(), claims=_claims(["someone-elses-group"]))
    assert refused.value.reason == "no_group"
    assert not user.groups.exists()


def test_matching_is_on_the_subject_never_the_email(mapped):
    first = sign_on(request=_request(), claims=_claims(["g-kultur"], subject="oid-1"))
    second = sign_on(request=_request(), claims=_claims(["g-kultur"], subject="oid-2"))
    assert first.pk != second.pk
    assert ExternalIdentity.objects.count() == 2


def test_no_user_is_created_without_a_mapped_group(mapped):
    with pytest.raises(NoAccess):
        sign_on(request=_request(), claims=_claims(["unmapped"]))
    assert not User.objects.filter(email="greta@nora.se").exists()


def test_a_leaver_cannot_sign_on(mapped):
    user = sign_on(request=_request(), claims=_claims(["g-kultur"]))
    user.left_on = datetime.date(2020, 1, 1)
    user.save()
    with pytest.raises(NoAccess) as refused:
        sign_on(request=_request(), claims=_claims(["g-kultur"]))
    assert refused.value.reason == "left"


def test_local_password_login_off_except_for_the_break_glass_account(settings, staff, org):
    from tests.factories import UserFactory

    UserFactory(username="nodkonto")
    settings.LOCAL_LOGIN_ENABLED = False
    settings.BREAK_GLASS_USERNAMES = ["nodkonto"]
    login = reverse("accounts:login")

    refused = Client().post(login, {"username": staff.username, "password": PASSWORD})
    assert refused.status_code == 200
    assert "Inloggning med lösenord är avstängd" in refused.content.decode()

    client = Client()
    allowed = client.post(login, {"username": "nodkonto", "password": PASSWORD})
    assert allowed.status_code == 302
    event = LoginEvent.objects.get(user__username="nodkonto")
    assert (event.method, event.multi_factor) == ("password", False)


def test_mapping_pages_are_the_information_officers(staff, info_officer, mapped):
    url = reverse("sso_mappings")
    assert Client().get(url).status_code == 302
    client = Client()
    client.force_login(staff)
    assert client.get(url).status_code == 403
    client.force_login(info_officer)
    assert client.get(url).status_code == 200

    response = client.post(
        reverse("sso_mapping_add"), {"idp_group": "g-ny", "role": "", "unit": ""}
    )
    assert response.status_code == 400
    assert "Välj en roll, en enhet eller båda." in response.content.decode()

    response = client.post(
        reverse("sso_mapping_add"), {"idp_group": "g-ny", "role": Role.REGISTRAR, "unit": ""}
    )
    assert response.status_code == 302
    mapping = GroupMapping.objects.get(idp_group="g-ny")
    assert mapping.history.first().history_user == info_officer

    client.post(reverse("sso_mapping_remove", args=[mapping.pk]))
    assert not GroupMapping.objects.filter(idp_group="g-ny").exists()
    assert GroupMapping.history.filter(idp_group="g-ny", history_type="-").exists()


def test_only_the_information_officer_may_change_mappings(staff, mapped):
    with pytest.raises(ServiceError):
        mapping_save(actor=staff, idp_group="x", role=Role.STAFF, unit=None, mapping=None)


def test_the_refusal_page_names_whom_to_ask(info_officer):
    client = Client()
    session = client.session
    session["sso_refusal"] = "no_group"
    session.save()
    response = client.get(reverse("sso_refused"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Du har ingen åtkomst" in body
    assert str(info_officer) in body


def test_refused_sign_ons_never_lock_the_shared_address(settings):
    """Five refused sign-ons from one address (the town hall's NAT) must not
    lock the identity provider's callback for everyone: it has no password."""
    from axes.models import AccessAttempt

    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "c", "s"
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        session = client.session
        session["oidc_states"] = {"st": {"nonce": "n", "code_verifier": None, "added_on": 0}}
        session.save()
        response = client.get(reverse("oidc_callback"), {"code": "x", "state": "st"})
        assert response.status_code == 302
        assert response["Location"] == reverse("sso_refused")
    assert not AccessAttempt.objects.exists()
