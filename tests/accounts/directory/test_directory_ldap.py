"""The staff directory read from on-premise Active Directory over LDAP, through
ldap3's mock strategy: a paged search, a disabled account, an end date ahead,
groups from memberOf and managers by DN."""

import datetime

import pytest
from django.utils import timezone
from ldap3 import MOCK_SYNC, Connection, Server

from accounts.directory.ldap_source import LdapSource, end_date_of
from accounts.directory.models import DirectoryRun
from accounts.directory.services import SYSTEM_USERNAME, directory_sync
from accounts.models import ExternalIdentity, GroupMapping, User
from accounts.roles import Role, ensure_role_groups

pytestmark = pytest.mark.django_db

BASE = "OU=Personal,DC=nora,DC=se"
BIND_DN = "CN=svc-nora-social,OU=Tjanstekonton,DC=nora,DC=se"
MANAGERS = "CN=Nora-Chefer,OU=Grupper,DC=nora,DC=se"
STAFF = "CN=Nora-Medarbetare,OU=Grupper,DC=nora,DC=se"
EPOCH = datetime.datetime(1601, 1, 1, tzinfo=datetime.UTC)


def filetime(moment: datetime.datetime) -> str:
    return str(int((moment - EPOCH).total_seconds()) * 10_000_000)


def guid(n: int) -> str:
    return f"{n:08d}-0000-4000-8000-{n:012d}"


@pytest.fixture
def ldap_settings(settings):
    settings.DIRECTORY_SOURCE = "ldap"
    settings.DIRECTORY_IDENTITY_PROVIDER = "saml"
    settings.DIRECTORY_LDAP_BASE_DN = BASE
    settings.DIRECTORY_LDAP_USER_FILTER = "(&(objectCategory=person)(objectClass=user))"
    settings.DIRECTORY_LDAP_ID_ATTRIBUTE = "objectGUID"
    settings.DIRECTORY_LDAP_ID_FORMAT = "text"
    settings.DIRECTORY_LDAP_PAGE_SIZE = 3
    return settings


def person(
    n, given, sn, *, groups=(), manager=None, uac=512, expires="0", department="Kommunikation"
):
    attributes = {
        "objectClass": ["top", "person", "organizationalPerson", "user"],
        "objectCategory": "person",
        "objectGUID": "{" + guid(n).upper() + "}",
        "givenName": given,
        "sn": sn,
        "mail": f"{given.lower()}.{sn.lower()}@nora.se",
        "department": department,
        "userAccountControl": str(uac),
        "accountExpires": expires,
        "memberOf": list(groups),
    }
    if manager:
        attributes["manager"] = manager
    return f"CN={given} {sn},{BASE}", attributes


@pytest.fixture
def directory(ldap_settings, org, staff, colleague, outsider):
    """AD with eight people under the base DN (three pages of three); four of
    them have signed on through ADFS with their objectGUID as NameID."""
    connection = Connection(
        Server("dc01.nora.se"), user=BIND_DN, password="bind-secret", client_strategy=MOCK_SYNC
    )
    connection.strategy.add_entry(BIND_DN, {"objectClass": "user", "userPassword": "bind-secret"})
    carl_dn, carl = person(1, "Carl", "Chef", groups=[MANAGERS])
    entries = [
        (carl_dn, carl),
        person(2, "Maja", "Medarbetare", groups=[STAFF, MANAGERS], manager=carl_dn),
        person(3, "Kalle", "Kollega", groups=[STAFF], manager=carl_dn, uac=514),
        person(
            4,
            "Olle",
            "Utomstående",
            groups=[STAFF],
            department="Skolan",
            expires=filetime(datetime.datetime(2026, 12, 30, 23, 0, tzinfo=datetime.UTC)),
        ),
        *(person(10 + n, f"Person{n}", "Okänd", groups=[STAFF]) for n in range(4)),
    ]
    for dn, attributes in entries:
        connection.strategy.add_entry(dn, attributes)
    ensure_role_groups()
    known = {1: org["manager"], 2: staff, 3: colleague, 4: outsider}
    for n, user in known.items():
        ExternalIdentity.objects.create(provider="saml", subject=guid(n), user=user)
    # ADFS sends the group's name (its CN); a mapping may also name the DN.
    GroupMapping.objects.create(idp_group="Nora-Medarbetare", role=Role.STAFF)
    GroupMapping.objects.create(idp_group=MANAGERS, role=Role.MANAGER)
    return connection, known


def test_the_paged_search_reads_everyone_and_applies_groups_leavers_and_end_dates(directory):
    connection, known = directory
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connection.extend.standard, "paged_search", _counting(connection))
        run = directory_sync(source=LdapSource(connection=connection))
    assert run.status == DirectoryRun.Status.OK, run.error
    assert run.people_read == 8 and run.matched == 4
    assert _pages == [3]  # the search asked for pages of three
    maja, kalle, olle = (User.objects.get(pk=known[n].pk) for n in (2, 3, 4))
    assert set(maja.groups.values_list("name", flat=True)) == {Role.STAFF, Role.MANAGER}
    # Disabled in AD (userAccountControl 514): gone today.
    assert not kalle.is_active and kalle.left_on == timezone.localdate()
    # accountExpires at midnight between the 30th and 31st (Stockholm): leaves the 31st.
    assert olle.is_active and olle.left_on == datetime.date(2026, 12, 31)
    assert run.left == 1 and run.scheduled == 1
    assert kalle.history.filter(history_user__username=SYSTEM_USERNAME, is_active=False).exists()


_pages: list[int] = []


def _counting(connection):
    original = connection.extend.standard.paged_search

    def paged_search(*args, **kwargs):
        _pages.append(kwargs["paged_size"])
        return original(*args, **kwargs)

    _pages.clear()
    return paged_search


def test_a_wrong_bind_password_is_reported_and_changes_nothing(directory):
    connection, known = directory
    # A mock server of its own, where the bind account does not exist.
    wrong = Connection(
        Server("dc01.nora.se"), user=BIND_DN, password="wrong", client_strategy=MOCK_SYNC
    )
    run = directory_sync(source=LdapSource(connection=wrong))
    assert run.status == DirectoryRun.Status.FAILED
    assert "bindkonto" in run.error and "wrong" not in run.error
    assert User.objects.get(pk=known[3].pk).is_active


def test_never_and_zero_mean_no_end_date():
    for raw in ("0", "9223372036854775807"):
        assert end_date_of({"raw_attributes": {"accountExpires": [raw.encode()]}}) is None
