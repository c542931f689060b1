"""The directory task through the real Celery worker (as beat sends it): a
leaver who held an account's credentials raises the two-holder finding at once,
loses their session, and the information officer is told."""

import pytest
import responses
from django.conf import settings

from accounts.directory.models import DirectoryRun
from accounts.directory.services import SYSTEM_USERNAME
from accounts.models import Notification, User
from channels_registry.models import Finding
from nora_social.celery import app
from tests.accounts.directory.support import add_delta_round, start_delta_tracking
from tests.celery_support import running_worker, wait_for
from tests.channels_registry.compliance_support import compliant_account

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(redis_url):
    with running_worker(redis_url, "nora-test-directory") as w:
        yield w


def _send_beat_entry():
    entry = settings.CELERY_BEAT_SCHEDULE["directory-sync"]
    return app.send_task(entry["task"], queue=app.conf.task_default_queue, **entry["options"])


def test_a_leaver_found_by_the_directory_raises_the_two_holder_finding_at_once(
    worker, graph_settings, known_people, info_officer, platform, client_for, org
):
    maja, kalle = known_people["maja"], known_people["kalle"]
    account = compliant_account(org["unit"], maja, kalle, platform)
    assert not Finding.objects.filter(account=account, resolved_at__isnull=True).exists()
    kalle_browser = client_for(kalle)
    assert kalle_browser.get("/mina-sidor/").status_code == 200
    start_delta_tracking()

    with responses.RequestsMock() as rsps:
        add_delta_round(rsps)  # Kalle is deleted in Entra ID
        _send_beat_entry()
        assert wait_for(
            lambda: DirectoryRun.objects.filter(finished_at__isnull=False).exists(), timeout=60
        )
    run = DirectoryRun.objects.get()
    assert run.status == DirectoryRun.Status.OK, run.error
    assert run.left == 1

    # The two-holder rule (and the deputy rule) without waiting for the night.
    open_rules = set(
        Finding.objects.filter(account=account, resolved_at__isnull=True).values_list(
            "rule_code", flat=True
        )
    )
    assert {"people_rules", "deputy"} <= open_rules
    # The information officer is told which account and what to do.
    note = Notification.objects.get(recipient=info_officer)
    assert "Kalle Kollega" in note.subject
    assert account.display_name in note.body and "Byt lösenordet" in note.body
    # Kalle's browser is logged out.
    response = kalle_browser.get("/mina-sidor/")
    assert response.status_code == 302 and "/logga-in/" in response["Location"]
    # Who and when, in history.
    row = User.objects.get(pk=kalle.pk).history.filter(is_active=False).get()
    assert row.history_user.username == SYSTEM_USERNAME and row.history_date is not None
