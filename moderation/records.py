"""How moderation's records are registered, dated, linked, listed in a
snapshot's period and disposed of (the record-kind registry,
``nora_social.core.records``). Registered in ``ModerationConfig.ready``.

A citizen's comment that was removed is a received document dated by its
publication; the municipality's own post one drawn up (§10). An unanswered
question is still being handled: no retention period reaches it.
"""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from moderation.models import Escalation, ModerationAction, Post, PostCorrection, Question
from nora_social.core import records
from nora_social.core.records import Dependants, PeriodLine, RecordEntry, RecordKind, local_date

RECEIVED, DRAWN_UP = "received", "drawn_up"


# --- Posts ------------------------------------------------------------------------


def post_entry(post: Post) -> RecordEntry:
    return RecordEntry(
        direction=DRAWN_UP,
        document_date=local_date(post.published_at),
        subject=_("Inlägg publicerat på kontot"),
        handling_officer=post.author,
        content_text=post.text,
    )


def post_period(account: Any, start: datetime.date, end: datetime.date) -> list[PeriodLine]:
    posts = Post.objects.filter(
        account=account, published_at__date__gte=start, published_at__date__lte=end
    )
    return [PeriodLine(post.published_at, _("Inlägg"), True, post.text[:300]) for post in posts]


def post_dependants(post: Post) -> Dependants:
    return [(PostCorrection, list(post.corrections.values_list("pk", flat=True)))]


# --- Moderation actions -----------------------------------------------------------


def action_entry(action: ModerationAction) -> RecordEntry:
    citizen = action.origin == ModerationAction.Origin.CITIZEN
    # Whole phrases, so the adjective agrees with its noun: "en avpublicerad
    # kommentar", "ett avpublicerat inlägg".
    what = {
        (True, "hidden"): _("Dold kommentar"),
        (True, "unpublished"): _("Avpublicerad kommentar"),
        (True, "deleted"): _("Raderad kommentar"),
        (False, "hidden"): _("Dolt eget inlägg"),
        (False, "unpublished"): _("Avpublicerat eget inlägg"),
        (False, "deleted"): _("Raderat eget inlägg"),
    }.get((citizen, action.action), action.get_action_display())
    subject = _("%(what)s: %(category)s") % {
        "what": what,
        "category": action.get_category_display(),
    }
    return RecordEntry(
        direction=RECEIVED if citizen else DRAWN_UP,
        document_date=local_date(action.content_posted_at or action.logged_at),
        subject=subject,
        party=action.content_author if citizen else "",
        secrecy_provision=action.secrecy_provision,
        handling_officer=action.logged_by,
        content_text=" ".join(
            filter(None, [action.content_text, action.reason, action.comment_rule])
        ),
    )


def action_period(account: Any, start: datetime.date, end: datetime.date) -> list[PeriodLine]:
    """The period's actions; secret content is not copied, only its provision."""
    lines = []
    for action in ModerationAction.objects.filter(
        account=account, logged_at__date__gte=start, logged_at__date__lte=end
    ):
        official = action.origin == ModerationAction.Origin.OWN_POST
        summary = f"{action.get_action_display()}: {action.get_category_display()}"
        if action.secrecy_provision:
            summary += " – " + _("Sekretess enligt %(provision)s") % {
                "provision": action.secrecy_provision
            }
        lines.append(PeriodLine(action.logged_at, _("Modereringsåtgärd"), official, summary))
    return lines


def action_dependants(action: ModerationAction) -> Dependants:
    """The escalation of a removal under a legal duty (§5), and whom it told."""
    escalations = list(Escalation.objects.filter(action=action).values_list("pk", flat=True))
    through = Escalation.notified.through
    told = through.objects.filter(escalation_id__in=escalations).values_list("pk", flat=True)
    return [(through, list(told)), (Escalation, escalations)]


# --- Questions --------------------------------------------------------------------


def question_entry(question: Question) -> RecordEntry:
    return RecordEntry(
        direction=RECEIVED,
        document_date=local_date(question.received_at),
        subject=_("Fråga eller synpunkt via sociala medier"),
        party=question.asker,
        handling_officer=question.assigned_to or question.logged_by,
        content_text=" ".join(filter(None, [question.text, question.answer])),
    )


def question_period(account: Any, start: datetime.date, end: datetime.date) -> list[PeriodLine]:
    questions = Question.objects.filter(
        account=account, received_at__date__gte=start, received_at__date__lte=end
    )
    return [
        PeriodLine(q.received_at, _("Fråga eller synpunkt"), False, q.get_status_display())
        for q in questions
    ]


def unanswered(qs: QuerySet[Question]) -> QuerySet[Question]:
    return qs.exclude(status=Question.Status.ANSWERED)


def register_kinds() -> None:
    # In this order, a snapshot lists a post, an action and a question of the
    # same moment.
    records.register(
        RecordKind(
            label="moderation.Post",
            name=gettext_lazy("Kontots egna inlägg"),
            date_field="published_at",
            entry=post_entry,
            url=lambda post: reverse("moderation:post_detail", args=[post.pk]),
            # A post that a later correction replaced is no longer current.
            current=lambda qs: qs.filter(corrections__isnull=True),
            dependants=post_dependants,
            period=post_period,
        )
    )
    records.register(
        RecordKind(
            label="moderation.ModerationAction",
            name=gettext_lazy("Modereringsåtgärder"),
            date_field="logged_at",
            entry=action_entry,
            url=lambda action: reverse("moderation:action_detail", args=[action.pk]),
            # An entry that a correction replaced is no longer current.
            current=lambda qs: qs.filter(superseded_by__isnull=True),
            dependants=action_dependants,
            period=action_period,
        )
    )
    records.register(
        RecordKind(
            label="moderation.Question",
            name=gettext_lazy("Inkomna frågor och synpunkter"),
            date_field="received_at",
            entry=question_entry,
            url=lambda question: reverse("moderation:question_detail", args=[question.pk]),
            current=unanswered,
            in_handling=unanswered,
            period=question_period,
        )
    )
