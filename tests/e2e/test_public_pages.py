"""A citizen reads the public pages and reports an accessibility problem, in
Chromium, with axe on every page visited."""

import pytest

from tests.factories import make_active_account

pytestmark = pytest.mark.django_db(transaction=True)


def test_citizen_reads_public_pages_and_reports_a_problem(
    page, live_server, axe_check, org, mailoutbox, settings
):
    settings.ACCESSIBILITY_CONTACT = "tillganglighet@nora.se"
    make_active_account(unit=org["unit"], display_name="Nora kommun Kommunikation")

    page.goto(f"{live_server.url}/")
    axe_check(page)
    page.get_by_role("link", name="Se kommunens konton i sociala medier").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Nora kommuns konton i sociala medier"
    )
    assert page.get_by_role("link", name="Nora kommun Kommunikation").is_visible()
    axe_check(page)

    for path in ("/konton/embed/", "/personuppgifter/", "/personuppgifter/behandlingar/"):
        page.goto(f"{live_server.url}{path}")
        axe_check(page)

    page.goto(f"{live_server.url}/tillganglighet/")
    axe_check(page)
    page.get_by_role("link", name="Rapportera ett tillgänglighetsproblem").click()
    page.wait_for_load_state()
    axe_check(page)

    page.get_by_role("button", name="Skicka rapporten").click()
    page.wait_for_load_state()
    assert page.get_by_text("Beskriv problemet, så att vi kan åtgärda det.").is_visible()
    axe_check(page)
    assert mailoutbox == []

    page.get_by_label("Vilken sida gäller det?").fill("/konton/")
    page.get_by_label("Beskriv problemet").fill("Tabellen är svår att läsa i mobilen.")
    page.get_by_role("button", name="Skicka rapporten").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Din rapport är skickad"
    axe_check(page)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["tillganglighet@nora.se"]


def test_english_switch_marks_the_page_english(page, live_server, axe_check):
    page.goto(f"{live_server.url}/tillganglighet/")
    page.get_by_role("button", name="In English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="På svenska").is_visible()
