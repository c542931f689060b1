"""Issue 16, import what exists: the information officer downloads the template,
uploads a file of existing accounts with errors, sees every error by its row and
that nothing was saved, uploads the fixed file and reads it in in one step.
Every page visited passes axe (WCAG 2.1 AA) and reflows at 320 px."""

import datetime

import pytest
from django.utils import timezone

from channels_registry.models import AccountMember, SocialAccount
from tests.channels_registry.import_support import (
    as_csv,
    as_xlsx,
    broken_rows,
    import_world,
    sound_rows,
)
from tests.e2e.flows import click, label
from tests.factories import SocialAccountFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_information_officer_reads_in_existing_accounts(
    live_server, page, login, axe_check, org, info_officer, platform, blocklist
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
    assert page.url.endswith("/register/konton/")
    assert "60 konton är inlästa" in page.locator("main").inner_text()
    axe_check(page)
    imported = SocialAccount.objects.filter(is_pre_existing=True)
    assert imported.count() == 60
    assert AccountMember.objects.filter(account__in=imported, role="deputy").count() == 60
