"""Issue 12, done when (first half): an account created through a plan (bilaga 1
→ three approvals → escrow → checklist → activation) is published with its link,
on /konton/, in /konton.json and in the embed. The plan asks for the intended
address; the owner registers the real one (a bad one is refused in Swedish);
activation requires it. Every page visited passes axe (WCAG 2.1 AA)."""

import pytest

from channels_registry.models import SocialAccount
from tests.e2e.flows import (
    approve_through_chain,
    click,
    confirm_checklist,
    deposit_business_access,
    fill_plan_details,
    label,
    switch_user,
)
from tests.factories import AcknowledgementFactory, CompetenceFactory

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Nora kommun Evenemang"
HANDLE = "norakommunevenemang"
ADDRESS = f"https://www.facebook.com/{HANDLE}"


@pytest.fixture
def people(org, staff, colleague, info_officer, platform):
    for person in (staff, colleague):
        AcknowledgementFactory(user=person)
        CompetenceFactory(user=person, platform=platform.slug)
    return {"staff": staff, "colleague": colleague, **org, "io": info_officer}


def test_an_account_from_a_plan_is_published_with_its_link(
    live_server, page, login, axe_check, people
):
    base = live_server.url

    # medarbetare writes bilaga 1 with the intended address and submits it.
    switch_user(page, login, "medarbetare")
    page.goto(f"{base}/aktivitetsplaner/ny/")
    label(page, "Plattform").select_option(label="Facebook")
    label(page, "Visningsnamn").fill(NAME)
    label(page, "Användarnamn").fill(HANDLE)
    label(page, "Planerad adress till kontot").fill(ADDRESS)
    label(page, "Syfte").fill("Evenemang och aktiviteter i Nora.")
    fill_plan_details(page, "Maja Medarbetare, Kommunikation", "Kalle Kollega, Kommunikation")
    click(page, "button", "Skicka in för godkännande")
    assert page.get_by_text("Planen är inskickad").is_visible()
    axe_check(page)

    approve_through_chain(page, login, base, NAME, axe_check)
    account = SocialAccount.objects.get(handle=HANDLE)
    assert account.status == SocialAccount.Status.PLANNED
    assert (account.planned_url, account.url) == (ADDRESS, "")
    detail_url = f"{base}/register/konton/{account.pk}/"

    # The owner sees that the real address is missing and registers it.
    switch_user(page, login, "medarbetare")
    page.goto(detail_url)
    click(page, "link", "Aktivera")
    unmet = page.locator("li.unmet").all_inner_texts()
    assert any("Kontots adress saknas" in text for text in unmet), unmet
    axe_check(page)
    click(page, "link", "Registrera kontots adress")
    assert label(page, "Adress till kontot").input_value() == ADDRESS  # from the plan
    axe_check(page)
    label(page, "Adress till kontot").fill(f"http://www.facebook.com/{HANDLE}")
    click(page, "button", "Spara adressen")
    assert page.get_by_text("Adressen måste börja med https://").first.is_visible()
    axe_check(page)
    account.refresh_from_db()
    assert account.url == ""
    label(page, "Adress till kontot").fill(ADDRESS)
    click(page, "button", "Spara adressen")
    assert page.get_by_text("Kontots adress är registrerad.").is_visible()
    axe_check(page)

    # The owner confirms the §4 checklist; the information officer takes the access.
    assert confirm_checklist(page, detail_url, axe_check) == 8
    switch_user(page, login, "kommunchef")
    deposit_business_access(page, detail_url, axe_check, "aterstallning-evenemang-5Kx")

    # Activation: every precondition is met now.
    page.goto(detail_url)
    click(page, "link", "Aktivera")
    assert page.get_by_text("Alla villkor är uppfyllda.").is_visible()
    click(page, "button", "Aktivera kontot")
    assert page.get_by_text("Kontot är aktivt och visas i den publika förteckningen.").is_visible()
    axe_check(page)
    account.refresh_from_db()
    assert (account.status, account.url) == (SocialAccount.Status.ACTIVE, ADDRESS)

    # Anonymously: the account's link on the list, in the JSON and in the embed.
    page.context.clear_cookies()
    page.goto(f"{base}/konton/")
    link = page.get_by_role("link", name=NAME)
    assert link.get_attribute("href") == ADDRESS
    axe_check(page)
    data = page.request.get(f"{base}/konton.json").json()
    listed = [a for g in data["administrations"] for a in g["accounts"]]
    assert [(a["handle"], a["url"]) for a in listed] == [(HANDLE, ADDRESS)]
    page.goto(f"{base}/konton/embed/")
    assert page.get_by_role("link", name=NAME).get_attribute("href") == ADDRESS
    axe_check(page)
