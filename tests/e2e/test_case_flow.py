"""The registrar's cases in a browser: open a case in a series, file a letter
from outside with its file and a secrecy provision from the list, link a
related case, close and reopen it with a reason; the public register shows the
cases with the secret parts withheld. Every page passes axe and the 320 px
reflow check."""

import io

import pikepdf
import pytest

from archive.models import Case, Document
from archive.register import cases
from tests.e2e.flows import click, label

pytestmark = pytest.mark.django_db(transaction=True)


def _pdf(tmp_path):
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    path = tmp_path / "brev.pdf"
    path.write_bytes(out.getvalue())
    return path


def test_registrar_opens_files_links_closes_and_the_public_sees_the_case(
    live_server, migration_data, page, login, axe_check, org, registrar, tmp_path
):
    base = live_server.url
    year_case = cases.open_case(
        actor=registrar, administration=org["administration"], title="Polisanmälan, uppföljning"
    )
    login(page, "registrator")
    page.goto(f"{base}/diariet/arenden/")
    axe_check(page)
    click(page, "link", "Öppna ett ärende")
    axe_check(page)
    label(page, "Diarieserie").select_option(label="KS: Kommunstyrelseförvaltningen")
    label(page, "Ärendemening").fill("Klagomål på ett inlägg")
    click(page, "button", "Öppna ärendet")
    case = Case.objects.get(title="Klagomål på ett inlägg")
    assert page.get_by_text(f"Ärendet {case.reference} är öppnat.").is_visible()
    axe_check(page)

    page.get_by_text("Registrera en handling i ärendet", exact=True).click()
    label(page, "Riktning").select_option(label="Inkommen")
    label(page, "Avsändare eller mottagare").fill("Erik Exempelsson")
    label(page, "Ärendemening").fill("Klagomål med uppgifter om hälsa")
    label(page, "Sekretess").select_option(value="OSL 26 kap. 1 §")
    label(page, "Fil").set_input_files(str(_pdf(tmp_path)))
    axe_check(page)
    click(page, "button", "Registrera")
    document = Document.objects.get(case=case)
    assert page.get_by_text(f"Handlingen är registrerad som {document.reference}.").is_visible()
    assert document.file and document.secrecy_provision == "OSL 26 kap. 1 §"

    page.get_by_text("Länka ett relaterat ärende", exact=True).click()
    label(page, "Diarienummer för det relaterade ärendet").fill(year_case.reference)
    click(page, "button", "Länka")
    assert page.get_by_text("Ärendena är länkade.").is_visible()
    click(page, "button", "Avsluta ärendet")
    assert page.get_by_text("Ärendet är avslutat.").is_visible()
    axe_check(page)
    page.get_by_text("Öppna ärendet igen", exact=True).click()
    label(page, "Skäl att öppna ärendet igen").fill("Ny skrivelse")
    click(page, "button", "Öppna igen")
    assert page.get_by_text("Ärendet är öppnat igen.").is_visible()
    axe_check(page)
    page.goto(f"{base}/diariet/arende/{year_case.pk}/")
    assert page.get_by_role("link", name=case.reference).is_visible()

    page.context.clear_cookies()
    page.goto(f"{base}/offentligt-diarium/")
    click(page, "link", "Visa ärendena")
    axe_check(page)
    click(page, "link", case.reference)
    axe_check(page)
    body = page.locator("main").inner_text()
    assert "Sekretess enligt OSL 26 kap. 1 §" in body
    assert "hälsa" not in body and "Erik" not in body
    assert year_case.reference in body
