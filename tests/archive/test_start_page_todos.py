"""The start page after login says what needs doing today: snapshots to upload,
questions about to be overdue, findings on the accounts one owns; each a link."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from archive.snapshots import services as snapshots
from channels_registry.models import Finding
from moderation.models import Question

pytestmark = pytest.mark.django_db
HOME = reverse("accounts:home")


def _question(account, staff, due_in):
    now = timezone.now()
    return Question.objects.create(
        account=account,
        received_at=now - datetime.timedelta(hours=1),
        asker="Greta",
        text="När öppnar badet?",
        due_at=now + due_in,
        logged_by=staff,
    )


def test_owner_sees_snapshot_request_question_due_soon_and_findings(
    client_for, account, staff, outsider
):
    request = snapshots.snapshot_request_create(account_id=account.pk, actor=None, reason="yearly")
    soon = _question(account, staff, datetime.timedelta(hours=3))
    _question(account, staff, datetime.timedelta(days=3))  # not yet pressing
    _question(account, staff, -datetime.timedelta(hours=2))  # already late
    Finding.objects.create(
        rule_code="escrow_missing", account=account, severity="high", message="Ingen deponering."
    )
    body = client_for(staff).get(HOME).content.decode()
    assert (
        f'<a href="{reverse("archive:snapshot_request", args=[request.pk])}">'
        "Ladda upp skärmdumpar för ögonblicksbild: Nora kommun" in body
    )
    assert f'<a href="{reverse("moderation:question_detail", args=[soon.pk])}">' in body
    assert body.count("ska besvaras senast") == 1
    assert f'<a href="{reverse("moderation:overdue")}">1 fråga är inte besvarad i tid</a>' in body
    assert (
        f'<a href="{reverse("channels_registry:account_detail", args=[account.pk])}">'
        "1 brist att åtgärda på Nora kommun" in body
    )
    # Someone on no account sees none of it.
    other = client_for(outsider).get(HOME).content.decode()
    assert "Nora kommun" not in other.split('id="todo-heading"')[1].split("</section>")[0]
