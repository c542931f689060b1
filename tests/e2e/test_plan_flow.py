"""Issue 3, done when: medarbetare drafts and submits, chef rejects with a comment,
medarbetare revises and resubmits, chef, forvaltningschef and kommunchef approve,
the PDF downloads and validates as PDF/A, and the planned account is in the
register. Every page visited passes axe (WCAG 2.1 AA)."""

import re
from pathlib import Path

import pytest

from activity_plans.models import ActivityPlan
from activity_plans.pdf import check_pdfa
from channels_registry.models import AccountMember, SocialAccount
from tests.factories import AcknowledgementFactory, CompetenceFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(org, staff, colleague, info_officer, platform):
    for person in (staff, colleague):
        AcknowledgementFactory(user=person)
        CompetenceFactory(user=person, platform=platform.slug)
    return {"staff": staff, "colleague": colleague, **org, "io": info_officer}


def _as(page, login, username):
    page.context.clear_cookies()
    login(page, username)


def _label(page, text):
    # Django's label_tag adds the label suffix (":").
    return page.get_by_label(re.compile(rf"^{re.escape(text)}:?$"))


def test_plan_from_draft_to_register(live_server, page, login, axe_check, people):
    base = live_server.url

    # medarbetare drafts, saves, comes back and submits.
    _as(page, login, "medarbetare")
    page.goto(f"{base}/aktivitetsplaner/")
    axe_check(page)
    page.get_by_role("link", name="Skriv en ny aktivitetsplan").click()
    page.wait_for_load_state()
    axe_check(page)
    _label(page, "Plattform").select_option(label="Facebook")
    _label(page, "Visningsnamn").fill("Nora kommun Näringsliv")
    _label(page, "Användarnamn").fill("norakommunnaringsliv")
    _label(page, "Syfte").fill("Nyheter för företagare i Nora.")
    page.get_by_role("button", name="Spara utkast").click()
    page.wait_for_load_state()
    assert "/andra/" in page.url
    assert _label(page, "Visningsnamn").input_value() == "Nora kommun Näringsliv"
    axe_check(page)

    fields = {
        "Kontakt som visas för allmänheten": "naringsliv@nora.se",
        "Målgrupp": "Företagare i Nora.",
        "Mål": "Fler företagare känner till kommunens stöd.",
        "Hur målen utvärderas": "Räckvidd och frågor varje halvår.",
        "Typ av innehåll": "Nyheter och evenemang.",
        "Minst antal inlägg": "2",
        "Uppdateringstakt (visas för allmänheten)": "Ett par gånger i veckan",
        "Avsatt tid per vecka (timmar)": "3",
        "Vem som gör arbetet": "Kontoansvarig och ersättare.",
        "Hur frågor besvaras": "I kommentarerna, annars via kontaktcenter.",
        "Svarstid i timmar": "8",
        "Svarstid (visas för allmänheten)": "Vi svarar inom en arbetsdag",
        "Rutin för bevakning och moderering": "Varje vardag.",
        "Bevakning under semester och ledighet": "Ersättaren tar över.",
        "Kommentarsregler som publiceras på kontot": "Inga personangrepp.",
        "Hur kontot förhåller sig till nora.se": "Länkar till nora.se.",
        "När och hur kontot avslutas": "Efter ett år om målen inte nås.",
    }
    for label, value in fields.items():
        _label(page, label).fill(value)
    # Each choice says whether the person acknowledged the policy (§12) and knows
    # the platform (§9), where they are chosen.
    facts = "– policyn kvitterad (§12); kan Facebook (§9)"
    _label(page, "Kontoansvarig").select_option(label=f"Maja Medarbetare, Kommunikation {facts}")
    _label(page, "Ersättare").select_option(label=f"Kalle Kollega, Kommunikation {facts}")
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
    _label(page, "Enhetens sidor på nora.se är aktuella").check()
    page.get_by_role("button", name="Skicka in för godkännande").click()
    page.wait_for_load_state()
    assert page.get_by_text("Planen är inskickad").is_visible()
    axe_check(page)
    plan = ActivityPlan.objects.get(author=people["staff"])
    assert plan.status == ActivityPlan.Status.SUBMITTED
    plan_url = f"{base}/aktivitetsplaner/{plan.pk}/"

    # chef rejects with a comment, from the queue.
    _as(page, login, "chef")
    page.goto(f"{base}/aktivitetsplaner/att-godkanna/")
    axe_check(page)
    page.get_by_role("link", name="Nora kommun Näringsliv").click()
    page.wait_for_load_state()
    axe_check(page)
    _label(page, "Kommentar").fill("Beskriv hur målen ska mätas.")
    page.get_by_role("button", name="Återvisa").click()
    page.wait_for_load_state()
    axe_check(page)
    plan.refresh_from_db()
    assert (plan.status, plan.revision) == (ActivityPlan.Status.DRAFT, 2)

    # medarbetare revises and resubmits; the earlier version stays viewable.
    _as(page, login, "medarbetare")
    page.goto(plan_url)
    assert page.get_by_text("Beskriv hur målen ska mätas.").is_visible()
    axe_check(page)
    page.get_by_role("link", name="Fortsätt med planen").click()
    page.wait_for_load_state()
    _label(page, "Hur målen utvärderas").fill("Antal frågor från företag, mätt varje kvartal.")
    page.get_by_role("button", name="Skicka in för godkännande").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("link", name=re.compile("Version 2")).click()
    page.wait_for_load_state()
    assert page.locator("ins").first.is_visible()
    axe_check(page)

    # chef, forvaltningschef and kommunchef approve.
    for username in ("chef", "forvaltningschef", "kommunchef"):
        _as(page, login, username)
        page.goto(f"{base}/aktivitetsplaner/att-godkanna/")
        page.get_by_role("link", name="Nora kommun Näringsliv").click()
        page.wait_for_load_state()
        page.get_by_role("button", name="Godkänn").click()
        page.wait_for_load_state()
        assert page.get_by_text("Du har godkänt planen.").is_visible()
        axe_check(page)
    plan.refresh_from_db()
    assert plan.status == ActivityPlan.Status.APPROVED

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
