"""The registrar's search: free text over subject, parties and linked content,
filters, sorting, 25 a page, CSV. Word forms and the search syntax are in
test_search_contract.py."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.models import Direction
from archive.register import services
from archive.register.selectors import SearchParams, search_documents
from tests.archive.conftest import only_postgres, register, removed_comment

pytestmark = pytest.mark.django_db
URL = reverse("archive:search")


def _refs(params):
    return [d.reference for d in search_documents(params)]


@only_postgres
def test_postgres_uses_the_hunspell_configuration():
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('nora_swedish', 'kommentarerna frågan')::text")
        assert cursor.fetchone()[0] == "'fråga':2 'kommentar':1"


def test_text_is_found_in_subject_party_and_linked_content(account, staff, registrar):
    by_subject = register(registrar, account, subject="Begäran om allmän handling", party="")
    by_party = register(registrar, account, subject="Synpunkt", party="Örjan Åkesson")
    action = removed_comment(account, staff, text="Ni är värdelösa på ÄLGJAKT")
    by_content = services.register_record(record=action, actor=registrar)
    assert _refs(SearchParams(text="allmän")) == [by_subject.reference]
    assert _refs(SearchParams(text="åkesson")) == [by_party.reference]
    assert _refs(SearchParams(text="älgjakt")) == [by_content.reference]
    assert _refs(SearchParams(text="ÖRJAN")) == [by_party.reference]


def test_filters_narrow_the_result(account, other_account, registrar, org):
    old = register(registrar, account, document_date=datetime.date(2025, 3, 1))
    drawn = register(registrar, account, direction=Direction.DRAWN_UP, party="")
    secret = register(registrar, account, secrecy_provision="OSL 21 kap. 7 §")
    other = register(registrar, other_account)
    ks = org["administration"]
    assert other.reference not in _refs(SearchParams(administration=ks))
    assert _refs(SearchParams(account=other_account)) == [other.reference]
    assert _refs(SearchParams(date_to=datetime.date(2025, 12, 31))) == [old.reference]
    assert old.reference not in _refs(SearchParams(date_from=datetime.date(2026, 1, 1)))
    assert _refs(SearchParams(direction=Direction.DRAWN_UP)) == [drawn.reference]
    assert _refs(SearchParams(secrecy="secret")) == [secret.reference]
    assert secret.reference not in _refs(SearchParams(secrecy="open"))


def test_newest_first_by_default(account, registrar):
    older = register(registrar, account, document_date=datetime.date(2026, 1, 1))
    newer = register(registrar, account, document_date=datetime.date(2026, 2, 1))
    assert _refs(SearchParams()) == [newer.reference, older.reference]


def test_search_page_shows_25_a_page(client_for, account, registrar):
    for i in range(27):
        register(registrar, account, subject=f"Handling nummer {i}")
    client = client_for(registrar)
    first = client.get(URL)
    assert first.status_code == 200
    assert len(first.context["page"].object_list) == 25
    second = client.get(URL, {"page": 2})
    assert len(second.context["page"].object_list) == 2


def test_search_page_query_count_does_not_grow_with_results(client_for, account, registrar, staff):
    for i in range(2):
        register(registrar, account, subject=f"Handling {i}", handling_officer=staff)
    client = client_for(registrar)
    client.get(URL, {"q": "handling"})
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, {"q": "handling"}).status_code == 200
    for i in range(20):
        register(registrar, account, subject=f"Handling fler {i}", handling_officer=staff)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, {"q": "handling"})
    assert response.context["page"].paginator.count == 22
    assert len(many) == len(few)


def test_bad_dates_are_a_message_not_a_500(client_for, registrar):
    response = client_for(registrar).get(URL, {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert response.status_code == 400
    assert "Slutdatumet ligger före startdatumet." in response.content.decode()
    response = client_for(registrar).get(URL, {"date_from": "inte ett datum"})
    assert response.status_code == 400


def test_csv_export_has_the_filtered_result_with_parties(client_for, account, registrar):
    register(registrar, account, subject="Synpunkt på parkering", party="=Erik Exempelsson")
    register(registrar, account, subject="Något annat")
    response = client_for(registrar).get(reverse("archive:search_export"), {"q": "parkering"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][5] == "Synpunkt på parkering"
    # A cell starting with "=" would run as a formula in a spreadsheet.
    assert rows[1][4] == "'=Erik Exempelsson"
