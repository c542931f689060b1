"""Playwright against the system Chromium (Debian's /usr/bin/chromium).

Never ``playwright install``: the browser comes from Debian. Each page a flow
visits is checked with axe (WCAG 2.1 AA rules) and for reflow at 320 px
(WCAG 1.4.10, which axe cannot see)."""

import os
import shutil

import pytest

from tests.e2e.reflow import assert_reflows

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# The browser tests fall into this many xdist groups, a test file never split
# between two: each group runs on one worker, one Chromium and one live server
# at a time there, so that on a 2-core machine the two workers share the browser
# tests instead of one worker running them all after the other has finished.
BROWSER_GROUPS = 2


def pytest_collection_modifyitems(config, items):
    files = sorted({str(item.fspath) for item in items if "tests/e2e/" in str(item.fspath)})
    group = {path: f"browser-{index % BROWSER_GROUPS}" for index, path in enumerate(files)}
    for item in items:
        if str(item.fspath) in group:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group(group[str(item.fspath)]))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"Chromium is not installed at {CHROMIUM}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "sv-SE", "timezone_id": "Europe/Stockholm"}


@pytest.fixture
def axe_check():
    """``axe_check(page)`` fails the test on any WCAG 2.1 A/AA violation, and
    when the page scrolls sideways at 320 px (``tests.e2e.reflow``)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
            },
        )
        violations = results.response["violations"]
        assert not violations, f"{page.url}: " + results.generate_report()
        assert_reflows(page)

    return check


@pytest.fixture
def login(live_server):
    """``login(page, username)`` signs in through the real form."""
    from tests.factories import PASSWORD

    def do(page, username, password=PASSWORD):
        page.goto(f"{live_server.url}/logga-in/")
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(password)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_load_state()

    return do


@pytest.fixture
def migration_data(live_server):
    """The rows the data migrations write (platforms with their domains, the §4
    blocklist), put back: live_server empties every table after each test
    (pytest-django #454), so a test that runs after another browser test would
    otherwise find none, and seed_demo expects them as `make run` has them."""
    import importlib

    from django.apps import apps

    for module, function in (
        ("0002_initial_platforms_and_blocklist", "forwards"),
        ("0005_platform_domains_and_account_address", "fill_known_domains"),
    ):
        migration = importlib.import_module(f"channels_registry.migrations.{module}")
        getattr(migration, function)(apps, None)
    importlib.import_module("archive.migrations.0012_register_cases_links_files").seed_provisions(
        apps, None
    )
