"""Issue 4, done when: an admin logs a removed hateful comment with a screenshot,
the security coordinator sees the escalation and records a police report
reference; an admin logs a post and then its correction; an admin logs a
question, forwards it, the colleague answers it; a staff member who is not on
the account sees none of it (404). Every page visited passes axe (WCAG 2.1 AA)."""

import io
import re

import pytest
from PIL import Image

from moderation.models import Escalation, ModerationAction, PostCorrection, Question
from tests.moderation.conftest import make_account

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def account(org, platform, staff, colleague, security_coordinator, outsider):
    return make_account(
        org["unit"],
        platform,
        owner=staff,
        deputy=colleague,
        display_name="Nora kommun",
        handle="norakommun",
    )


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 120), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def _as(page, login, username):
    page.context.clear_cookies()
    login(page, username)


def _label(page, text):
    # Django's label_tag adds ":" unless the label ends in punctuation.
    return page.get_by_label(re.compile(rf"^{re.escape(text)}:?$"))


def _submit(page, name):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def test_moderation_flow(live_server, page, login, axe_check, account):
    base = live_server.url

    # --- A removed hateful comment with a screenshot, escalated. -----------
    _as(page, login, "medarbetare")
    page.goto(f"{base}/moderering/")
    axe_check(page)
    page.get_by_role("link", name="Nora kommun", exact=True).click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("link", name="Logga borttaget innehåll").click()
    page.wait_for_load_state()
    assert page.get_by_text("Kritik är inte ett skäl.").is_visible()
    axe_check(page)
    _label(page, "Vad gjordes med innehållet?").select_option("deleted")
    _label(page, "Vems innehåll var det?").select_option("citizen")
    _label(page, "Kategori").select_option("hets_mot_folkgrupp")
    _label(page, "Motivering").fill("Nedsättande om en folkgrupp på grund av etnicitet.")
    _label(page, "Avsändare som den visades").fill("Anonym Användare")
    _label(page, "Innehållet, ordagrant").fill("(hatisk kommentar)")
    _label(page, "Skärmdump").set_input_files(
        {"name": "skarmdump.png", "mimeType": "image/png", "buffer": _png()}
    )
    _submit(page, "Logga åtgärden")
    assert "har fått en eskalering" in page.content()
    assert page.get_by_role("img", name="Skärmdump av innehållet innan det togs bort").is_visible()
    axe_check(page)
    record = ModerationAction.objects.get()
    assert record.screenshot_type == "image/png"
    action_url = page.url

    _as(page, login, "sakerhetssamordnare")
    page.goto(f"{base}/moderering/eskaleringar/")
    axe_check(page)
    page.get_by_role("link", name=re.compile(r"\d{4}-\d{2}-\d{2}")).first.click()
    page.wait_for_load_state()
    axe_check(page)
    _label(page, "Har innehållet polisanmälts?").select_option("yes")
    _label(page, "Polisens diarienummer").fill("5000-K123456-26")
    _submit(page, "Registrera beslutet")
    assert "5000-K123456-26" in page.content()
    axe_check(page)
    escalation = Escalation.objects.get()
    assert escalation.outcome == Escalation.Outcome.REPORTED
    assert escalation.reported_by.username == "sakerhetssamordnare"

    # --- A post and then its correction. -----------------------------------
    _as(page, login, "medarbetare")
    page.goto(f"{base}/moderering/konton/{account.pk}/")
    page.get_by_role("link", name="Logga inlägg").click()
    page.wait_for_load_state()
    axe_check(page)
    _label(page, "Inläggets text").fill("Återvinningscentralen har öppet till kl. 19 på lördag.")
    _submit(page, "Logga inlägget")
    axe_check(page)
    post_url = page.url
    page.get_by_role("link", name="Logga rättelse").click()
    page.wait_for_load_state()
    axe_check(page)
    _label(page, "Vad var fel i inlägget?").fill("Fel stängningstid.")
    _label(page, "Rättelsen som publicerades").fill("Rättelse: öppet till kl. 15.")
    _submit(page, "Logga rättelsen")
    assert "Rättelse: öppet till kl. 15." in page.content()
    assert PostCorrection.objects.count() == 1

    # --- A question, forwarded, answered by the colleague. -----------------
    page.goto(f"{base}/moderering/konton/{account.pk}/")
    page.get_by_role("link", name="Logga inkommen fråga").click()
    page.wait_for_load_state()
    axe_check(page)
    _label(page, "Frågeställare som den visades").fill("Eva Andersson")
    _label(page, "Frågan eller synpunkten").fill("När töms soptunnorna under julen?")
    _submit(page, "Logga frågan")
    axe_check(page)
    _label(page, "Vidarebefordra till").select_option(label="Kalle Kollega")
    _label(page, "Meddelande").fill("Du vet mest om sophämtningen.")
    _submit(page, "Vidarebefordra frågan")
    question_url = page.url
    assert Question.objects.get().status == Question.Status.FORWARDED

    _as(page, login, "kollega")
    page.goto(f"{base}/moderering/min-ko/")
    axe_check(page)
    page.get_by_role("link", name=re.compile(r"\d{4}-\d{2}-\d{2}")).first.click()
    page.wait_for_load_state()
    _label(page, "Svaret").fill("Sophämtningen sker som vanligt, utom juldagen.")
    _submit(page, "Spara svaret")
    assert "Besvarad" in page.content()
    axe_check(page)
    question = Question.objects.get()
    assert question.status == Question.Status.ANSWERED
    assert question.answered_by.username == "kollega"

    # --- A staff member not on the account sees none of it. ----------------
    _as(page, login, "utomstaende")
    for url in (
        f"{base}/moderering/konton/{account.pk}/",
        action_url,
        f"{base}/moderering/atgarder/{record.pk}/skarmdump/",
        f"{base}/moderering/eskaleringar/{escalation.pk}/",
        post_url,
        question_url,
    ):
        assert page.goto(url).status == 404, url
    page.goto(f"{base}/moderering/")
    assert "Nora kommun" not in page.locator("main").inner_text()
