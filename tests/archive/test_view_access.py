"""Who may use which page of the register: anonymous to the login, a page the
role may never use 403, a document the person may not see 404."""

import pytest
from django.urls import reverse

from archive.models import Document
from tests.archive.conftest import register, removed_comment

pytestmark = pytest.mark.django_db

REGISTRAR_PAGES = ["archive:search", "archive:search_export", "archive:register", "archive:pending"]


@pytest.fixture
def document(account, registrar):
    return register(registrar, account, subject="Synpunkt på parkering")


@pytest.mark.parametrize(
    "name", REGISTRAR_PAGES + ["archive:media_register", "archive:media_register_csv"]
)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_anonymous_is_sent_to_login_from_a_document(client, document):
    response = client.get(reverse("archive:document_detail", args=[document.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize("name", REGISTRAR_PAGES)
def test_staff_may_not_use_the_registrars_pages(client_for, staff, name):
    assert client_for(staff).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", REGISTRAR_PAGES)
def test_registrar_and_information_officer_use_them(client_for, registrar, info_officer, name):
    assert client_for(registrar).get(reverse(name)).status_code == 200
    assert client_for(info_officer).get(reverse(name)).status_code == 200


def test_staff_on_the_account_see_its_document(client_for, staff, document):
    response = client_for(staff).get(reverse("archive:document_detail", args=[document.pk]))
    assert response.status_code == 200
    assert "Synpunkt på parkering" in response.content.decode()


def test_outsider_gets_404_for_a_document_and_a_missing_one(client_for, outsider, document):
    client = client_for(outsider)
    assert client.get(reverse("archive:document_detail", args=[document.pk])).status_code == 404
    assert client.get(reverse("archive:document_detail", args=[999999])).status_code == 404


def test_account_documents_for_staff_and_404_for_outsider(
    client_for, staff, outsider, account, document
):
    url = reverse("archive:account_documents", args=[account.pk])
    response = client_for(staff).get(url)
    assert response.status_code == 200
    assert document.reference in response.content.decode()
    assert client_for(outsider).get(url).status_code == 404


def test_registrar_registers_through_the_form(client_for, registrar, account, staff):
    response = client_for(registrar).post(
        reverse("archive:register"),
        {
            "account": account.pk,
            "direction": "received",
            "document_date": "2026-01-15",
            "party": "Länsstyrelsen",
            "subject": "Tillsyn av kommunens konton",
            "secrecy_provision": "",
            "handling_officer": staff.pk,
        },
    )
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("archive:document_detail", args=[document.pk])
    assert document.registered_by == registrar


def test_a_bad_form_shows_the_reason_by_its_field_and_saves_nothing(client_for, registrar, account):
    response = client_for(registrar).post(
        reverse("archive:register"),
        {
            "account": account.pk,
            "direction": "received",
            "document_date": "2026-01-15",
            "party": "Erik Exempelsson",
            "subject": "Klagomål från Erik Exempelsson",
            "secrecy_provision": "hemligt",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_subject_error"' in page
    assert 'id="id_secrecy_provision_error"' in page
    assert not Document.objects.exists()


def test_pending_lists_marked_records_and_registers_them(client_for, registrar, account, staff):
    action = removed_comment(account, staff, text="Hemlig uppgift", provision="OSL 26 kap. 1 §")
    client = client_for(registrar)
    page = client.get(reverse("archive:pending"))
    assert str(action) in page.content.decode()
    from django.contrib.contenttypes.models import ContentType

    record_type = ContentType.objects.get_for_model(action).pk
    response = client.post(
        reverse("archive:pending"),
        {"record_type": record_type, "record_id": action.pk, "action": "register"},
    )
    document = Document.objects.get()
    assert response.status_code == 302
    assert document.record == action
    assert str(action) not in client.get(reverse("archive:pending")).content.decode()


def test_pending_with_a_made_up_record_is_404(client_for, registrar):
    response = client_for(registrar).post(
        reverse("archive:pending"), {"record_type": "999999", "record_id": "1"}
    )
    assert response.status_code == 404
