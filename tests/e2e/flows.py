"""Steps that several browser flows walk (writing a plan, the approval chain,
depositing access, the §4 checklist), so each flow reads as its story."""

import re

from tests.factories import PASSWORD

# Bilaga 1 beyond the name: what a complete plan says, by the field's label.
PLAN_FIELDS = {
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


def label(page, text):
    # Django's label_tag adds the label suffix (":").
    return page.get_by_label(re.compile(rf"^{re.escape(text)}:?$"))


def click(page, role, name):
    page.get_by_role(role, name=name).click()
    page.wait_for_load_state()


def switch_user(page, login, username):
    page.context.clear_cookies()
    login(page, username)


def choose_person(page, field, person):
    """Select the option that begins with ``person`` ("Maja Medarbetare, Kommunikation"):
    the option also shows the person's §12 acknowledgement and §9 competence."""
    select = label(page, field)
    value = select.locator("option", has_text=person).first.get_attribute("value")
    select.select_option(value=value)


def fill_plan_details(page, owner_label, deputy_label):
    """Everything after the name fields: content, people and the nora.se check."""
    for field, value in PLAN_FIELDS.items():
        label(page, field).fill(value)
    choose_person(page, "Kontoansvarig", owner_label)
    choose_person(page, "Ersättare", deputy_label)
    label(page, "Enhetens sidor på nora.se är aktuella").check()


def approve_through_chain(page, login, base, plan_name, axe_check):
    """chef, forvaltningschef and kommunchef approve from their queues (§3)."""
    for username in ("chef", "forvaltningschef", "kommunchef"):
        switch_user(page, login, username)
        page.goto(f"{base}/aktivitetsplaner/att-godkanna/")
        page.get_by_role("link", name=plan_name).click()
        page.wait_for_load_state()
        page.get_by_role("button", name="Godkänn").click()
        page.wait_for_load_state()
        assert page.get_by_text("Du har godkänt planen.").is_visible()
        axe_check(page)


def deposit_business_access(page, detail_url, axe_check, recovery_secret):
    """Step-up (the password again), then deposit a business account's recovery (§3)."""
    page.goto(detail_url)
    click(page, "link", "Deponerad åtkomst")
    axe_check(page)
    click(page, "link", "Deponera åtkomst")
    assert "/mina-sidor/bekrafta/" in page.url
    assert page.get_by_role("heading", name="Bekräfta att det är du").is_visible()
    axe_check(page)
    label(page, "Lösenord").fill(PASSWORD)
    click(page, "button", "Bekräfta")
    assert page.url.endswith("/atkomst/deponera/")
    axe_check(page)
    label(page, "Företagskontot (id eller namn)").fill("Nora kommun Business Manager")
    label(page, "Företagskontots återställning").fill(recovery_secret)
    label(page, "Kopplad e-postadress eller telefon").fill("bibliotek@nora.se")
    page.get_by_label(re.compile("Jag intygar att det här är åtkomst som kommunen äger")).check()
    click(page, "button", "Deponera")
    assert page.get_by_text("Åtkomsten är deponerad hos informationsansvarig.").is_visible()
    assert recovery_secret not in page.content()
    axe_check(page)


def confirm_checklist(page, detail_url, axe_check) -> int:
    """Confirm every §4 item, one by one; returns how many there were."""
    page.goto(detail_url)
    click(page, "link", "Checklista")
    axe_check(page)
    confirm = page.get_by_role("button", name=re.compile("^Bekräfta: "))
    count = confirm.count()
    for _ in range(count):
        confirm.first.click()
        page.wait_for_load_state()
    assert confirm.count() == 0
    assert page.get_by_role("button", name=re.compile("^Dra tillbaka: ")).count() == count
    axe_check(page)
    return count
