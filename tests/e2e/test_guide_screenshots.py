"""The pages the role guides in docs/ describe, as each role sees them.

The guides (docs/guide-*.md) tell a municipal employee which page to open and
which heading to look for. This test logs in as each role in Chromium, opens
those pages on the demo data (`seed_demo`, the same a newcomer sees with
`make run`), and asserts the headings the guides name and WCAG 2.1 AA (axe and
320 px reflow). So a renamed page or heading fails here and the guide is
updated with it.

With ``NORA_GUIDE_SCREENSHOTS=<dir>`` each page is also saved there as a PNG
(1280 px wide, the top of the page, reduced to a palette so it stays small);
the guides' pictures in docs/img/ are made that way (docs/README.md).
"""

import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts.selectors import current_policy
from activity_plans.models import ActivityPlan
from channels_registry.models import SocialAccount

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOT_DIR = os.environ.get("NORA_GUIDE_SCREENSHOTS", "")
WIDTH = 1280
HEIGHT = 760
DEMO_PASSWORD = "demo"  # noqa: S105 - seed_demo's documented password  # nosec B105


def _save_screenshot(page, name: str) -> None:
    """The top of the page at 1280 px, as a palette PNG (a screenshot of a form
    has few colours, so 128 keep the text crisp at a fraction of the size)."""
    from PIL import Image

    folder = Path(SCREENSHOT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.png"
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": WIDTH, "height": HEIGHT})
    with Image.open(target) as image:
        reduced = image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    reduced.save(target, optimize=True)


def _guide_pages(ids: dict) -> dict[str, list[tuple[str, str, str, list[str]]]]:
    """role → [(screenshot name, path, h1, further headings)], in guide order."""
    return {
        "medarbetare": [
            (
                "medarbetare-mina-sidor",
                "/mina-sidor/",
                "Välkommen, Maja Medarbetare",
                ["Att göra i dag", "Det här kan du göra", "Senaste notiserna"],
            ),
            ("medarbetare-policy", "/policy/", ids["policy_h1"], ids["policy_headings"]),
            ("medarbetare-aktivitetsplaner", "/aktivitetsplaner/", "Aktivitetsplaner", []),
            ("medarbetare-ny-plan", "/aktivitetsplaner/ny/", "Ny aktivitetsplan", []),
            (
                "medarbetare-moderering",
                f"/moderering/konton/{ids['account']}/",
                "Logg för Nora kommun",
                [],
            ),
            (
                "medarbetare-profil",
                "/mina-sidor/profil/",
                "Min profil",
                ["Policy för sociala medier (§12)", "Plattformskunskap (§9)", "Frånvaro"],
            ),
        ],
        "chef": [
            (
                "chef-att-godkanna",
                "/aktivitetsplaner/att-godkanna/",
                "Aktivitetsplaner att godkänna",
                [],
            ),
            (
                "chef-plan",
                f"/aktivitetsplaner/{ids['waiting_plan']}/",
                "Aktivitetsplan: Nora kommun Evenemang",
                [],
            ),
            ("chef-konton", "/register/konton/", "Kommunens konton i sociala medier", ["Filtrera"]),
        ],
        "kommunchef": [
            (
                "kommunchef-konto",
                f"/register/konton/{ids['account']}/",
                "Nora kommun Aktivt",
                ["Personer", "Checklista för kontots utseende (§4)", "Deponerad åtkomst (§3)"],
            ),
            (
                "kommunchef-atkomst",
                f"/register/konton/{ids['account']}/atkomst/",
                "Deponerad åtkomst: Nora kommun",
                ["Deponerat", "Logg"],
            ),
            (
                "kommunchef-atkomstbegaran",
                "/register/atkomstbegaran/",
                "Begäran om åtkomst",
                ["Väntar på beslut", "Senast avgjorda"],
            ),
            (
                "kommunchef-efterlevnad",
                "/register/efterlevnad/",
                "Efterlevnad i kommunens sociala medier",
                ["Öppna brister per regel", "Förvaltningar och konton"],
            ),
        ],
        "registrator": [
            ("registrator-diariet", "/diariet/?q=kommentar", "Sök i diariet", []),
            ("registrator-registrera", "/diariet/registrera/", "Registrera en handling", []),
            (
                "registrator-gallring",
                "/diariet/gallring/",
                "Gallring",
                ["Gallringsbeslut", "Gallringsstopp", "Genomförda gallringar"],
            ),
            ("registrator-arkivexport", "/diariet/arkivexport/", "Arkivexport", []),
        ],
        "sakerhetssamordnare": [
            ("sakerhetssamordnare-eskaleringar", "/moderering/eskaleringar/", "Eskaleringar", []),
            (
                "sakerhetssamordnare-rensning",
                "/diariet/rensning/",
                "Rensning",
                ["Väntar på bekräftelse", "Avgjorda"],
            ),
        ],
    }


def _heading(page, level: int, text: str):
    pattern = re.compile(rf"^\s*{re.escape(text)}", re.S)
    return page.get_by_role("heading", level=level, name=pattern)


def test_every_role_guide_page_renders_as_the_guide_describes(
    live_server, migration_data, page, axe_check
):
    with override_settings(DEBUG=True):  # seed_demo refuses to run in production
        call_command("seed_demo", stdout=io.StringIO())
    account = SocialAccount.objects.get(
        platform__slug="facebook", handle="norakommun", status=SocialAccount.Status.ACTIVE
    )
    waiting = ActivityPlan.objects.get(
        status=ActivityPlan.Status.SUBMITTED, display_name="Nora kommun Evenemang"
    )
    # seed_demo publishes the policy from ../shared/seed/ when that file is there
    # (it is outside the repository); without it the page says it is not published.
    policy = current_policy()
    ids = {
        "account": account.pk,
        "waiting_plan": waiting.pk,
        "policy_h1": policy.title if policy else "Policy för sociala medier",
        "policy_headings": ["Din kvittens", "Innehåll"] if policy else [],
    }
    base = live_server.url

    for role, pages in _guide_pages(ids).items():
        page.context.clear_cookies()
        page.goto(f"{base}/logga-in/")
        page.get_by_label("Användarnamn").fill(role)
        page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_load_state()
        assert "/logga-in/" not in page.url, role
        for name, path, h1, headings in pages:
            response = page.goto(f"{base}{path}")
            assert response.status == 200, (role, path, response.status)
            title = page.get_by_role("heading", level=1)
            assert title.count() == 1, (role, path)
            assert re.sub(r"\s+", " ", title.inner_text()).strip() == h1, (role, path)
            for text in headings:
                assert _heading(page, 2, text).count() >= 1, (role, path, text)
            if SCREENSHOT_DIR:
                _save_screenshot(page, name)
            axe_check(page)
