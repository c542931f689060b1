"""Issue 5, done when (the registrar's part): in Chromium the registrar finds a
removed comment by another inflected form of a word in it, opens its record and
exports the result as CSV; then records a retention decision, previews the
disposal (a held record is listed apart) and confirms it. Every page passes axe
(WCAG 2.1 AA). Inflection needs PostgreSQL's Swedish dictionary."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from archive.disposal import services as disposal
from archive.models import DisposableType, DisposalEntry, Hold
from archive.register import services
from moderation.models import ModerationAction
from tests.archive.conftest import removed_comment
from tests.moderation.conftest import make_account

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="inflected search needs PostgreSQL"
    ),
]


def _label(page, text):
    return page.get_by_label(re.compile(rf"^{re.escape(text)}:?$"))


def _click(page, role, name):
    page.get_by_role(role, name=name, exact=True).click()
    page.wait_for_load_state()


@pytest.fixture
def records(org, platform, staff, colleague, registrar):
    account = make_account(
        org["unit"],
        platform,
        owner=staff,
        deputy=colleague,
        display_name="Nora kommun",
        handle="norakommun",
    )
    threat = removed_comment(
        account, staff, text="Det här är ett hot mot er handläggare", author="Greta Granskare"
    )
    document = services.register_record(record=threat, actor=registrar)
    old = removed_comment(account, staff, text="Reklam för billiga klockor")
    held = removed_comment(account, staff, text="Kommentar som någon har begärt ut")
    moment = timezone.now() - datetime.timedelta(days=365 * 3)
    ModerationAction.objects.filter(pk__in=[old.pk, held.pk]).update(logged_at=moment)
    disposal.hold_place(
        actor=registrar,
        kind=Hold.Kind.RECORDS_REQUEST,
        reference="KS 2026/31",
        record_type=DisposableType.MODERATION_ACTION,
        record_id=held.pk,
    )
    return {"document": document, "threat": threat, "old": old, "held": held}


def test_registrar_finds_opens_exports_and_disposes(live_server, page, login, axe_check, records):
    base = live_server.url
    login(page, "registrator")
    assert "/logga-in/" not in page.url

    # Search by another inflected form: the comment says "hot", we search "hoten".
    page.goto(f"{base}/diariet/")
    axe_check(page)
    _label(page, "Sökord").fill("hoten")
    _click(page, "button", "Sök")
    axe_check(page)
    reference = records["document"].reference
    _click(page, "link", reference)
    assert page.get_by_role("heading", level=1).is_visible()
    assert "Greta Granskare" in page.content()
    axe_check(page)
    page.go_back()
    page.wait_for_load_state()

    with page.expect_download() as info:
        page.get_by_role("link", name="Exportera träffarna som CSV").click()
    path = info.value.path()
    with open(path, encoding="utf-8-sig") as exported:
        text = exported.read()
    assert reference in text
    assert "Greta Granskare" in text

    # A retention decision, its preview (the held record apart) and the run.
    page.goto(f"{base}/diariet/gallring/")
    axe_check(page)
    _click(page, "link", "Registrera ett gallringsbeslut")
    axe_check(page)
    _label(page, "Slags handling").select_option(value=DisposableType.MODERATION_ACTION)
    _label(page, "Beslut").select_option(value="after_years")
    _label(page, "Antal år").fill("2")
    _label(page, "Beslutande organ").fill("Kommunstyrelsen")
    _label(page, "Beslutsdatum").fill("2025-03-01")
    _label(page, "Punkt i dokumenthanteringsplanen").fill("3.4.2")
    _click(page, "button", "Spara beslutet")
    assert "Förhandsvisning av gallring" in page.get_by_role("heading", level=1).inner_text()
    axe_check(page)
    assert "1 handling gallras" in page.content()
    assert "1 handling har gallringsstopp" in page.content()
    _click(page, "button", "Gallra 1 handling")
    assert page.get_by_role("heading", level=1).inner_text() == "Gallringsanteckning"
    axe_check(page)

    assert not ModerationAction.objects.filter(pk=records["old"].pk).exists()
    assert ModerationAction.objects.filter(pk=records["held"].pk).exists()
    assert ModerationAction.objects.filter(pk=records["threat"].pk).exists()
    entry = DisposalEntry.objects.get()
    assert (entry.record_count, entry.skipped_held) == (1, 1)
