"""Issue 16, import what exists: the information officer downloads the template,
uploads a file of existing accounts with errors, sees every error by its row and
that nothing was saved, uploads the fixed file and confirms it; the worker reads
it in in one step while the run's page shows the progress, then what was created
with links. Every page visited passes axe (WCAG 2.1 AA) and reflows at 320 px."""

import datetime
import re

import pytest
from django.utils import timezone

from channels_registry.models import AccountMember, SocialAccount
from tests.celery_support import running_worker
from tests.channels_registry.import_support import (
    as_csv,
    as_xlsx,
    broken_rows,
    import_world,
    sound_rows,
)
from tests.e2e.flows import click, label
from tests.factories import SocialAccountFactory, UserFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(redis_url):
    with running_worker(redis_url, "nora-test-account-import-e2e") as w:
        yield w


def test_information_officer_reads_in_existing_accounts(
    live_server, page, login, axe_check, org, info_officer, platform, blocklist, worker
):
    world = import_world(org)
    UserFactory(username="leaver", left_on=timezone.localdate() - datetime.timedelta(days=1))
    taken = SocialAccountFactory(platform=platform, handle="norakommunredanhar", unit=org["unit"])
    base = live_server.url
    login(page, "kommunchef")

    page.goto(f"{base}/register/konton/")
    click(page, "link", "Läs in konton från ett kalkylark")
    assert page.get_by_role("heading", level=1).inner_text() == "Läs in konton som redan finns"
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner mallen (XLSX) med kolumnerna förklarade").click()
    assert download.value.suggested_filename == "konton-mall.xlsx"

    rows, expected = broken_rows(world, taken.handle)
    label(page, "Fil (XLSX eller CSV)").set_input_files(
        {"name": "konton.csv", "mimeType": "text/csv", "buffer": as_csv(rows, "cp1252")}
    )
    click(page, "button", "Förhandsgranska")
    alert = page.get_by_role("alert").first
    assert "Rätta filen och ladda upp den igen; inget har sparats." in alert.inner_text()
    body = page.locator("main").inner_text()
    for line, message in expected:
        assert f"Rad {line}: " in body and message in body, (line, message)
    assert page.get_by_role("button", name="Läs in alla").count() == 0
    axe_check(page)
    assert SocialAccount.objects.count() == 1

    label(page, "Fil (XLSX eller CSV)").set_input_files(
        {
            "name": "konton.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": as_xlsx(sound_rows(world, 60)),
        }
    )
    click(page, "button", "Förhandsgranska")
    assert page.get_by_role("alert").count() == 0
    axe_check(page)
    click(page, "button", "Läs in alla 60 konton")
    assert re.search(r"/register/konton/inlasning/\d+/$", page.url), page.url
    assert "Inläsningen har startat." in page.locator("main").inner_text()
    axe_check(page)  # waiting or running: the labelled progress bar
    done = page.get_by_text("Klar: 60 konton är inlästa")
    for _ in range(240):
        if done.count():
            break
        page.wait_for_timeout(1000)
        page.get_by_role("link", name="Uppdatera").click()
        page.wait_for_load_state()
    assert done.count() == 1
    axe_check(page)
    imported = SocialAccount.objects.filter(is_pre_existing=True)
    assert imported.count() == 60
    assert AccountMember.objects.filter(account__in=imported, role="deputy").count() == 60
    first = imported.order_by("pk").first()
    page.get_by_role("link", name=first.display_name, exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/register/konton/{first.pk}/")
