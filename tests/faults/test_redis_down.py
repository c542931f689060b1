"""Redis down: every web request that queues work still succeeds, the health
page says Redis is down, and the next sweep does the work that was not queued
(DESIGN.md: the database is the truth, tasks are triggers)."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from activity_plans import services as plans
from activity_plans.models import ActivityPlan
from channels_registry.compliance.engine import run_sweep
from channels_registry.models import ChecklistItem, Finding, SocialAccount
from moderation.models import Post
from tests.activity_plans.conftest import complete_values
from tests.channels_registry.compliance_support import compliant_account
from tests.factories import AcknowledgementFactory, CompetenceFactory, UserFactory

pytestmark = pytest.mark.django_db

# A request that waits on a dead broker would take the broker's retries times
# its connect timeout; this bound is generous (CI machines are slow) yet far
# below a hang.
GENEROUS_SECONDS = 15
NOT_QUEUED = "next sweep will"


@pytest.fixture
def account(org, staff, colleague, platform):
    return compliant_account(org["unit"], staff, colleague, platform)


def _post(client, url, data, capture):
    """POST with the after-commit callbacks run (the test's transaction never
    commits), as the real request would run them."""
    started = time.monotonic()
    with capture(execute=True):
        response = client.post(url, data)
    elapsed = time.monotonic() - started
    assert elapsed < GENEROUS_SECONDS, f"the request hung for {elapsed:.1f} s on a dead broker"
    return response


def test_account_change_succeeds_and_the_next_sweep_finds_what_it_changed(
    broker_down, client_for, staff, account, django_capture_on_commit_callbacks, caplog
):
    response = _post(
        client_for(staff),
        reverse("channels_registry:account_checklist", args=[account.pk]),
        {"action": "withdraw", "item": ChecklistItem.COMMENT_RULES},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    assert not account.checklist.filter(item=ChecklistItem.COMMENT_RULES).exists()
    assert NOT_QUEUED in caplog.text  # the re-check was tried and could not be queued
    assert not Finding.objects.filter(account=account, resolved_at__isnull=True).exists()

    run_sweep()

    assert Finding.objects.filter(
        account=account, rule_code="checklist_incomplete", resolved_at__isnull=True
    ).exists()


def test_account_edit_succeeds(
    broker_down, client_for, staff, account, django_capture_on_commit_callbacks, caplog
):
    from channels_registry import services

    data = {
        name: getattr(account, name)
        for name in services.EDITABLE_FIELDS
        if getattr(account, name) is not None
    }
    data["contact"] = "ny@nora.se"
    response = _post(
        client_for(staff),
        reverse("channels_registry:account_edit", args=[account.pk]),
        data,
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.contact == "ny@nora.se"
    assert NOT_QUEUED in caplog.text


def test_membership_change_succeeds_and_the_next_sweep_resolves_what_it_fixed(
    broker_down, client_for, staff, colleague, account, django_capture_on_commit_callbacks, caplog
):
    deputy = account.members.get(user=colleague)
    deputy.holds_credentials = False  # as left by an older version, say
    deputy.save()
    run_sweep()
    finding = Finding.objects.get(account=account, rule_code="deputy", resolved_at__isnull=True)

    response = _post(
        client_for(staff),
        reverse("channels_registry:member_change", args=[account.pk, deputy.pk]),
        {"action": "credentials", "holds_credentials": "yes"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    deputy.refresh_from_db()
    assert deputy.holds_credentials
    assert NOT_QUEUED in caplog.text
    finding.refresh_from_db()
    assert finding.resolved_at is None  # no re-check ran

    run_sweep()

    finding.refresh_from_db()
    assert finding.resolved_at is not None


def test_adding_a_member_succeeds(
    broker_down, client_for, staff, org, account, django_capture_on_commit_callbacks, caplog
):
    newcomer = UserFactory(unit=org["unit"])
    response = _post(
        client_for(staff),
        reverse("channels_registry:account_people", args=[account.pk]),
        {"user": newcomer.pk, "role": "admin", "holds_credentials": "on"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    assert account.members.filter(user=newcomer).exists()
    assert NOT_QUEUED in caplog.text


def _plan_post_data(values: dict) -> dict:
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


@pytest.fixture
def owner_and_deputy(staff, colleague, platform):
    for person in (staff, colleague):
        AcknowledgementFactory(user=person)
        CompetenceFactory(user=person, platform=platform.slug)
    return staff, colleague


def test_plan_submit_and_the_final_approval_succeed(
    broker_down,
    client_for,
    staff,
    org,
    info_officer,
    platform,
    owner_and_deputy,
    django_capture_on_commit_callbacks,
    caplog,
):
    owner, deputy = owner_and_deputy
    data = _plan_post_data(complete_values(platform, owner, deputy)) | {"action": "submit"}
    response = _post(
        client_for(staff),
        reverse("activity_plans:plan_create"),
        data,
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    plan = ActivityPlan.objects.get(author=staff)
    assert plan.status == ActivityPlan.Status.SUBMITTED

    # The last approval registers the account: that queues a re-check.
    for approver in (org["manager"], org["head"]):
        plans.plan_approve(plan_id=plan.pk, actor=approver)
    response = _post(
        client_for(info_officer),
        reverse("activity_plans:plan_decide", args=[plan.pk]),
        {"decision": "approve"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == ActivityPlan.Status.APPROVED
    assert SocialAccount.objects.filter(handle="norakommunnaringsliv").exists()
    assert NOT_QUEUED in caplog.text


def test_moderation_log_succeeds(
    broker_down, client_for, staff, account, django_capture_on_commit_callbacks
):
    response = _post(
        client_for(staff),
        reverse("moderation:post_create", args=[account.pk]),
        {
            "author": staff.pk,
            "published_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "text": "Välkommen till höstmarknaden!",
            "link": "",
        },
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    assert Post.objects.filter(account=account).exists()


def test_health_page_and_status_text_say_redis_is_down(
    broker_down, client, client_for, info_officer
):
    started = time.monotonic()
    text = client.get(reverse("channels_registry:health_text"))
    page = client_for(info_officer).get(reverse("channels_registry:health"))
    assert time.monotonic() - started < 2 * GENEROUS_SECONDS

    assert text.status_code == 503
    body = text.content.decode()
    assert "redis: error" in body
    assert "status: error" in body
    assert page.status_code == 503
    checks = page.context["status"]["checks"]
    assert checks["redis"]["state"] == "error"
    assert checks["database"]["state"] == "ok"
    assert "Redis svarar inte." in page.content.decode()


def test_health_says_redis_is_up_again_when_it_returns(client, settings, redis_url):
    settings.CELERY_BROKER_URL = redis_url
    assert "redis: ok" in client.get(reverse("channels_registry:health_text")).content.decode()
