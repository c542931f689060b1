"""The chain: draft → submitted → approved_by_manager → approved_by_administration
→ approved; reject returns a new revision; withdraw ends it (§2, §3)."""

import hashlib
import os
import stat

import pytest

from accounts.models import Notification
from activity_plans import services
from activity_plans.models import ActivityPlan, Decision, Step
from channels_registry.models import AccountMember, SocialAccount
from nora_social.core.pdf import check_pdfa
from tests.accessible_pdf import assert_accessible
from tests.activity_plans.conftest import approve_all


def test_submit_freezes_revision_and_notifies_the_manager(
    submitted, chain, mailoutbox, django_capture_on_commit_callbacks
):
    assert submitted.status == ActivityPlan.Status.SUBMITTED
    assert submitted.revisions.get(number=1).content[1][2] == "Nora kommun Näringsliv"
    assert Notification.objects.filter(recipient=chain["manager"]).exists()


def test_each_approval_moves_one_step_and_notifies_the_next(submitted, chain):
    plan = services.plan_approve(plan_id=submitted.pk, actor=chain["manager"])
    assert plan.status == ActivityPlan.Status.APPROVED_BY_MANAGER
    assert Notification.objects.filter(recipient=chain["head"]).exists()
    plan = services.plan_approve(plan_id=plan.pk, actor=chain["head"])
    assert plan.status == ActivityPlan.Status.APPROVED_BY_ADMINISTRATION
    assert Notification.objects.filter(recipient=chain["io"]).exists()


def test_final_approval_creates_the_planned_account_with_its_people(
    submitted, chain, staff, colleague
):
    plan = approve_all(submitted, chain)
    assert plan.status == ActivityPlan.Status.APPROVED
    account = plan.account
    assert account.status == SocialAccount.Status.PLANNED
    assert (account.display_name, account.handle) == (
        "Nora kommun Näringsliv",
        "norakommunnaringsliv",
    )
    assert account.posts_min == 2 and account.response_hours == 8
    members = {m.role: m for m in account.members.all()}
    assert members[AccountMember.Role.OWNER].user == staff
    assert members[AccountMember.Role.DEPUTY].user == colleague
    assert all(m.holds_credentials for m in members.values())


def test_final_approval_stores_a_valid_pdfa_with_its_hash(submitted, chain):
    plan = approve_all(submitted, chain)
    with plan.pdf.open("rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == plan.pdf_sha256
    report = check_pdfa(data)
    assert report.violations == ()
    assert report.passed, report.summary()


def test_the_plan_pdf_is_tagged_in_swedish_with_its_title(submitted, chain):
    """A screen reader can read the approved plan (DOS-lagen): tags in reading
    order, language sv, its title; and it is still a valid PDF/A."""
    plan = approve_all(submitted, chain)
    with plan.pdf.open("rb") as handle:
        data = handle.read()
    assert_accessible(data, title=f"Aktivitetsplan – {plan.display_name} – version")
    report = check_pdfa(data)
    assert report.passed and report.violations == (), report.summary()


def test_final_approval_mails_the_information_officer_the_pdf(
    submitted, chain, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(submitted, chain)
    copies = [m for m in mailoutbox if m.attachments and chain["io"].email in m.to]
    assert len(copies) == 1
    filename, content, mimetype = copies[0].attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")


def test_reject_returns_a_new_revision_and_keeps_the_old(submitted, chain, staff):
    plan = services.plan_reject(
        plan_id=submitted.pk, actor=chain["manager"], comment="Förtydliga målen."
    )
    assert plan.status == ActivityPlan.Status.DRAFT
    assert plan.revision == 2
    services.plan_update(plan_id=plan.pk, actor=staff, values={"goals": "Tydliga mål."})
    plan = services.plan_submit(plan_id=plan.pk, actor=staff)
    assert list(plan.revisions.values_list("number", flat=True)) == [1, 2]
    rejected = plan.decisions.get(kind=Decision.Kind.REJECTED)
    assert (rejected.revision, rejected.step, rejected.comment) == (
        1,
        Step.MANAGER,
        "Förtydliga målen.",
    )


def test_reject_requires_a_comment(submitted, chain):
    with pytest.raises(services.PlanError):
        services.plan_reject(plan_id=submitted.pk, actor=chain["manager"], comment="  ")
    submitted.refresh_from_db()
    assert submitted.status == ActivityPlan.Status.SUBMITTED


def test_author_may_withdraw_and_nothing_more_happens(submitted, chain, staff):
    plan = services.plan_withdraw(plan_id=submitted.pk, actor=staff)
    assert plan.status == ActivityPlan.Status.WITHDRAWN
    with pytest.raises(services.PlanError):
        services.plan_approve(plan_id=plan.pk, actor=chain["manager"])


def test_decision_records_who_role_and_when(submitted, chain):
    services.plan_approve(plan_id=submitted.pk, actor=chain["manager"], comment="Bra.")
    decision = submitted.decisions.get(kind=Decision.Kind.APPROVED)
    assert decision.decided_by == chain["manager"]
    assert decision.step == Step.MANAGER
    assert decision.on_behalf_of is None
    assert decision.decided_at is not None


def test_pdf_holds_fields_trail_names_roles_and_revision(submitted, chain):
    from activity_plans.pdf import plan_pdf_html

    services.plan_reject(plan_id=submitted.pk, actor=chain["manager"], comment="Mer om mål.")
    services.plan_submit(plan_id=submitted.pk, actor=submitted.author)
    plan = approve_all(submitted, chain)
    html = plan_pdf_html(plan)
    for text in (
        "Nora kommun Näringsliv",
        "Nyheter för företagare i Nora.",
        str(chain["manager"]),
        str(chain["head"]),
        str(chain["io"]),
        "Närmaste chef",
        "Förvaltningschef",
        "Informationsansvarig (kommunchef)",
        "Återvisad",
        "Mer om mål.",
    ):
        assert text in html, text
    assert '<th scope="row">Version</th><td>2</td>' in html


def test_the_stored_plan_pdf_is_not_world_readable(submitted, chain):
    previous = os.umask(0o022)
    try:
        plan = approve_all(submitted, chain)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(os.stat(plan.pdf.path).st_mode) == 0o640
