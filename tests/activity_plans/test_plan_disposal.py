"""Disposal of activity plans under a retention decision: a due plan goes with
its decisions, revisions, history rows (its admins' too), register entry and
PDF; held plans stay; drafts and plans in the chain are never due, nor the
approved plan of an account that is not closed (its written basis, §2–§3)."""

import datetime

import pytest
import time_machine
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from activity_plans import services as plan_services
from activity_plans.models import ActivityPlan, Decision, PlanRevision
from archive.disposal import selectors as disposal_selectors
from archive.disposal import services as disposal
from archive.models import (
    DisposableType,
    DisposalEntry,
    DisposedRecord,
    Document,
    Hold,
)
from channels_registry.models import SocialAccount
from tests.activity_plans.conftest import approve_all
from tests.archive.conftest import retention_decision

pytestmark = pytest.mark.django_db


decision = retention_decision


def years_ahead(years: int) -> datetime.datetime:
    """Decisions are never updated (a database trigger), so plans are not moved
    back in time: the disposal runs in the future instead."""
    return timezone.now() + datetime.timedelta(days=365 * years + 10)


def withdrawn(make_plan, author, **extra):
    plan = make_plan(author, **extra)
    plan_services.plan_submit(plan_id=plan.pk, actor=author)
    return plan_services.plan_withdraw(plan_id=plan.pk, actor=author)


def plan_documents(plan):
    return Document.objects.filter(
        record_type=ContentType.objects.get_for_model(ActivityPlan), record_id=plan.pk
    )


def test_plan_disposal_keeps_the_basis_of_an_open_account_and_honours_holds(
    submitted, chain, make_plan, staff, colleague, registrar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approved = approve_all(submitted, chain)
    approved.refresh_from_db()
    assert plan_documents(approved).exists()
    gone_plan = withdrawn(make_plan, staff, handle="norakommunkultur")
    held_plan = withdrawn(make_plan, staff, handle="norakommunidrott")
    in_chain = make_plan(staff, handle="norakommunskola")
    plan_services.plan_submit(plan_id=in_chain.pk, actor=staff)
    disposal.hold_place(
        actor=registrar,
        kind=Hold.Kind.RECORDS_REQUEST,
        reference="KS 2026/42",
        record_type=DisposableType.ACTIVITY_PLAN,
        record_id=held_plan.pk,
    )
    rule = decision(registrar, DisposableType.ACTIVITY_PLAN, years=3)
    later = decision(registrar, DisposableType.ACTIVITY_PLAN, years=5)
    withdrawn_on = Decision.objects.get(plan=gone_plan, kind=Decision.Kind.WITHDRAWN).decided_at
    gone_url = reverse("activity_plans:plan_detail", args=[gone_plan.pk])
    kept_url = reverse("activity_plans:plan_detail", args=[in_chain.pk])
    # Submitting told the approver: notices that name the plan and lead to it.
    assert Notification.objects.filter(url=gone_url).exists()
    assert Notification.objects.filter(url=kept_url).exists()

    with time_machine.travel(years_ahead(4), tick=False):
        # The approved plan is the basis of an account that still exists; the
        # submitted one is still being handled; five years have not passed.
        preview = disposal_selectors.disposal_preview(decision=rule)
        assert [i.record.pk for i in preview.due] == [gone_plan.pk]
        assert [i.record.pk for i in preview.held] == [held_plan.pk]
        assert preview.due[0].date == timezone.localdate(withdrawn_on)
        assert disposal_selectors.disposal_preview(decision=later).due == []

        entry = disposal.disposal_run(decision_id=rule.pk, actor=registrar)
    assert (entry.record_count, entry.skipped_held) == (1, 1)
    assert not ActivityPlan.objects.filter(pk=gone_plan.pk).exists()
    assert not ActivityPlan.history.filter(id=gone_plan.pk).exists()
    assert not Decision.objects.filter(plan_id=gone_plan.pk).exists()
    assert not PlanRevision.objects.filter(plan_id=gone_plan.pk).exists()
    assert not Notification.objects.filter(url=gone_url).exists()
    assert Notification.objects.filter(url=kept_url).exists()
    assert set(ActivityPlan.objects.values_list("pk", flat=True)) == {
        approved.pk,
        held_plan.pk,
        in_chain.pk,
    }


def test_approved_plan_of_a_closed_account_goes_with_pdf_decisions_and_register_entry(
    draft, chain, staff, colleague, registrar, django_capture_on_commit_callbacks
):
    plan_services.plan_update(plan_id=draft.pk, actor=staff, values={}, admins=[colleague])
    plan_services.plan_submit(plan_id=draft.pk, actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        approved = approve_all(draft, chain)
    approved.refresh_from_db()
    reference = plan_documents(approved).get().reference
    storage, name = approved.pdf.storage, approved.pdf.name
    assert storage.exists(name)
    admins = ActivityPlan.admins.through
    admins_history = apps.get_model("activity_plans", "HistoricalActivityPlan_admins")
    assert admins_history.objects.filter(activityplan_id=approved.pk).exists()
    SocialAccount.objects.filter(pk=approved.account_id).update(status=SocialAccount.Status.CLOSED)
    rule = decision(registrar, DisposableType.ACTIVITY_PLAN, years=10)

    with (
        time_machine.travel(years_ahead(12), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        entry = disposal.disposal_run(
            decision_id=rule.pk, actor=registrar, expected_ids=[approved.pk]
        )

    assert not ActivityPlan.objects.filter(pk=approved.pk).exists()
    assert not ActivityPlan.history.filter(id=approved.pk).exists()
    assert not admins.objects.filter(activityplan_id=approved.pk).exists()
    assert not admins_history.objects.filter(activityplan_id=approved.pk).exists()
    assert not Decision.objects.filter(plan_id=approved.pk).exists()
    assert not PlanRevision.objects.filter(plan_id=approved.pk).exists()
    assert not plan_documents(approved).exists()
    assert not storage.exists(name)
    assert SocialAccount.objects.filter(pk=approved.account_id).exists()
    entry = DisposalEntry.objects.get(pk=entry.pk)
    assert (entry.record_count, entry.file_count) == (1, 1)
    gone = DisposedRecord.objects.get()
    assert (gone.record_type, gone.record_id, gone.reference) == (
        DisposableType.ACTIVITY_PLAN,
        approved.pk,
        reference,
    )
