"""The public part of the register shows reference, date, direction and the
subject, or "Sekretess enligt <provision>"; nothing masked or personal."""

import pytest
from django.urls import reverse

from archive.register import services
from tests.archive.conftest import register, removed_comment

pytestmark = pytest.mark.django_db
URL = reverse("archive:public_register")


@pytest.fixture
def entries(account, staff, registrar):
    plain = register(
        registrar,
        account,
        subject="Synpunkt på öppettider",
        party="Erik Exempelsson",
        handling_officer=staff,
    )
    secret_action = removed_comment(
        account,
        staff,
        text="Mitt personnummer är 19121212-1212 och min diagnos är hemlig",
        author="Greta Granskare",
        provision="OSL 26 kap. 1 §",
    )
    secret = services.register_record(record=secret_action, actor=registrar)
    shown = register(
        registrar,
        account,
        subject="Begäran om utlämnande av handling",
        party="Sven Sekretessdal",
        secrecy_provision="OSL 21 kap. 7 §",
        subject_masked=False,
    )
    return {"plain": plain, "secret": secret, "shown": shown, "action": secret_action}


def test_anonymous_sees_reference_date_direction_and_subject(client, entries):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    plain = entries["plain"]
    assert plain.reference in page
    assert plain.document_date.isoformat() in page
    assert "Inkommen" in page
    assert "Synpunkt på öppettider" in page


def test_secret_entry_shows_only_its_provision(client, entries):
    page = client.get(URL).content.decode()
    secret = entries["secret"]
    assert secret.reference in page
    assert "Sekretess enligt OSL 26 kap. 1 §" in page
    assert secret.subject not in page
    # Marked "subject does not reveal": shown with its subject.
    assert "Begäran om utlämnande av handling" in page


def test_no_masked_or_personal_value_reaches_the_public_page(client, entries, staff):
    action = entries["action"]
    page = client.get(URL).content.decode()
    page += client.get(URL, {"year": entries["plain"].registered_on.year}).content.decode()
    for secret in (
        "Erik Exempelsson",
        "Greta Granskare",
        "Sven Sekretessdal",
        "19121212-1212",
        "diagnos",
        action.content_text,
        action.reason,
        staff.get_full_name(),
        staff.username,
        entries["secret"].subject,
    ):
        assert secret not in page, secret


def test_public_page_has_no_export_and_no_free_text_search(client, entries):
    page = client.get(URL).content.decode()
    assert reverse("archive:search_export") not in page
    assert 'name="q"' not in page
    response = client.get(URL, {"q": "Exempelsson"})
    assert entries["plain"].reference in response.content.decode()  # q is ignored


def test_public_filter_by_administration(client, entries, other_account, registrar, org):
    other = register(registrar, other_account, subject="Skolans konto")
    response = client.get(URL, {"administration": org["administration"].pk})
    page = response.content.decode()
    assert entries["plain"].reference in page
    assert other.reference not in page


def test_bad_public_filter_is_a_message_not_a_500(client, entries):
    response = client.get(URL, {"year": "tjugo"})
    assert response.status_code == 400
