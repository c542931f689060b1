"""Issue 2, done when: the information officer (`kommunchef`) registers an account,
puts an owner and a deputy on it, deposits the access after step-up, completes the
§4 checklist, activates it (after one refused try that lists every unmet
precondition in Swedish) and finds it on /konton/ and in /konton.json. Every page
visited passes axe (WCAG 2.1 AA)."""

import pytest

from channels_registry.models import (
    AccountMember,
    EscrowDeposit,
    EscrowEvent,
    SocialAccount,
)
from tests.e2e.flows import click, confirm_checklist, deposit_business_access, label
from tests.factories import (
    AcknowledgementFactory,
    CompetenceFactory,
    make_ready_account,
)

pytestmark = pytest.mark.django_db(transaction=True)

RECOVERY_SECRET = "aterstallning-7Q2-zx9-nyckel"


def _login(page, login, axe_check, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/logga-in/")
    axe_check(page)
    login(page, username)
    assert "/logga-in/" not in page.url, f"{username} could not log in"


@pytest.fixture
def people(org, staff, colleague, info_officer, platform, blocklist):
    for person in (staff, colleague):
        AcknowledgementFactory(user=person)
        CompetenceFactory(user=person, platform=platform.slug)
    return {"owner": staff, "deputy": colleague, "io": info_officer, **org}


def test_information_officer_takes_an_account_from_register_to_public_list(
    live_server, page, login, axe_check, people, platform
):
    base = live_server.url
    _login(page, login, axe_check, base, "kommunchef")

    # The register; a new account is registered as one that existed before the policy.
    page.goto(f"{base}/register/konton/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Kommunens konton i sociala medier"
    )
    axe_check(page)
    click(page, "link", "Registrera ett konto")
    axe_check(page)
    label(page, "Plattform").select_option(label="Facebook")
    label(page, "Visningsnamn").fill("Nora kommun Bibliotek")
    label(page, "Användarnamn").fill("norakommunbibliotek")
    # The as-you-type name check (§4) answers in the live region.
    page.wait_for_selector("#name-check-result:not(:empty)")
    assert "följer namnreglerna" in page.locator("#name-check-result").inner_text()
    label(page, "Adress till kontot").fill("https://www.facebook.com/norakommunbibliotek")
    label(page, "Enhet").select_option(value=str(people["unit"].pk))
    label(page, "Syfte").fill("Tips om böcker och evenemang på biblioteket.")
    label(page, "Kontakt").fill("bibliotek@nora.se")
    label(page, "Uppdateringstakt (visas för allmänheten)").fill("Varje vecka")
    label(page, "Svarstid (visas för allmänheten)").fill("Vi svarar inom en arbetsdag")
    label(page, "Kontot fanns före policyn").check()
    axe_check(page)
    click(page, "button", "Registrera kontot")

    account = SocialAccount.objects.get(handle="norakommunbibliotek")
    assert account.status == SocialAccount.Status.PLANNED
    assert account.is_pre_existing and account.plan_due_on is not None
    assert page.url.endswith(f"/register/konton/{account.pk}/personer/")
    assert page.get_by_text("är registrerat som planerat").is_visible()
    axe_check(page)
    detail_url = f"{base}/register/konton/{account.pk}/"

    # It is listed as planned.
    page.goto(f"{base}/register/konton/")
    row = page.get_by_role("row").filter(has_text="Nora kommun Bibliotek")
    assert "Planerat" in row.inner_text()
    click(page, "link", "Nora kommun Bibliotek")
    assert page.url == detail_url
    assert page.get_by_text("Fanns före policyn").is_visible()
    axe_check(page)

    # People: an owner and a second credential holder as deputy (§3, §5).
    click(page, "link", "Personer")
    for person, role in (
        (people["owner"], "Kontoansvarig"),
        (people["deputy"], "Ersättare"),
    ):
        label(page, "Person").select_option(value=str(person.pk))
        label(page, "Roll").select_option(label=role)
        label(page, "Har inloggningsuppgifterna").check()
        click(page, "button", "Lägg till")
        assert page.get_by_text(f"{person} är tillagd på kontot.").is_visible()
        axe_check(page)
    members = {m.role: m for m in account.members.all()}
    assert members[AccountMember.Role.OWNER].user == people["owner"]
    assert members[AccountMember.Role.DEPUTY].user == people["deputy"]
    assert all(m.holds_credentials for m in members.values())

    # Too early: the activation page lists every unmet precondition, and a try is refused.
    page.goto(detail_url)
    click(page, "link", "Aktivera")
    unmet = page.locator("li.unmet").all_inner_texts()
    assert any("Åtkomsten till kontot är inte deponerad" in text for text in unmet), unmet
    assert any("Checklistan är inte klar" in text for text in unmet), unmet
    assert not any("ersättare" in text.lower() for text in unmet), unmet
    axe_check(page)
    click(page, "button", "Aktivera kontot")
    refusal = page.get_by_role("alert")
    assert "Kontot kan inte aktiveras än." in refusal.inner_text()
    assert "Åtkomsten till kontot är inte deponerad hos informationsansvarig (§3)." in (
        refusal.inner_text()
    )
    assert "Sidan kan läsas utan inloggning" in refusal.inner_text()
    axe_check(page)
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.PLANNED

    # Deposit the access: step-up first (the password again), then the deposit form.
    deposit_business_access(page, detail_url, axe_check, RECOVERY_SECRET)
    deposit = EscrowDeposit.objects.get(account=account, retired_at__isnull=True)
    assert deposit.deposited_by == people["io"]
    assert EscrowEvent.objects.filter(account=account).exists()

    # The §4 checklist, item by item.
    assert confirm_checklist(page, detail_url, axe_check) == 8  # Facebook: "without login".

    # Activate: every precondition is met now.
    page.goto(detail_url)
    assert page.get_by_text("Alla villkor för aktivering är uppfyllda.").is_visible()
    axe_check(page)
    click(page, "link", "Aktivera")
    assert page.get_by_text("Alla villkor är uppfyllda.").is_visible()
    axe_check(page)
    click(page, "button", "Aktivera kontot")
    assert page.url == detail_url
    assert page.get_by_text("Kontot är aktivt och visas i den publika förteckningen.").is_visible()
    axe_check(page)
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.ACTIVE
    assert account.activated_on is not None

    # The public list, anonymously, and its JSON for nora.se.
    page.context.clear_cookies()
    page.goto(f"{base}/konton/")
    section = page.get_by_role("region", name="Kommunstyrelseförvaltningen").or_(
        page.locator("section").filter(has_text="Kommunstyrelseförvaltningen")
    )
    assert section.first.get_by_role("link", name="Nora kommun Bibliotek").is_visible()
    assert "bibliotek@nora.se" in section.first.inner_text()
    assert people["owner"].last_name not in page.content()
    axe_check(page)
    response = page.request.get(f"{base}/konton.json")
    assert response.ok
    assert response.headers.get("etag")
    assert "max-age" in response.headers.get("cache-control", "")
    data = response.json()
    listed = [a for g in data["administrations"] for a in g["accounts"]]
    assert [a["handle"] for a in listed] == ["norakommunbibliotek"]
    assert listed[0]["name"] == "Nora kommun Bibliotek"
    assert RECOVERY_SECRET not in response.text()
    assert people["owner"].username not in response.text()


def test_staff_not_on_the_account_gets_the_not_found_page(
    live_server, page, login, axe_check, org, staff, platform, blocklist
):
    account = make_ready_account(unit=org["unit"], platform=platform)
    assert not account.members.filter(user=staff).exists()
    base = live_server.url
    _login(page, login, axe_check, base, "medarbetare")

    response = page.goto(f"{base}/register/konton/{account.pk}/")
    assert response is not None and response.status == 404
    assert account.display_name not in page.content()
    axe_check(page)
