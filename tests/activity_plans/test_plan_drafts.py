"""Drafts: a refused "Skicka in" saves nothing; a draft never submitted can be
deleted by its author, the deletion kept in history with who and when."""

import pytest
from django.urls import reverse

from activity_plans import services
from activity_plans.models import ActivityPlan

pytestmark = pytest.mark.django_db


def test_submitting_an_empty_form_saves_no_unnamed_draft(client_for, staff):
    response = client_for(staff).post(reverse("activity_plans:plan_create"), {"action": "submit"})
    assert response.status_code == 400
    assert "Planen kan inte skickas in än" in response.content.decode()
    assert not ActivityPlan.objects.exists()
    assert not ActivityPlan.history.exists()


def test_a_refused_submit_of_a_saved_draft_changes_nothing(client_for, staff, draft):
    url = reverse("activity_plans:plan_edit", args=[draft.pk])
    history_rows = draft.history.count()
    response = client_for(staff).post(
        url, {"display_name": "Nytt namn", "posts_period": "week", "action": "submit"}
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.display_name == "Nora kommun Näringsliv"
    assert draft.status == ActivityPlan.Status.DRAFT
    assert draft.history.count() == history_rows


def test_author_deletes_a_never_submitted_draft_and_history_says_who_and_when(
    client_for, staff, draft
):
    client = client_for(staff)
    detail = client.get(reverse("activity_plans:plan_detail", args=[draft.pk])).content.decode()
    url = reverse("activity_plans:plan_delete", args=[draft.pk])
    assert f'href="{url}"' in detail
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("activity_plans:plan_list")
    assert not ActivityPlan.objects.filter(pk=draft.pk).exists()
    deleted = ActivityPlan.history.get(id=draft.pk, history_type="-")
    assert deleted.history_user == staff
    assert deleted.history_date is not None


def test_others_cannot_delete_a_draft(client_for, colleague, outsider, manager, draft):
    url = reverse("activity_plans:plan_delete", args=[draft.pk])
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(manager).post(url).status_code == 403
    assert ActivityPlan.objects.filter(pk=draft.pk).exists()


def test_a_plan_once_submitted_cannot_be_deleted_even_when_back_as_a_draft(
    client_for, staff, submitted, chain
):
    services.plan_reject(plan_id=submitted.pk, actor=chain["manager"], comment="Skriv mer om mål.")
    submitted.refresh_from_db()
    assert submitted.status == ActivityPlan.Status.DRAFT
    url = reverse("activity_plans:plan_delete", args=[submitted.pk])
    assert client_for(staff).post(url).status_code == 403
    with pytest.raises(services.PlanError):
        services.plan_delete_draft(plan_id=submitted.pk, actor=staff)
    assert ActivityPlan.objects.filter(pk=submitted.pk).exists()


def test_the_approver_reads_the_plan_before_the_decision_box(client_for, submitted, chain):
    body = (
        client_for(chain["manager"])
        .get(reverse("activity_plans:plan_detail", args=[submitted.pk]))
        .content.decode()
    )
    assert body.index('id="content-heading"') < body.index('id="decide-heading"')
