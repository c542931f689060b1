"""Incoming questions (§5): logged with their due time, answered or forwarded
to the staff member best placed to answer, overdue ones listed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from moderation import questions, selectors, services
from moderation.clock import STOCKHOLM
from moderation.models import Question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _question(account, actor, received_at=None, **kw):
    return questions.question_log(
        account_id=account.pk,
        actor=actor,
        received_at=received_at or timezone.now() - datetime.timedelta(minutes=5),
        asker=kw.pop("asker", "Eva Andersson"),
        text=kw.pop("text", "När töms soptunnorna?"),
        **kw,
    )


def test_due_time_follows_the_accounts_working_hour_clock(account, staff):
    saturday = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=STOCKHOLM)
    question = _question(account, staff, received_at=saturday)
    assert question.due_at == datetime.datetime(2026, 12, 2, 14, 0, tzinfo=STOCKHOLM)


def test_due_time_in_calendar_hours(account, staff):
    account.response_clock = "calendar"
    account.response_hours = 4
    account.save()
    received = timezone.now() - datetime.timedelta(hours=1)
    assert _question(account, staff, received_at=received).due_at == received + datetime.timedelta(
        hours=4
    )


def test_forwarded_question_lands_in_the_persons_queue_and_they_are_told(account, staff, outsider):
    question = _question(account, staff)
    questions.question_forward(question_id=question.pk, actor=staff, to=outsider, note="Bygglov?")
    question.refresh_from_db()
    assert question.status == Question.Status.FORWARDED
    assert list(selectors.queue_for(outsider)) == [question]
    assert Notification.objects.filter(recipient=outsider, url__contains=str(question.pk)).exists()


def test_the_forwarded_person_may_answer_though_not_on_the_account(
    account, staff, outsider, client_for
):
    question = _question(account, staff)
    questions.question_forward(question_id=question.pk, actor=staff, to=outsider)
    client = client_for(outsider)
    assert client.get(reverse("moderation:question_detail", args=[question.pk])).status_code == 200
    response = client.post(
        reverse("moderation:question_answer", args=[question.pk]),
        {
            "answer": "Du ansöker i e-tjänsten.",
            "answered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert question.answered_by == outsider
    assert not selectors.queue_for(outsider).exists()
    # Still not allowed to see the account's log.
    assert client.get(reverse("moderation:account_log", args=[account.pk])).status_code == 404


def test_someone_else_cannot_answer(account, staff, outsider):
    question = _question(account, staff)
    with pytest.raises(services.ModerationError):
        questions.question_answer(question_id=question.pk, actor=outsider, answer="Svar")


def test_answered_question_cannot_be_answered_or_forwarded_again(account, staff, colleague):
    question = _question(account, staff)
    questions.question_answer(question_id=question.pk, actor=staff, answer="Svar")
    with pytest.raises(services.ModerationError):
        questions.question_answer(question_id=question.pk, actor=colleague, answer="Annat svar")
    with pytest.raises(services.ModerationError):
        questions.question_forward(question_id=question.pk, actor=staff, to=colleague)


def test_cannot_forward_to_someone_who_left(account, staff):
    leaver = UserFactory(
        username="slutat", left_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    question = _question(account, staff)
    with pytest.raises(services.ModerationError) as exc:
        questions.question_forward(question_id=question.pk, actor=staff, to=leaver)
    assert "to" in exc.value.errors


def test_empty_answer_is_refused(account, staff):
    question = _question(account, staff)
    with pytest.raises(services.ModerationError) as exc:
        questions.question_answer(question_id=question.pk, actor=staff, answer="  ")
    assert "answer" in exc.value.errors


def test_overdue_questions_are_listed_for_owner_and_manager_not_outsider(
    account, staff, manager, outsider, client_for
):
    old = _question(account, staff, received_at=timezone.now() - datetime.timedelta(days=10))
    _question(account, staff)  # fresh, not overdue
    assert list(selectors.overdue_for(staff)) == [old]
    assert list(selectors.overdue_for(manager)) == [old]
    assert list(selectors.overdue_for(outsider)) == []
    page = client_for(manager).get(reverse("moderation:overdue"))
    assert "Eva Andersson" in page.content.decode()
    assert (
        "Eva Andersson"
        not in client_for(outsider).get(reverse("moderation:overdue")).content.decode()
    )


def test_overdue_list_costs_the_same_queries_for_many_questions(account, staff, client_for):
    for _ in range(3):
        _question(account, staff, received_at=timezone.now() - datetime.timedelta(days=10))
    client = client_for(staff)
    client.get(reverse("moderation:overdue"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("moderation:overdue"))
    for _ in range(20):
        _question(account, staff, received_at=timezone.now() - datetime.timedelta(days=10))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("moderation:overdue"))
    assert len(many) == len(few)
