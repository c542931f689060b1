"""The search page counts matches only up to a cap ("Fler än 1000 handlingar"),
and every match is still reachable page by page, in order, past the cap."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.register import search
from archive.register.search import SearchPaginator
from archive.register.selectors import SearchParams, search_documents
from tests.archive.conftest import register

pytestmark = pytest.mark.django_db
URL = reverse("archive:search")


def _dated(registrar, account, n, subject="Synpunkt om badplatsen"):
    return [
        register(
            registrar,
            account,
            subject=f"{subject} {i}",
            document_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("sort", ["date", "relevance"])
def test_pages_past_the_cap_continue_in_order_without_gaps(account, registrar, sort):
    _dated(registrar, account, 12)
    expected = [d.pk for d in search_documents(SearchParams(text="badplatsen", sort=sort))]
    assert len(expected) == 12
    paginator = SearchPaginator(
        search_documents(SearchParams(text="badplatsen", sort=sort)), 4, cap=5
    )
    assert paginator.count_is_exact is False
    seen, number = [], 1
    while True:
        page = paginator.page(number)
        seen.extend(d.pk for d in page.object_list)
        if not page.has_next():
            break
        number = page.next_page_number()
    assert seen == expected
    assert number == 3


def test_an_exact_count_up_to_the_cap(account, registrar):
    _dated(registrar, account, 5)
    paginator = SearchPaginator(search_documents(SearchParams(text="badplatsen")), 2, cap=5)
    assert paginator.count == 5
    assert paginator.count_is_exact
    assert paginator.num_pages == 3
    assert [len(paginator.page(n).object_list) for n in (1, 2, 3)] == [2, 2, 1]
    assert not paginator.page(3).has_next()


def test_search_page_says_more_than_the_cap_and_still_pages(
    client_for, account, registrar, monkeypatch
):
    monkeypatch.setattr(search, "COUNT_CAP", 20)
    documents = _dated(registrar, account, 27)
    client = client_for(registrar)
    first = client.get(URL, {"q": "badplatsen"})
    body = first.content.decode()
    assert "Fler än 20 handlingar" in body
    assert "Sida 1" in body and "Sida 1 av" not in body
    assert [d.pk for d in first.context["page"].object_list] == [d.pk for d in documents[::-1][:25]]
    second = client.get(URL, {"q": "badplatsen", "page": 2})
    assert [d.pk for d in second.context["page"].object_list] == [documents[1].pk, documents[0].pk]
    assert not second.context["page"].has_next()


def test_search_page_with_filters_and_relevance_has_constant_queries(
    client_for, account, registrar, org
):
    query = {"q": "badplatsen", "administration": org["administration"].pk, "sort": "relevance"}
    _dated(registrar, account, 2)
    client = client_for(registrar)
    client.get(URL, query)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, query).status_code == 200
    _dated(registrar, account, 30, subject="Fler synpunkter om badplatsen")
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, query)
    assert response.context["page"].paginator.count == 32
    assert len(response.context["page"].object_list) == 25
    assert len(many) == len(few)


def test_a_page_number_past_any_end_shows_the_last_known_page(account, registrar):
    _dated(registrar, account, 7)
    paginator = SearchPaginator(search_documents(SearchParams(text="badplatsen")), 2, cap=5)
    page = paginator.get_page("99999999999999999999999")
    assert page.number == 3
    assert len(page.object_list) == 2
