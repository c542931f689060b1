"""Issue 12, phones: no page scrolls sideways at 320 CSS px (WCAG 2.1 SC 1.4.10,
required by lag 2018:1937). Data tables scroll inside their own focusable,
labelled region; text wraps. The public pages and the staff pages people use
most are visited with content as long as real content gets (long account names,
handles, addresses and references), each checked by axe and at 320 px.

Set REFLOW_SCREENSHOTS to a folder to keep a 320 px screenshot of each page."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.services import notify
from archive.models import Direction
from archive.register import services as register
from channels_registry.connections.services import connection_create
from moderation.capture.connectors.base import Item
from moderation.capture.services import record_items
from moderation.capture.views import PAGE_SIZE
from moderation.services import ActionData, action_log
from tests.activity_plans.conftest import complete_values
from tests.e2e.reflow import REFLOW_HEIGHT, REFLOW_WIDTH, reflow_problems
from tests.factories import AcknowledgementFactory, CompetenceFactory
from tests.moderation.conftest import make_account

LONG_NAME = "Nora kommun Kommunstyrelseförvaltningens Samhällsutvecklingsavdelning"
LONG_HANDLE = "norakommun.samhallsutvecklingsavdelningen_kommunstyrelseforvaltningen"
LONG_URL = (
    "https://www.nora.se/kommun-och-politik/kommunens-organisation/"
    "kommunstyrelseforvaltningen/samhallsutvecklingsavdelningen/sociala-medier"
)
LONG_CONTACT = "samhallsutvecklingsavdelningen.kommunstyrelseforvaltningen@nora.se"

PUBLIC_PAGES = (
    "/",
    "/konton/",
    "/konton/embed/",
    "/offentligt-diarium/",
    "/tillganglighet/",
    "/tillganglighet/rapportera/",
    "/personuppgifter/",
    "/personuppgifter/behandlingar/",
    "/logga-in/",
)


def _screenshot(page, name):
    folder = os.environ.get("REFLOW_SCREENSHOTS")
    if folder:
        page.set_viewport_size({"width": REFLOW_WIDTH, "height": REFLOW_HEIGHT})
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "start"
        page.screenshot(path=str(Path(folder) / f"{slug}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 720})


def _visit(page, axe_check, base, path):
    response = page.goto(f"{base}{path}")
    assert response is not None and response.status == 200, path
    axe_check(page)  # axe, then reflow at 320 px
    _screenshot(page, path)


@pytest.fixture
def long_content(org, staff, colleague, info_officer, platform):
    """An active account, a plan, register documents, a removed comment, a
    page and a half of captured posts and comments, and a notification, each
    with the longest values people really type."""
    for person in (staff, colleague):
        AcknowledgementFactory(user=person)
        CompetenceFactory(user=person, platform=platform.slug)
    account = make_account(
        org["unit"],
        platform,
        owner=staff,
        deputy=colleague,
        display_name=LONG_NAME,
        handle=LONG_HANDLE,
        url=f"https://www.facebook.com/{LONG_HANDLE}",
        contact=LONG_CONTACT,
        purpose=f"Samhällsutvecklingsinformation och medborgardialog, se {LONG_URL}",
        update_frequency_text="Flera gånger i veckan under arbetsveckorna",
        response_time_text="Vi svarar inom en arbetsdag, utom under storhelger",
    )
    from activity_plans import services as plans

    plan = plans.plan_create(
        actor=staff,
        values=complete_values(
            platform,
            staff,
            colleague,
            display_name=f"{LONG_NAME} Nyheter",
            handle=f"{LONG_HANDLE}.nyheter",
            contact=LONG_CONTACT,
            nora_se_relation=f"Länkar till {LONG_URL}",
        ),
    )
    documents = []
    for direction in (Direction.RECEIVED, Direction.DRAWN_UP):
        documents.append(
            register.register_document(
                actor=info_officer,
                entry=register.Entry(
                    direction=direction,
                    document_date=timezone.localdate() - datetime.timedelta(days=1),
                    subject=f"Samhällsutvecklingsavdelningens medborgardialog, bilaga {LONG_URL}",
                    party="Anna-Karin Kommunstyrelseförvaltningssamordnare-Lindqvist",
                ),
                account_id=account.pk,
            )
        )
    posted = timezone.now() - datetime.timedelta(days=2)
    action_log(
        account_id=account.pk,
        actor=staff,
        data=ActionData(
            action="deleted",
            origin="citizen",
            category="personangrepp",
            reason=f"Personangrepp, se riktlinjen {LONG_URL}",
            content_author="Bengt-Göran Samhällsutvecklingskritikersson",
            content_text=f"Läs mer på {LONG_URL}?utm_source=facebook&utm_campaign=kritik",
            content_posted_at=posted,
            captured_at=posted + datetime.timedelta(hours=1),
        ),
    )
    # Captured from the platform: more than a timeline page, so it has its links.
    connection = connection_create(
        account_id=account.pk,
        actor=staff,
        kind="facebook",
        external_id="104857600000001",
        external_name=LONG_NAME,
        access_token="EAAtestdummytoken0000notreal",  # noqa: S106 - not a credential
    )
    record_items(
        connection=connection,
        items=[
            Item(kind="post", platform_id="p0", raw={}, own=True, text=f"Nyhet: se {LONG_URL}"),
            *[
                Item(
                    kind="comment",
                    platform_id=f"c{i}",
                    parent_platform_id="p0",
                    raw={},
                    text=f"Kommentar {i}: {LONG_URL}?utm_source=facebook",
                    author_name="Bengt-Göran Samhällsutvecklingskritikersson",
                )
                for i in range(PAGE_SIZE)
            ],
        ],
    )
    notify(
        recipients=[info_officer, staff],
        subject=f"Ny handling om {LONG_NAME}",
        body=f"Handlingen finns på {LONG_URL}/handling?id=1234567890abcdef",
        url=f"/diariet/handling/{documents[0].pk}/",
    )
    return {"account": account, "plan": plan, "documents": documents}


@pytest.mark.django_db(transaction=True)
def test_public_and_staff_pages_reflow_at_320_px_with_long_content(
    live_server, page, login, axe_check, long_content
):
    base = live_server.url
    account, plan = long_content["account"], long_content["plan"]

    for path in PUBLIC_PAGES:
        _visit(page, axe_check, base, path)
    page.goto(f"{base}/konton/")
    table = page.get_by_role("region", name=re.compile("^Konton inom Kommunstyrelse"))
    assert table.get_attribute("tabindex") == "0"
    assert table.get_by_role("link", name=LONG_NAME).is_visible()

    # The plan's author: the plan list, the plan form (new and filled in), the plan.
    login(page, "medarbetare")
    for path in (
        "/mina-sidor/",
        "/aktivitetsplaner/",
        "/aktivitetsplaner/ny/",
        f"/aktivitetsplaner/{plan.pk}/andra/",
        f"/aktivitetsplaner/{plan.pk}/",
        "/moderering/",
        f"/moderering/konton/{account.pk}/",
        f"/moderering/konton/{account.pk}/tidslinje/",
        f"/moderering/konton/{account.pk}/tidslinje/?datum=ingen+dag",
    ):
        _visit(page, axe_check, base, path)

    # The information officer: the account list and account, the register and
    # its search, compliance, moderation logs.
    page.context.clear_cookies()
    login(page, "kommunchef")
    document = long_content["documents"][0]
    for path in (
        "/mina-sidor/notiser/",
        "/register/konton/",
        f"/register/konton/{account.pk}/",
        f"/register/konton/{account.pk}/personer/",
        f"/register/konton/{account.pk}/historik/",
        "/register/efterlevnad/",
        "/register/efterlevnad/brister/",
        "/diariet/",
        "/diariet/?q=medborgardialog",
        f"/diariet/handling/{document.pk}/",
        "/diariet/sociala-medier/",
        "/moderering/atgarder/",
        "/ogonblicksbilder/",
    ):
        _visit(page, axe_check, base, path)
    page.goto(f"{base}/diariet/?q=medborgardialog")
    results = page.get_by_role("region", name=re.compile(r"^\d+ handlingar?$"))
    assert results.get_by_role("link", name=document.reference).is_visible()


def test_the_reflow_check_finds_what_scrolls_sideways(page):
    """The check itself: a page wider than 320 px, a word wider than its box, and
    a table that scrolls where a keyboard cannot reach are each reported; a table
    in a focusable, named region is not."""
    page.set_content(
        "<main><div style='width: 30rem'>Bred ruta</div>"
        "<h2 style='width: 10rem'>Kommunstyrelseförvaltningen</h2></main>"
    )
    problems = reflow_problems(page)
    assert any("the page is" in p for p in problems), problems
    assert any('div "Bred ruta"' in p for p in problems), problems
    assert any('h2 "Kommunstyrelseförvaltningen"' in p for p in problems), problems

    wide = "<table><tr>" + "<td>Kolumn med text</td>" * 12 + "</tr></table>"
    page.set_content(f"<div style='overflow-x: auto'>{wide}</div>")
    problems = reflow_problems(page)
    assert len(problems) == 1 and problems[0].startswith('div "Kolumn med text'), problems
    assert problems[0].endswith("scrolls sideways but cannot be reached by keyboard"), problems

    page.set_content(f"<div style='overflow-x: auto' tabindex='0'>{wide}</div>")
    assert any("has no name" in p for p in reflow_problems(page))

    page.set_content(
        "<div style='overflow-x: auto' tabindex='0' role='region' aria-labelledby='c'>"
        f"<table><caption id='c'>Konton</caption>{wide[7:]}</div>"
    )
    assert reflow_problems(page) == []
    assert page.viewport_size == {"width": 1280, "height": 720}
