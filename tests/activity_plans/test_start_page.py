"""The approver's menu shows how many plans wait for them, at a fixed number of
queries however many plans there are; the start page says so, with a link."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activity_plans import services

HOME = reverse("accounts:home")
QUEUE = reverse("activity_plans:queue")


def _submit(make_plan, staff, i):
    plan = make_plan(staff, handle=f"norakommunnaringsliv{i}")
    return services.plan_submit(plan_id=plan.pk, actor=staff)


def _home(client):
    client.get(HOME)  # warm: session, permissions
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_menu_counts_the_queue_and_start_page_links_to_it(make_plan, staff, chain, client_for):
    client = client_for(chain["manager"])
    _submit(make_plan, staff, 1)
    few, body = _home(client)
    assert f'href="{QUEUE}">Att godkänna <span class="badge">1<' in body
    assert f'<a href="{QUEUE}">1 aktivitetsplan väntar på ditt beslut</a>' in body
    for i in range(2, 7):
        _submit(make_plan, staff, i)
    many, body = _home(client)
    assert f'href="{QUEUE}">Att godkänna <span class="badge">6<' in body
    assert "6 aktivitetsplaner väntar på ditt beslut" in body
    assert few == many


def test_nothing_waits_for_staff_without_plans_to_decide(client_for, staff):
    body = client_for(staff).get(HOME).content.decode()
    assert "Inget väntar på dig i dag." in body
    assert "badge" not in body.split('class="main-nav"')[1].split("</nav>")[0]
