"""The final approval of a plan registers it (§3, §10): one drawn-up document in
the account's collective case for the year, linked to the plan and its PDF/A;
earlier approvals register nothing; a retry adds nothing and leaves no gap."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from activity_plans import hooks, services
from activity_plans.models import ActivityPlan
from archive.models import Case, Direction, Document
from archive.receivers import register_plan_after_commit
from tests.activity_plans.conftest import approve_all

pytestmark = pytest.mark.django_db


def plan_documents(plan):
    return Document.objects.filter(
        record_type=ContentType.objects.get_for_model(ActivityPlan), record_id=plan.pk
    )


def test_final_approval_registers_the_plan_once_in_the_accounts_collective_case(
    submitted, chain, django_capture_on_commit_callbacks
):
    services.plan_approve(plan_id=submitted.pk, actor=chain["manager"])
    services.plan_approve(plan_id=submitted.pk, actor=chain["head"])
    assert not plan_documents(submitted).exists()  # not yet approved

    with django_capture_on_commit_callbacks(execute=True):
        plan = services.plan_approve(plan_id=submitted.pk, actor=chain["io"])

    plan.refresh_from_db()
    assert plan.status == ActivityPlan.Status.APPROVED and plan.pdf and plan.pdf_sha256
    document = plan_documents(plan).get()
    case = document.case
    today = timezone.localdate()
    assert case.is_collective and case.account == plan.account
    assert (case.year, case.series) == (today.year, plan.unit.administration.register_series)
    assert document.direction == Direction.DRAWN_UP
    assert document.document_date == timezone.localdate(plan.approved_at)
    assert document.account == plan.account
    assert document.handling_officer == plan.author
    assert "Aktivitetsplan" in document.subject
    # Gap-free: the first document of the case is number 1.
    assert document.number == 1 == case.last_document_number
    assert document.history.first().history_user == chain["io"]


def test_a_retried_hook_adds_no_second_document_and_uses_no_number(
    submitted, chain, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan = approve_all(submitted, chain)
    case = plan_documents(plan).get().case

    # The event again (a retried task, a second handler run): nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        register_plan_after_commit(plan=plan, actor=chain["io"])
        hooks.fire(hooks.PLAN_APPROVED, plan=plan, actor=chain["io"])

    assert plan_documents(plan).count() == 1
    assert Document.objects.count() == 1
    case.refresh_from_db()
    assert case.last_document_number == 1
    assert Case.objects.filter(account=plan.account).count() == 1


def test_an_amendment_is_registered_in_the_same_yearly_case(
    submitted, chain, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = approve_all(submitted, chain)
    amendment = services.plan_start_for_account(account_id=first.account_id, actor=staff)
    services.plan_update(
        plan_id=amendment.pk,
        actor=staff,
        values={"purpose": "Nyheter och evenemang för företagare.", "nora_se_up_to_date": True},
    )
    services.plan_submit(plan_id=amendment.pk, actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(amendment, chain)

    first_document = plan_documents(first).get()
    second_document = plan_documents(amendment).get()
    assert second_document.case == first_document.case
    assert [first_document.number, second_document.number] == [1, 2]


def test_a_plan_that_is_not_approved_is_not_registered_by_the_handler(
    submitted, chain, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register_plan_after_commit(plan=submitted, actor=chain["io"])
    assert not Document.objects.exists()
