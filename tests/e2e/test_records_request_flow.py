"""Issue 15, done when: an anonymous citizen requests a moderation record from
the public register; the registrar assesses it as partly secret, masks a name
and hands it out by link; the downloaded PDF passes the PDF/A check and does
not contain the masked name; the citizen asks for a decision; the decision PDF
has the appeal instructions and is in the diarium. Every page passes axe and
the 320 px reflow check. (The clock and its finding across a weekend and
Swedish holidays: tests/archive/requests/test_clock.py, with time-machine.)"""

import re
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType

from archive.models import Document
from archive.register import services as register
from archive.requests.models import Decision, RecordsRequest
from nora_social.core.pdf import check_pdfa
from tests.archive.conftest import removed_comment
from tests.archive.requests.conftest import NAME, make_delegate, pdf_text
from tests.e2e.flows import click, label, switch_user
from tests.moderation.conftest import make_account

pytestmark = pytest.mark.django_db(transaction=True)
PROVISION = "OSL 21 kap. 7 §"


@pytest.fixture
def comment(org, platform, staff, colleague, registrar):
    make_delegate(org)
    account = make_account(
        org["unit"], platform, owner=staff, deputy=colleague, display_name="Nora kommun"
    )
    record = removed_comment(
        account, staff, text=f"Jag heter {NAME} och tycker illa om er.", author=NAME
    )
    return register.register_record(record=record, actor=registrar)


def test_citizen_requests_a_record_and_gets_it_masked_with_a_decision(
    live_server, page, login, axe_check, comment, tmp_path
):
    base = live_server.url

    # The citizen, anonymous, from the public register.
    page.goto(f"{base}/offentligt-diarium/")
    axe_check(page)
    click(page, "link", f"Begär ut handlingen {comment.reference}")
    assert label(page, "Diarienummer").input_value() == comment.reference
    axe_check(page)
    click(page, "button", "Skicka begäran")
    assert page.get_by_text("Tack! Vi har tagit emot din begäran.").is_visible()
    tracking_url = page.locator("#tracking-link").input_value()
    assert "/begaran/folj/" in tracking_url
    axe_check(page)
    request = RecordsRequest.objects.get()

    # The registrar takes it from the queue, assesses it and masks the name.
    login(page, "registrator")
    page.goto(f"{base}/diariet/begaran/")
    axe_check(page)
    click(page, "link", f"Ny begäran {request.pk}")
    click(page, "button", "Registrera och ta ärendet")
    request.refresh_from_db()
    assert page.get_by_text("Begäran är registrerad i diariet och tilldelad dig.").is_visible()
    axe_check(page)
    page.get_by_label("Delvis sekretess", exact=True).check()
    label(page, "Bestämmelse i OSL").fill(PROVISION)
    click(page, "button", "Spara prövningen")
    assert page.get_by_text("Prövningen är sparad.").is_visible()
    page.get_by_role("link", name=re.compile("^Maskera")).click()
    page.wait_for_load_state()
    assert NAME in page.locator("dl.facts").inner_text()
    axe_check(page)
    label(page, "Text att maskera").fill(NAME)
    label(page, "Bestämmelse").fill(PROVISION)
    click(page, "button", "Maskera texten")
    assert NAME not in page.locator("dl.facts").inner_text()
    assert "maskerat, OSL 21 kap. 7 §" in page.locator("dl.facts").inner_text()
    assert page.get_by_role("cell", name=f'Texten "{NAME}"').is_visible()
    axe_check(page)
    click(page, "link", "Tillbaka till begäran")
    click(page, "button", "Lämna ut")
    assert page.get_by_text("Beslutet om utlämnande är registrerat.").is_visible()
    axe_check(page)

    # The citizen fetches the copy by the link: PDF/A, and the name is gone.
    page.context.clear_cookies()
    page.goto(tracking_url)
    axe_check(page)
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("^Hämta handlingarna")).click()
    data = Path(info.value.path()).read_bytes()
    assert check_pdfa(data).passed
    text = pdf_text(data)
    assert "tycker illa om er" in text and "Greta" not in text and "Granskare" not in text
    click(page, "button", "Begär ett skriftligt beslut")
    assert page.get_by_text("Vi har tagit emot din begäran om ett skriftligt beslut.").is_visible()
    axe_check(page)

    # The registrar drafts the decision in the delegate's name; it is registered.
    switch_user(page, login, "registrator")
    page.goto(f"{base}/diariet/begaran/{request.pk}/")
    label(page, "Beslutsfattare (delegat)").select_option(label="Dag Delegat (Kanslichef)")
    label(page, "Skäl för beslutet").fill("Namnet är en personuppgift som omfattas av sekretess.")
    axe_check(page)
    click(page, "button", "Fatta och registrera beslutet")
    assert page.get_by_text("Beslutet är fattat och registrerat i diariet.").is_visible()
    axe_check(page)
    decision = Decision.objects.get(request=request)
    entry = Document.objects.get(
        record_type=ContentType.objects.get_for_model(Decision), record_id=decision.pk
    )
    assert entry.case == request.case and entry.direction == "drawn_up"

    # The citizen gets the decision, with the appeal instructions.
    page.context.clear_cookies()
    page.goto(tracking_url)
    axe_check(page)
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("^Hämta beslutet")).click()
    decision_pdf = Path(info.value.path()).read_bytes()
    assert check_pdfa(decision_pdf).passed
    decision_text = " ".join(pdf_text(decision_pdf).split())
    assert "kammarrätten" in decision_text and "inom tre veckor" in decision_text
    assert request.case.reference in decision_text
