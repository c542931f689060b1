"""Case references per series and year, document numbers per case, one
collective case per account and year; no gaps or duplicates under load."""

import datetime
import threading

import pytest
from django.db import close_old_connections

from archive.models import Case, CaseCounter, Document
from archive.register import services
from tests.archive.conftest import entry, only_postgres, register


@pytest.mark.django_db
def test_cases_are_numbered_per_series_and_year(org, registrar):
    ks = org["administration"]
    bun = org["other_unit"].administration
    first = services.case_open(administration=ks, title="Sociala medier", actor=registrar)
    second = services.case_open(administration=ks, title="Policy", actor=registrar)
    other = services.case_open(administration=bun, title="Skolans konto", actor=registrar)
    last_year = services.case_open(
        administration=ks,
        title="Fjolårets",
        actor=registrar,
        opened_on=datetime.date(2025, 12, 30),
    )
    year = first.year
    assert first.reference == f"KS {year}/1"
    assert second.reference == f"KS {year}/2"
    assert other.reference == f"BUN {year}/1"
    assert last_year.reference == "KS 2025/1"


@pytest.mark.django_db
def test_documents_are_numbered_within_their_case(account, registrar):
    first = register(registrar, account)
    second = register(registrar, account, subject="Fråga om öppettider")
    assert first.case == second.case
    assert first.reference.endswith("/1-1")
    assert second.reference == f"{first.case.reference}-2"


@pytest.mark.django_db
def test_one_collective_case_per_account_and_year(account, other_account, registrar):
    year = 2026
    case = services.collective_case_for(account=account, year=year, actor=registrar)
    again = services.collective_case_for(account=account, year=year, actor=registrar)
    other = services.collective_case_for(account=other_account, year=year, actor=registrar)
    next_year = services.collective_case_for(account=account, year=year + 1, actor=registrar)
    assert case == again
    assert case.is_collective and case.account == account
    assert other.series == "BUN" and case.series == "KS"
    assert next_year != case and next_year.year == year + 1
    assert Case.objects.filter(account=account, is_collective=True).count() == 2
    assert "Nora kommun" in case.title


@pytest.mark.django_db
def test_a_refused_registration_uses_no_number(account, registrar):
    register(registrar, account)
    with pytest.raises(services.ArchiveError):
        register(registrar, account, subject="")
    third = register(registrar, account, subject="Nästa handling")
    assert third.number == 2


def _in_threads(count: int, work) -> list:
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait(timeout=30)
            results.append(work(i))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


@only_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_registrations_get_numbers_one_to_twenty(account, registrar):
    _in_threads(
        20,
        lambda i: register(registrar, account, subject=f"Samtidig handling {i}").pk,
    )
    numbers = sorted(Document.objects.filter(account=account).values_list("number", flat=True))
    assert numbers == list(range(1, 21))
    # The first registrations raced to open the collective case: only one exists.
    assert Case.objects.filter(account=account, is_collective=True).count() == 1


@only_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_cases_get_numbers_one_to_twenty(org, registrar):
    administration = org["administration"]
    _in_threads(
        20,
        lambda i: (
            services.case_open(
                administration=administration, title=f"Ärende {i}", actor=registrar
            ).pk
        ),
    )
    numbers = sorted(Case.objects.filter(series="KS").values_list("number", flat=True))
    assert numbers == list(range(1, 21))
    assert CaseCounter.objects.get(series="KS").last_number == 20


def test_entry_helper_defaults_are_valid():
    assert entry().subject
