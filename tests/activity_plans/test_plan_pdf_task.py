"""The approved plan's PDF/A is rendered after the approval has committed, by a
task that is retried and idempotent; an approval never fails because rendering
does, and a plan left without its PDF is a finding for the information officer."""

import datetime
import hashlib

import pytest
from celery.worker import state as worker_state
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from activity_plans import copies, pdf, services
from activity_plans.models import ActivityPlan
from activity_plans.tasks import make_plan_pdf
from channels_registry.compliance.engine import run_sweep
from channels_registry.models import Finding
from nora_social.core.pdf import check_pdfa
from nora_social.core.tasks import NoraTask
from tests.activity_plans.conftest import approve_all
from tests.celery_support import running_worker, wait_for


def _plan_files(plan) -> list[str]:
    storage = ActivityPlan._meta.get_field("pdf").storage
    folder = f"activity_plans/{timezone.localdate(plan.approved_at):%Y}"
    if not storage.exists(folder):
        return []
    _dirs, files = storage.listdir(folder)
    return [name for name in files if name.startswith(f"aktivitetsplan-{plan.pk}-")]


@pytest.fixture
def failing_render(monkeypatch):
    """Rendering fails (fonts gone, the PDF/A check refusing), every time."""
    calls = []

    def fail(plan):
        calls.append(plan.pk)
        raise OSError("WeasyPrint could not load its fonts")

    monkeypatch.setattr(pdf, "render_plan_pdf", fail)
    return calls


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_renders_the_approved_plans_pdf_once_after_commit(redis_url, submitted, chain):
    with running_worker(redis_url, "nora-test-plan-pdf"):
        plan = approve_all(submitted, chain, with_pdf=False)
        assert wait_for(
            lambda: ActivityPlan.objects.filter(pk=plan.pk).exclude(pdf="").exists(),
            timeout=120,
            interval=0.5,
        )
        plan.refresh_from_db()
        first = plan.pdf.name
        # The task twice more (a redelivered message, a second press of "Skapa
        # PDF:en igen"): the plan keeps its one file and the copy goes once.
        done = worker_state.all_total_count[0]
        make_plan_pdf.apply_async(args=[plan.pk, chain["io"].pk])
        copies.queue_plan_pdf(plan.pk, chain["io"].pk)
        assert wait_for(lambda: worker_state.all_total_count[0] >= done + 2, timeout=60)

    plan.refresh_from_db()
    assert plan.pdf.name == first
    assert _plan_files(plan) == [first.rsplit("/", 1)[-1]]
    with plan.pdf.open("rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == plan.pdf_sha256
    assert check_pdfa(data).violations == ()
    # §3: one copy to the information officer, with the PDF attached.
    mailed = [m for m in mail.outbox if chain["io"].email in m.to and m.attachments]
    assert len(mailed) == 1
    assert plan.history.filter(pdf_sha256=plan.pdf_sha256).first().history_user == chain["io"]


def test_the_pdf_task_is_a_nora_task_retried_with_backoff():
    assert isinstance(make_plan_pdf, NoraTask)
    assert make_plan_pdf.autoretry_for == (Exception,)
    assert make_plan_pdf.retry_backoff and make_plan_pdf.max_retries == 5


def test_a_failing_render_leaves_the_approval_standing_and_raises_the_finding(
    failing_render, submitted, chain, client_for, staff, django_capture_on_commit_callbacks
):
    for who in ("manager", "head"):
        services.plan_approve(plan_id=submitted.pk, actor=chain[who])
    io = client_for(chain["io"])
    with django_capture_on_commit_callbacks(execute=True):
        response = io.post(
            reverse("activity_plans:plan_decide", args=[submitted.pk]), {"decision": "approve"}
        )
    assert response.status_code == 302
    plan = ActivityPlan.objects.get(pk=submitted.pk)
    assert plan.status == ActivityPlan.Status.APPROVED and plan.account is not None

    # The task as the worker runs it: every retry fails, then it gives up.
    result = make_plan_pdf.apply(args=[plan.pk, chain["io"].pk])
    assert result.failed()
    assert len(failing_render) == 1 + make_plan_pdf.max_retries
    plan.refresh_from_db()
    assert plan.status == ActivityPlan.Status.APPROVED and not plan.pdf

    # The page says the PDF is on its way; the information officer may ask again.
    page = io.get(reverse("activity_plans:plan_detail", args=[plan.pk])).content.decode()
    assert "PDF skapas…" in page and "Skapa PDF:en igen" in page
    own = client_for(staff).get(reverse("activity_plans:plan_detail", args=[plan.pk]))
    assert "PDF skapas…" in own.content.decode()
    assert "Skapa PDF:en igen" not in own.content.decode()

    # Within the hour nothing is reported; after it, a finding for the information officer.
    approved_at = plan.approved_at
    run_sweep(codes=["plan_pdf_missing"], now=approved_at + datetime.timedelta(minutes=30))
    assert not Finding.objects.filter(rule_code="plan_pdf_missing").exists()
    run_sweep(codes=["plan_pdf_missing"], now=approved_at + datetime.timedelta(hours=2))
    finding = Finding.objects.get(rule_code="plan_pdf_missing", resolved_at__isnull=True)
    assert finding.account == plan.account and finding.key == f"plan-{plan.pk}"
    dashboard = io.get(reverse("channels_registry:findings")).content.decode()
    assert "Aktivitetsplanens PDF saknas" in dashboard


def test_a_stored_pdf_resolves_the_finding(submitted, chain):
    plan = approve_all(submitted, chain, with_pdf=False)
    later = plan.approved_at + datetime.timedelta(hours=2)
    run_sweep(codes=["plan_pdf_missing"], now=later)
    assert Finding.objects.filter(rule_code="plan_pdf_missing", resolved_at__isnull=True).exists()

    assert copies.plan_pdf_make(plan_id=plan.pk, actor_id=chain["io"].pk) is not None
    # A second run finds the PDF and stores nothing.
    assert copies.plan_pdf_make(plan_id=plan.pk, actor_id=chain["io"].pk) is None
    plan.refresh_from_db()
    assert len(_plan_files(plan)) == 1

    run_sweep(codes=["plan_pdf_missing"], now=later + datetime.timedelta(minutes=5))
    assert not Finding.objects.filter(
        rule_code="plan_pdf_missing", resolved_at__isnull=True
    ).exists()


def test_only_the_information_officer_may_ask_for_the_pdf_again(
    submitted, chain, client_for, staff
):
    plan = approve_all(submitted, chain, with_pdf=False)
    url = reverse("activity_plans:plan_pdf_retry", args=[plan.pk])
    assert client_for(staff).post(url).status_code == 403
    response = client_for(chain["io"]).post(url)
    assert response.status_code == 302
    copies.plan_pdf_make(plan_id=plan.pk)
    # A plan that has its PDF is not offered again.
    assert client_for(chain["io"]).post(url).status_code == 403
