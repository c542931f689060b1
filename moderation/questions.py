"""Incoming questions and views (§5): logged with the time they are due by the
account's promised response time, forwarded to the person best placed to answer,
answered. Like the rest of moderation's writes, each takes the acting person,
checks that they may act, and raises ``ModerationError`` in Swedish."""

import datetime

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import notify
from moderation import clock
from moderation.models import Question
from moderation.permissions import can_handle_question
from moderation.services import (
    ModerationError,
    _add,
    _check_logger,
    _create,
    _lock_account,
    _not_in_future,
    _refuse_if,
)
from nora_social.core.history import set_history_user


@transaction.atomic
def question_log(
    *,
    account_id: int,
    actor: User,
    received_at: datetime.datetime,
    asker: str,
    text: str,
    link: str = "",
) -> Question:
    """§5: a question or view that came in, with the time it is due by the
    account's promised response time (calendar or working hours)."""
    account = _lock_account(account_id)
    _check_logger(actor, account)
    errors: dict[str, list[str]] = {}
    if not asker.strip():
        _add(errors, "asker", _("Ange frågeställaren som den visades, t.ex. namnet på kontot."))
    if not text.strip():
        _add(errors, "text", _("Skriv in frågan eller synpunkten."))
    _not_in_future(errors, "received_at", received_at, timezone.now())
    _refuse_if(errors)
    return _create(
        Question(
            account=account,
            received_at=received_at,
            asker=asker.strip(),
            text=text.strip(),
            link=link,
            due_at=clock.due_at(received_at, account.response_hours, account.response_clock),
            logged_by=actor,
        ),
        actor,
    )


def _lock_question(question_id: int) -> Question:
    return (
        Question.objects.select_for_update()
        .select_related("account__unit__administration")
        .get(pk=question_id)
    )


@transaction.atomic
def question_forward(*, question_id: int, actor: User, to: User, note: str = "") -> Question:
    """§5: "vidarebefordra synpunkter eller frågor till handläggare som är bäst
    lämpade att svara". The person sees it in their queue and is told."""
    question = _lock_question(question_id)
    if not can_handle_question(actor, question):
        raise ModerationError(_("Du kan inte vidarebefordra den här frågan."))
    if not question.can_move_to(Question.Status.FORWARDED):
        raise ModerationError(_("Frågan är redan besvarad."))
    if to is None or not to.is_current():
        raise ModerationError(
            _("Välj en medarbetare som arbetar i kommunen."),
            {"to": [_("Välj en medarbetare som arbetar i kommunen.")]},
        )
    if to.pk == question.assigned_to_id:
        raise ModerationError(
            _("Frågan ligger redan hos den personen."),
            {"to": [_("Frågan ligger redan hos den personen.")]},
        )
    question.status = Question.Status.FORWARDED
    question.assigned_to = to
    question.forwarded_by = actor
    question.forwarded_at = timezone.now()
    question.forward_note = note.strip()
    set_history_user(question, actor)
    question.save()
    notify(
        recipients=[to],
        subject=_("En fråga har vidarebefordrats till dig"),
        body=render_to_string(
            "emails/moderation_question_forwarded.txt",
            {"question": question, "account": question.account, "actor": actor, "note": note},
        ),
        url=reverse("moderation:question_detail", args=[question.pk]),
        about=question,
    )
    return question


@transaction.atomic
def question_answer(
    *, question_id: int, actor: User, answer: str, answered_at: datetime.datetime | None = None
) -> Question:
    """§5: the answer, and when it was given, close the question's clock."""
    question = _lock_question(question_id)
    if not can_handle_question(actor, question):
        raise ModerationError(_("Du kan inte besvara den här frågan."))
    if not question.can_move_to(Question.Status.ANSWERED):
        raise ModerationError(_("Frågan är redan besvarad."))
    answered_at = answered_at or timezone.now()
    errors: dict[str, list[str]] = {}
    if not answer.strip():
        _add(errors, "answer", _("Skriv in svaret."))
    _not_in_future(errors, "answered_at", answered_at, timezone.now())
    if answered_at < question.received_at:
        _add(errors, "answered_at", _("Svaret kan inte ha getts innan frågan kom in."))
    _refuse_if(errors)
    question.status = Question.Status.ANSWERED
    question.answer = answer.strip()
    question.answered_at = answered_at
    question.answered_by = actor
    set_history_user(question, actor)
    question.save()
    return question
