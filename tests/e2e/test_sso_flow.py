"""Signing on with the municipality's account through real identity providers
the tests start: the npm package oidc-provider run by node (OpenID Connect with
PKCE) and a pysaml2 IdP (SAML 2.0). The person reaches the app with the role
their group is mapped to; a person in no mapped group gets the page saying
whom to ask; a multi-factor login at the provider counts as step-up."""

import pytest

from accounts.models import ExternalIdentity, GroupMapping, LoginEvent, User
from accounts.roles import Role, ensure_role_groups
from tests.e2e.flows import click
from tests.factories import UnitFactory, UserFactory
from tests.idp import start_oidc_provider

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT_ID = "nora-social-test"
CLIENT_SECRET = "test-only-client-secret-0123456789abcdef"
INFO_GROUP = "7f1c-sociala-medier-informationsansvarig"
STAFF_GROUP = "9a2b-kommunikation"
ACCOUNTS = {
    "anna": {
        "sub": "entra-oid-0001",
        "given_name": "Anna",
        "family_name": "Almqvist",
        "email": "anna.almqvist@nora.se",
        "groups": [INFO_GROUP, STAFF_GROUP, "unmapped-group"],
    },
    "olle": {
        "sub": "entra-oid-0002",
        "given_name": "Olle",
        "family_name": "Okopplad",
        "email": "olle@nora.se",
        "groups": ["unmapped-group"],
    },
}


@pytest.fixture
def oidc(live_server, settings):
    process, issuer = start_oidc_provider(
        redirect_uri=f"{live_server.url}/oidc/callback/",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        accounts=ACCOUNTS,
    )
    settings.OIDC_ISSUER = issuer
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_MFA_AMR_VALUES = ["mfa"]
    yield issuer
    process.stop()


@pytest.fixture
def mappings():
    ensure_role_groups()
    unit = UnitFactory(name="Kommunikation")
    GroupMapping.objects.create(idp_group=INFO_GROUP, role=Role.INFORMATION_OFFICER)
    GroupMapping.objects.create(idp_group=STAFF_GROUP, role=Role.STAFF, unit=unit)
    return unit


def sign_on_at_provider(page, login, *, mfa=False):
    provider = page.url.split("/")[2]
    page.get_by_label("Användar-id").fill(login)
    if mfa:
        page.get_by_label("Med tvåfaktor").check()
    page.get_by_role("button", name="Logga in hos testleverantören").click()
    # Back at the app (the SAML answer is a form the IdP's page posts itself).
    page.wait_for_url(lambda url: url.split("/")[2] != provider)
    page.wait_for_load_state()


def test_oidc_sign_on_gives_the_mapped_role_and_mfa_counts_as_step_up(
    page, live_server, oidc, mappings, axe_check
):
    base = live_server.url
    page.goto(f"{base}/logga-in/")
    axe_check(page)
    click(page, "link", "Logga in med kommunens konto")
    sign_on_at_provider(page, "anna")

    assert page.url.startswith(f"{base}/mina-sidor/")
    anna = User.objects.get(external_identities__subject="entra-oid-0001")
    assert anna.get_full_name() == "Anna Almqvist"
    assert not anna.has_usable_password()
    assert anna.unit == mappings
    assert set(anna.groups.values_list("name", flat=True)) == {
        Role.INFORMATION_OFFICER,
        Role.STAFF,
    }
    first = LoginEvent.objects.get(user=anna)
    assert (first.method, first.amr, first.multi_factor) == ("oidc", "pwd", False)

    # The mapped role reaches the information officer's own page.
    page.goto(f"{base}/installningar/inloggning/")
    assert page.get_by_role("heading", name="Inloggning och behörighet").is_visible()
    axe_check(page)

    # A page behind step-up sends her to log in again at the provider; with
    # two factors that counts as confirming who she is.
    page.goto(f"{base}/mina-sidor/engangskoder/")
    assert "/mina-sidor/bekrafta/" in page.url
    axe_check(page)
    click(page, "link", "Bekräfta med kommunens konto")
    sign_on_at_provider(page, "anna", mfa=True)
    assert page.url == f"{base}/mina-sidor/engangskoder/"
    again = LoginEvent.objects.filter(user=anna).order_by("-at").first()
    assert (again.step_up, again.multi_factor, again.amr) == (True, True, "pwd,mfa")
    assert again.acr == "urn:test:mfa"
    assert ExternalIdentity.objects.filter(user=anna).count() == 1


