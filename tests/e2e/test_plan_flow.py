"""Issue 3, done when: medarbetare drafts and submits, chef rejects with a comment,
medarbetare revises and resubmits, chef, forvaltningschef and kommunchef approve,
the PDF downloads and validates as PDF/A, and the planned account is in the
register. Every page visited passes axe (WCAG 2.1 AA)."""

import re
from pathlib import Path

import pytest

from activity_plans import copies as plan_copies
from activity_plans.models import ActivityPlan
from channels_registry.models import AccountMember, SocialAccount
from nora_social.core.pdf import check_pdfa
from tests.e2e.flows import approve_through_chain, fill_plan_details, label, switch_user
from tests.factories import AcknowledgementFactory, CompetenceFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(org, staff, colleague, info_officer, platform):
    for person in (staff, colleague):
        AcknowledgementFactory(user=person)
        CompetenceFactory(user=person, platform=platform.slug)
    return {"staff": staff, "colleague": colleague, **org, "io": info_officer}


def test_plan_from_draft_to_register(live_server, page, login, axe_check, people):
    base = live_server.url

    # medarbetare drafts, saves, comes back and submits.
    switch_user(page, login, "medarbetare")
    page.goto(f"{base}/aktivitetsplaner/")
    axe_check(page)
    page.get_by_role("link", name="Skriv en ny aktivitetsplan").click()
    page.wait_for_load_state()
    axe_check(page)
    label(page, "Plattform").select_option(label="Facebook")
    label(page, "Visningsnamn").fill("Nora kommun Näringsliv")
    label(page, "Användarnamn").fill("norakommunnaringsliv")
    label(page, "Planerad adress till kontot").fill("https://www.facebook.com/norakommunnaringsliv")
    label(page, "Syfte").fill("Nyheter för företagare i Nora.")
    page.get_by_role("button", name="Spara utkast").click()
    page.wait_for_load_state()
    assert "/andra/" in page.url
    assert label(page, "Visningsnamn").input_value() == "Nora kommun Näringsliv"
    axe_check(page)

    fill_plan_details(page, "Maja Medarbetare, Kommunikation", "Kalle Kollega, Kommunikation")
    # Each choice says whether the person acknowledged the policy (§12) and knows
    # the platform (§9), where they are chosen.
    facts = "– policyn kvitterad (§12); kan Facebook (§9)"
    for field, person in (("Kontoansvarig", "Maja Medarbetare"), ("Ersättare", "Kalle Kollega")):
        chosen = label(page, field).locator("option:checked").inner_text()
        assert chosen == f"{person}, Kommunikation {facts}"
    # Administrators: checkboxes with a filter (shown only with the script).
    admins = page.locator("#admins-choices .field")
    total = admins.count()
    assert total >= 3
    page.get_by_label("Filtrera på namn eller enhet").fill("kollega")
    assert admins.locator("visible=true").count() == 1
    assert admins.locator("visible=true").first.inner_text().strip().startswith("Kalle Kollega")
    axe_check(page)
    page.get_by_label("Filtrera på namn eller enhet").fill("")
    assert admins.locator("visible=true").count() == total
    page.get_by_role("button", name="Skicka in för godkännande").click()
    page.wait_for_load_state()
    assert page.get_by_text("Planen är inskickad").is_visible()
    axe_check(page)
    plan = ActivityPlan.objects.get(author=people["staff"])
    assert plan.status == ActivityPlan.Status.SUBMITTED
    plan_url = f"{base}/aktivitetsplaner/{plan.pk}/"

    # chef rejects with a comment, from the queue.
    switch_user(page, login, "chef")
    page.goto(f"{base}/aktivitetsplaner/att-godkanna/")
    axe_check(page)
    page.get_by_role("link", name="Nora kommun Näringsliv").click()
    page.wait_for_load_state()
    axe_check(page)
    label(page, "Kommentar").fill("Beskriv hur målen ska mätas.")
    page.get_by_role("button", name="Återvisa").click()
    page.wait_for_load_state()
    axe_check(page)
    plan.refresh_from_db()
    assert (plan.status, plan.revision) == (ActivityPlan.Status.DRAFT, 2)

    # medarbetare revises and resubmits; the earlier version stays viewable.
    switch_user(page, login, "medarbetare")
    page.goto(plan_url)
    assert page.get_by_text("Beskriv hur målen ska mätas.").is_visible()
    axe_check(page)
    page.get_by_role("link", name="Fortsätt med planen").click()
    page.wait_for_load_state()
    label(page, "Hur målen utvärderas").fill("Antal frågor från företag, mätt varje kvartal.")
    page.get_by_role("button", name="Skicka in för godkännande").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("link", name=re.compile("Version 2")).click()
    page.wait_for_load_state()
    assert page.locator("ins").first.is_visible()
    axe_check(page)

    # chef, forvaltningschef and kommunchef approve.
    approve_through_chain(page, login, base, "Nora kommun Näringsliv", axe_check)
    plan.refresh_from_db()
    assert plan.status == ActivityPlan.Status.APPROVED

    # The PDF comes after the approval, from the worker's task (run here); until
    # then the page says so.
    assert page.get_by_text("PDF skapas…").is_visible()
    plan_copies.plan_pdf_make(plan_id=plan.pk)
    page.reload()
    page.wait_for_load_state()

    # The PDF downloads and validates as PDF/A-2b.
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned planen som PDF/A").click()
    data = Path(download.value.path()).read_bytes()
    report = check_pdfa(data)
    assert report.passed, report.summary()
    assert report.violations == ()

    # The planned account is in the register with its people.
    account = SocialAccount.objects.get(handle="norakommunnaringsliv")
    assert account.status == SocialAccount.Status.PLANNED
    assert account.members.get(role=AccountMember.Role.OWNER).user == people["staff"]
    response = page.goto(f"{base}/register/konton/")
    if response is not None and response.status == 200:
        assert page.get_by_text("Nora kommun Näringsliv").first.is_visible()
        axe_check(page)
