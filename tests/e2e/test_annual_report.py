"""The information officer makes the yearly report for the current year from the
demo data in the browser: start it, wait for the worker, download the PDF/A and
the spreadsheet. The page passes axe and reflows at 320 px."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from nora_social.core.pdf import check_pdfa
from tests.celery_support import running_worker

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "demo"  # noqa: S105 - seed_demo's documented password  # nosec B105


@pytest.fixture
def worker(redis_url):
    with running_worker(redis_url, "nora-test-report") as w:
        yield w


def test_the_yearly_report_for_this_year_from_the_demo_data(
    live_server, migration_data, worker, page, axe_check, login
):
    with override_settings(DEBUG=True):  # seed_demo refuses to run in production
        call_command("seed_demo", stdout=io.StringIO())
    login(page, "kommunchef", DEMO_PASSWORD)
    page.get_by_role("link", name="Årsrapport").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Årsrapport om sociala medier"
    year = timezone.localdate().year
    assert page.get_by_label("Periodens första dag").input_value() == f"{year}-01-01"
    axe_check(page)

    page.get_by_role("button", name="Ta fram rapporten").click()
    page.wait_for_load_state()
    assert page.get_by_text("Rapporten tas fram.").count() == 1
    axe_check(page)  # the progress bar, labelled
    pdf_link = page.get_by_role("link", name="Ladda ned PDF/A")
    for _ in range(120):
        if pdf_link.count():
            break
        page.wait_for_timeout(1000)
        page.get_by_role("link", name="Uppdatera status").click()
        page.wait_for_load_state()
    assert pdf_link.count() == 1
    assert page.get_by_text(re.compile(r"Registrerad i diariet som \w+ \d{4}/\d+-\d+")).count() == 1
    axe_check(page)

    with page.expect_download() as pdf_download:
        pdf_link.click()
    data = pdf_download.value.path().read_bytes()
    check = check_pdfa(data)
    assert check.passed and check.violations == (), check.summary()
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Ladda ned kalkylblad (XLSX)").click()
    # A download's path has no extension, which openpyxl insists on: read the bytes.
    book = load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes()))
    assert "revision" in book.sheetnames and "kolumner" in book.sheetnames
    accounts = list(book["konton"].iter_rows(values_only=True))
    assert accounts[-1][0] == "Totalt" and accounts[-1][2] > 0
