"""Views: anonymous → login, a page the role never uses → 403, a plan the person
may not see → 404; the allowed people get the page."""

import pytest
from django.urls import reverse

from activity_plans import services
from activity_plans.models import ActivityPlan
from tests.activity_plans.conftest import approve_all, complete_values


def _detail(plan):
    return reverse("activity_plans:plan_detail", args=[plan.pk])


def test_anonymous_is_sent_to_login(client, submitted):
    for url in (
        reverse("activity_plans:plan_list"),
        reverse("activity_plans:plan_create"),
        reverse("activity_plans:queue"),
        _detail(submitted),
        reverse("activity_plans:plan_pdf", args=[submitted.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/logga-in/" in response["Location"]


def test_outsider_gets_404_for_a_plan(client_for, outsider, submitted):
    client = client_for(outsider)
    assert client.get(_detail(submitted)).status_code == 404
    assert client.get(reverse("activity_plans:plan_pdf", args=[submitted.pk])).status_code == 404
    assert (
        client.get(reverse("activity_plans:plan_revision", args=[submitted.pk, 1])).status_code
        == 404
    )
    response = client.post(
        reverse("activity_plans:plan_decide", args=[submitted.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404


def test_other_units_manager_gets_404(client_for, org, submitted):
    assert client_for(org["other_manager"]).get(_detail(submitted)).status_code == 404


def test_registrar_may_not_write_plans_or_use_the_queue(client_for, stranger):
    client = client_for(stranger)
    assert client.get(reverse("activity_plans:plan_create")).status_code == 403
    assert client.get(reverse("activity_plans:queue")).status_code == 403
    assert client.get(reverse("activity_plans:plan_list")).status_code == 403


def test_staff_cannot_use_the_queue(client_for, staff):
    assert client_for(staff).get(reverse("activity_plans:queue")).status_code == 403


def test_author_and_chain_see_the_plan(client_for, submitted, staff, chain):
    for person in (staff, chain["manager"], chain["head"], chain["io"]):
        response = client_for(person).get(_detail(submitted))
        assert response.status_code == 200, person
        assert "Nora kommun Näringsliv" in response.content.decode()


def test_queue_lists_what_awaits_the_manager(client_for, submitted, chain):
    body = client_for(chain["manager"]).get(reverse("activity_plans:queue")).content.decode()
    assert "Nora kommun Näringsliv" in body
    body = client_for(chain["head"]).get(reverse("activity_plans:queue")).content.decode()
    assert "Nora kommun Näringsliv" not in body


def test_staff_drafts_through_the_form_and_resumes(client_for, staff, platform, owner_and_deputy):
    client = client_for(staff)
    response = client.post(
        reverse("activity_plans:plan_create"),
        {
            "display_name": "Nora kommun Test",
            "posts_period": "week",
            "response_clock": "working",
            "action": "save",
        },
    )
    plan = ActivityPlan.objects.get(author=staff)
    assert response.status_code == 302
    assert response["Location"] == reverse("activity_plans:plan_edit", args=[plan.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'value="Nora kommun Test"' in page.content.decode()


def _post_data(values):
    data = {}
    for key, value in values.items():
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, bool):
            if value:
                data[key] = "on"
            continue
        data[key] = value
    return data


def test_submit_with_missing_fields_shows_errors_on_the_fields(
    client_for, staff, platform, owner_and_deputy
):
    owner, deputy = owner_and_deputy
    values = complete_values(platform, owner, deputy, goals="")
    data = _post_data(values) | {"action": "submit"}
    response = client_for(staff).post(reverse("activity_plans:plan_create"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_goals_error"' in body
    assert 'value="Nora kommun' in body  # what was typed comes back, unsaved
    assert not ActivityPlan.objects.filter(author=staff).exists()  # nothing saved


def test_submit_through_the_form(client_for, staff, platform, owner_and_deputy, chain):
    owner, deputy = owner_and_deputy
    data = _post_data(complete_values(platform, owner, deputy)) | {"action": "submit"}
    response = client_for(staff).post(reverse("activity_plans:plan_create"), data)
    assert response.status_code == 302
    assert ActivityPlan.objects.get(author=staff).status == ActivityPlan.Status.SUBMITTED


def test_edit_after_submission_is_refused_and_changes_nothing(client_for, staff, submitted):
    client = client_for(staff)
    url = reverse("activity_plans:plan_edit", args=[submitted.pk])
    assert client.get(url).status_code == 302
    client.post(url, {"purpose": "Annat", "action": "save"})
    submitted.refresh_from_db()
    assert submitted.purpose == "Nyheter för företagare i Nora."


def test_colleague_cannot_edit_someone_elses_draft(client_for, org, draft):
    # The manager may see the draft but never edit it.
    response = client_for(org["manager"]).get(reverse("activity_plans:plan_edit", args=[draft.pk]))
    assert response.status_code == 403


def test_reject_without_comment_shows_an_error(client_for, submitted, chain):
    response = client_for(chain["manager"]).post(
        reverse("activity_plans:plan_decide", args=[submitted.pk]), {"decision": "reject"}
    )
    assert response.status_code == 400
    assert "Skriv en kommentar" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ActivityPlan.Status.SUBMITTED


def test_approve_out_of_turn_through_the_view_is_refused(client_for, submitted, chain):
    response = client_for(chain["io"]).post(
        reverse("activity_plans:plan_decide", args=[submitted.pk]), {"decision": "approve"}
    )
    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.status == ActivityPlan.Status.SUBMITTED


def test_pdf_download_for_those_who_see_the_plan(client_for, submitted, chain, staff):
    plan = approve_all(submitted, chain)
    response = client_for(staff).get(reverse("activity_plans:plan_pdf", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_revision_page_shows_the_diff(client_for, submitted, chain, staff):
    services.plan_reject(plan_id=submitted.pk, actor=chain["manager"], comment="Mål saknas.")
    services.plan_update(plan_id=submitted.pk, actor=staff, values={"goals": "Nya mål."})
    services.plan_submit(plan_id=submitted.pk, actor=staff)
    body = (
        client_for(chain["manager"])
        .get(reverse("activity_plans:plan_revision", args=[submitted.pk, 2]))
        .content.decode()
    )
    assert "<ins>" in body and "Nya mål." in body
    assert "<del>" in body


def test_the_plan_form_checks_names_with_the_registers_one_check(client_for, staff, platform):
    html = client_for(staff).get(reverse("activity_plans:plan_create")).content.decode()
    assert f'data-name-check-url="{reverse("channels_registry:name_check")}"' in html
    assert "js/name_check.js" in html
    response = client_for(staff).get(
        reverse("channels_registry:name_check"),
        {"platform": platform.pk, "display_name": "Näringsliv", "handle": "naringsliv"},
    )
    assert response.status_code == 200
    assert {"display_name", "handle"} <= {p["rule"] for p in response.json()["problems"]}


def test_plan_list_query_count_is_constant(
    client_for, make_plan, staff, django_assert_max_num_queries
):
    for _ in range(5):
        make_plan(staff)
    client = client_for(staff)
    client.get(reverse("activity_plans:plan_list"))
    # 16: the page's own queries plus the menu's (the requests entry asks whether
    # the person holds a delegation); what matters is that more plans add none.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("activity_plans:plan_list"))
    assert response.status_code == 200
    for _ in range(5):
        make_plan(staff)
    with django_assert_max_num_queries(16):
        client.get(reverse("activity_plans:plan_list"))


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_get_on_decide_is_not_allowed(client_for, submitted, chain, decision):
    response = client_for(chain["manager"]).get(
        reverse("activity_plans:plan_decide", args=[submitted.pk])
    )
    assert response.status_code == 405


def test_owner_starts_an_amendment_from_the_approved_plan(client_for, submitted, chain, staff):
    plan = approve_all(submitted, chain)
    client = client_for(staff)
    assert "Börja på en ändrad plan" in client.get(_detail(plan)).content.decode()
    response = client.post(reverse("activity_plans:plan_for_account", args=[plan.account_id]))
    amendment = ActivityPlan.objects.get(amends=plan)
    assert response["Location"] == reverse("activity_plans:plan_edit", args=[amendment.pk])


def test_outsider_cannot_start_an_amendment_through_the_view(
    client_for, submitted, chain, outsider
):
    plan = approve_all(submitted, chain)
    response = client_for(outsider).post(
        reverse("activity_plans:plan_for_account", args=[plan.account_id])
    )
    assert response.status_code == 404
    assert not ActivityPlan.objects.filter(amends=plan).exists()


def test_navigation_shows_plans_and_queue_to_an_approver(client_for, chain, staff):
    body = client_for(chain["manager"]).get(reverse("activity_plans:plan_list")).content.decode()
    assert 'href="/aktivitetsplaner/att-godkanna/"' in body
    body = client_for(staff).get(reverse("activity_plans:plan_list")).content.decode()
    assert 'href="/aktivitetsplaner/"' in body
    assert 'href="/aktivitetsplaner/att-godkanna/"' not in body