def test_oidc_sign_on_without_a_mapped_group_gets_no_access(
    page, live_server, oidc, mappings, axe_check
):
    UserFactory(
        username="kommunchef",
        first_name="Kim",
        last_name="Kommunchef",
        roles=[Role.INFORMATION_OFFICER],
    )
    page.goto(f"{live_server.url}/logga-in/")
    click(page, "link", "Logga in med kommunens konto")
    sign_on_at_provider(page, "olle")
    assert "/logga-in/ingen-atkomst/" in page.url
    assert page.get_by_role("heading", name="Du har ingen åtkomst").is_visible()
    assert page.get_by_text("Kim Kommunchef").is_visible()
    axe_check(page)
    assert not User.objects.filter(email="olle@nora.se").exists()
    page.goto(f"{live_server.url}/mina-sidor/")
    assert "/logga-in/" in page.url


SAML_ACCOUNTS = {
    "anna": {**ACCOUNTS["anna"], "subject": "adfs-guid-0001"},
    "olle": {**ACCOUNTS["olle"], "subject": "adfs-guid-0002"},
}


@pytest.fixture
def saml(live_server, settings, tmp_path):
    from tests.idp import make_key_pair, start_saml_idp

    key, cert = make_key_pair(tmp_path, "sp")
    settings.SAML_SP_KEY_FILE, settings.SAML_SP_CERT_FILE = key, cert
    settings.SAML_ENTITY_ID = f"{live_server.url}/saml2/metadata/"
    process, metadata_url = start_saml_idp(
        folder=tmp_path,
        sp_metadata_url=f"{live_server.url}/saml2/metadata/",
        accounts=SAML_ACCOUNTS,
    )
    settings.SAML_IDP_METADATA_URL = metadata_url
    settings.SAML_ENABLED = True
    yield metadata_url
    process.stop()


def test_saml_sign_on_gives_the_mapped_role_and_mfa_counts_as_step_up(
    page, live_server, saml, mappings, axe_check
):
    base = live_server.url
    page.goto(f"{base}/logga-in/")
    click(page, "link", "Logga in med kommunens konto")
    sign_on_at_provider(page, "anna")
    assert page.url.startswith(f"{base}/mina-sidor/"), page.url
    anna = User.objects.get(
        external_identities__provider="saml", external_identities__subject="adfs-guid-0001"
    )
    assert anna.has_role(Role.INFORMATION_OFFICER) and anna.unit == mappings
    first = LoginEvent.objects.get(user=anna)
    assert (first.method, first.multi_factor) == ("saml", False)
    assert first.acr.endswith("PasswordProtectedTransport")

    page.goto(f"{base}/mina-sidor/engangskoder/")
    click(page, "link", "Bekräfta med kommunens konto")
    sign_on_at_provider(page, "anna", mfa=True)
    assert page.url == f"{base}/mina-sidor/engangskoder/"
    again = LoginEvent.objects.filter(user=anna).order_by("-at").first()
    assert (again.step_up, again.multi_factor, again.acr) == (
        True,
        True,
        "https://refeds.org/profile/mfa",
    )

    page.context.clear_cookies()
    page.goto(f"{base}/logga-in/")
    click(page, "link", "Logga in med kommunens konto")
    sign_on_at_provider(page, "olle")
    assert page.get_by_role("heading", name="Du har ingen åtkomst").is_visible()
    axe_check(page)
