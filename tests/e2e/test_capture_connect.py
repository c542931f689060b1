"""Issue 17, done when: the information officer connects an account in the
browser (here a LinkedIn page, with a pasted token and refresh token, after
step-up) and sees its capture health; the tokens never reach a page. Every
page visited passes axe (WCAG 2.1 AA) and reflows at 320 px."""

import pytest
import responses

from moderation.capture.services import poll_connection
from tests.e2e.flows import click, label
from tests.factories import PASSWORD
from tests.moderation.capture import recorded_linkedin_x as rx
from tests.moderation.conftest import make_account

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = "AQVlinkedinpastedaccesstokennotreal"  # noqa: S105 - not a credential
REFRESH = "AQWlinkedinpastedrefreshtokennotreal"  # noqa: S105 - not a credential


@pytest.fixture
def account(org, platform, staff, colleague, info_officer):
    return make_account(
        org["unit"],
        platform,
        owner=staff,
        deputy=colleague,
        display_name="Nora kommun",
        handle="norakommun",
    )


def test_the_information_officer_connects_a_linkedin_page(
    live_server, page, login, axe_check, account
):
    base = live_server.url
    login(page, "kommunchef")
    page.goto(f"{base}/register/konton/{account.pk}/insamling/")
    assert page.get_by_text("Kontot är inte kopplat").is_visible()
    axe_check(page)

    click(page, "link", "Koppla kontot med en token")
    assert page.get_by_role("heading", name="Bekräfta att det är du").is_visible()
    label(page, "Lösenord").fill(PASSWORD)
    click(page, "button", "Bekräfta")
    assert page.url.endswith("/insamling/koppla/")
    axe_check(page)
    label(page, "Plattform").select_option(label="LinkedIn-sida (Community Management API)")
    label(page, "Kontots id hos plattformen").fill(rx.ORG_ID)
    label(page, "Namn hos plattformen").fill("Nora kommun")
    label(page, "Åtkomsttoken").fill(TOKEN)
    label(page, "Förnyelsetoken (valfri)").fill(REFRESH)
    label(page, "Beviljade behörigheter").fill("r_organization_social rw_organization_admin")
    click(page, "button", "Koppla")

    assert page.get_by_text("Kontot är kopplat.").is_visible()
    row = page.get_by_role("row", name="LinkedIn-sida")
    assert "Inte kontrollerad ännu" in row.inner_text()
    assert "Förnyas av sig själv" in row.inner_text()
    assert TOKEN not in page.content() and REFRESH not in page.content()
    axe_check(page)

    # The next poll reads the page's posts: the health reads "Arkiveras".
    from channels_registry.connections.models import PlatformConnection

    with responses.RequestsMock() as rsps:
        rsps.add("GET", f"{rx.LI}posts", json=rx.li_paged([]))
        poll_connection(connection_id=PlatformConnection.objects.get().pk)
    page.reload()
    assert "Arkiveras" in page.get_by_role("row", name="LinkedIn-sida").inner_text()
    axe_check(page)
