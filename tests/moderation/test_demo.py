"""moderation.demo.seed (called by seed_demo): posts with a correction and a
withdrawal, a removal with its escalation, and questions, one of them overdue."""

import pytest

from moderation import demo
from moderation.models import Escalation, ModerationAction, Post, PostCorrection, Question
from moderation.selectors import overdue_for

pytestmark = pytest.mark.django_db


def test_demo_seed_makes_moderation_examples_and_is_idempotent(
    account, staff, colleague, outsider, security_coordinator
):
    people = {"medarbetare": staff, "kollega": colleague, "handlaggare": outsider}
    demo.seed(people, {})
    assert Post.objects.filter(account=account).count() == 3
    assert PostCorrection.objects.filter(post__account=account).count() == 1
    assert ModerationAction.objects.filter(account=account, post__isnull=False).count() == 1
    escalation = Escalation.objects.get(action__account=account)
    assert escalation.notified.filter(pk=security_coordinator.pk).exists()
    assert escalation.action.screenshot
    assert overdue_for(staff).count() == 1
    forwarded = Question.objects.get(account=account, status="forwarded")
    assert forwarded.assigned_to == outsider
    demo.seed(people, {})
    assert Post.objects.filter(account=account).count() == 3
