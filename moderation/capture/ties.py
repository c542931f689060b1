"""What captured content means for the policy (§3, §5, 1998:112 § 5).

- An own post with no logged author: the account's people are asked to log it
  (§3: the author follows the discussion); the compliance rule makes it a
  finding after ``CAPTURE_AUTHOR_DELAY_HOURS``.
- A message to the account, or a citizen's comment that reads as a question,
  becomes an incoming question whose clock starts when it was captured (§5);
  the account's own answer, captured, closes it.
- Logging a moderation action for a captured comment links the capture as its
  evidence; for barnpornografi the captured content is purged instead.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import notify
from channels_registry.models import AccountMember
from moderation import clock
from moderation.capture.models import (
    AuthorRequest,
    CapturedContent,
    CapturedObject,
    CapturedQuestion,
    CapturedVersion,
    CaptureEvidence,
    CapturePurge,
    RawEvent,
)
from moderation.categories import NO_CONTENT_CATEGORIES
from moderation.models import ModerationAction, Post, Question
from nora_social.core.errors import ServiceError

QUESTION_WORDS = [
    "vad",
    "vem",
    "vems",
    "vilka",
    "vilken",
    "vilket",
    "var",
    "vart",
    "varifrån",
    "varför",
    "hur",
    "när",
    "kan",
    "kan",
    "ni",
    "får",
    "finns",
    "går",
    "ska",
    "måste",
    "har",
    "är",
    "blir",
    "behöver",
    "stämmer",
    "gäller",
]
_STARTS_LIKE_QUESTION = re.compile(
    r"^\s*(?:@\S+\s+)?(?:" + "|".join(QUESTION_WORDS) + r")\b", re.IGNORECASE
)


def looks_like_question(text: str) -> bool:
    """A simple Swedish heuristic: a question mark, or a sentence that opens
    with a question word ("Hur ansöker man…", "När öppnar…"). The staff may
    also mark a comment as a question by hand."""
    return "?" in text or bool(_STARTS_LIKE_QUESTION.match(text))


def account_people(account_id: int) -> list[User]:
    today = timezone.localdate()
    return [
        m.user
        for m in AccountMember.objects.filter(account_id=account_id)
        .select_related("user")
        .order_by("role", "pk")
        if m.starts_on <= today and (m.ends_on is None or m.ends_on >= today)
    ]


def _owner(account_id: int) -> User | None:
    people = account_people(account_id)
    owners = [
        m.user
        for m in AccountMember.objects.filter(
            account_id=account_id, role=AccountMember.Role.OWNER, user__in=people
        ).select_related("user")
    ]
    chosen = owners or people
    return chosen[0] if chosen else None


def after_capture(outcome) -> None:
    """Called in the capture's transaction for what was just recorded."""
    for captured in outcome.new_objects:
        version = next((v for v in outcome.new_versions if v.captured_id == captured.pk), None)
        content = getattr(version, "content", None) if version else None
        if content is None:
            continue
        if captured.own and captured.kind == "post":
            _ask_for_author(captured, content)
        elif captured.own:
            _close_answered(captured, content)
        elif captured.kind == "message" or looks_like_question(content.text):
            question_from_capture(captured, content)


def post_is_logged(content: CapturedContent) -> bool:
    return bool(content.permalink) and Post.objects.filter(link=content.permalink).exists()


def _ask_for_author(captured: CapturedObject, content: CapturedContent) -> None:
    if post_is_logged(content):
        return
    AuthorRequest(captured=captured).save()
    notify(
        recipients=account_people(captured.account_id),
        subject=_("Vem skrev inlägget? Logga skribenten (§3)"),
        body=_(
            "Ett inlägg från kontot hämtades utan att någon loggat vem som skrev det. "
            "Skribenten följer diskussionen och svarar på frågor (§3). Logga inlägget "
            "med skribent och länken %(link)s."
        )
        % {"link": content.permalink or captured.platform_id},
        url=reverse("moderation:post_create", args=[captured.account_id]),
    )


def question_from_capture(captured: CapturedObject, content: CapturedContent) -> Question | None:
    """§5: the question's clock starts at capture time (the moment the
    municipality could know of it), due by the account's response time."""
    if hasattr(captured, "question_link"):
        return captured.question_link.question
    logged_by = _owner(captured.account_id)
    if logged_by is None:
        return None
    account = captured.account
    received_at = captured.first_seen_at
    question = Question(
        account=account,
        received_at=received_at,
        asker=(content.author_name or content.author_platform_id or _("okänd avsändare"))[:200],
        text=content.text or _("(meddelande utan text)"),
        link=content.permalink[:500],
        due_at=clock.due_at(received_at, account.response_hours, account.response_clock),
        logged_by=logged_by,
    )
    question.save()
    CapturedQuestion(question=question, captured=captured).save()
    return question


def _close_answered(captured: CapturedObject, content: CapturedContent) -> None:
    """The account's own reply or message answers the open captured question it
    replies to (a reply's parent; a message's recipient's latest question)."""
    target = None
    if captured.parent_id is not None:
        target = CapturedQuestion.objects.filter(captured_id=captured.parent_id).first()
    elif captured.kind == "message":
        raw: dict[str, Any] = content.raw or {}
        to: list[dict[str, Any]] = (raw.get("to") or {}).get("data", [])
        recipient = str(
            (raw.get("recipient") or {}).get("id") or (to[0] if to else {}).get("id", "")
        )
        if recipient:
            target = (
                CapturedQuestion.objects.filter(
                    captured__connection_id=captured.connection_id,
                    captured__versions__content__author_platform_id=recipient,
                    question__status__in=Question.UNANSWERED,
                )
                .order_by("-question__received_at")
                .first()
            )
    if target is None:
        return
    question = Question.objects.select_for_update().get(pk=target.question_id)
    if not question.can_move_to(Question.Status.ANSWERED):
        return
    question.status = Question.Status.ANSWERED
    question.answer = content.text or _("(svar utan text)")
    question.answered_at = max(captured.first_seen_at, question.received_at)
    question.save()


def captured_content_for_action(captured: CapturedObject) -> dict:
    """The latest visible content, to fill in a moderation action (§5: the
    content preserved as it was)."""
    version = (
        CapturedVersion.objects.filter(captured=captured, content__isnull=False)
        .exclude(state=CapturedVersion.State.GONE)
        .select_related("content")
        .order_by("-number")
        .first()
    )
    if version is None:
        return {}
    return {
        "content_author": version.content.author_name[:200],
        "content_text": version.content.text,
        "content_link": version.content.permalink[:500],
        "content_posted_at": captured.published_at,
        "captured_at": captured.first_seen_at,
    }


@transaction.atomic
def action_log_from_capture(*, captured_id: int, actor: User, data) -> ModerationAction:
    """Log the moderation action for a captured comment with the capture as its
    evidence (the screenshot optional then). For barnpornografi nothing of the
    content is copied and the capture of it is purged (1998:112 § 5)."""
    from moderation import services as moderation_services

    captured = CapturedObject.objects.select_for_update().get(pk=captured_id)
    if hasattr(captured, "purge"):
        raise ServiceError(_("Innehållet är rensat och kan inte loggas på nytt."))
    if CaptureEvidence.objects.filter(captured=captured).exists():
        raise ServiceError(_("Det finns redan en åtgärd loggad för det här innehållet."))
    no_content = data.category in NO_CONTENT_CATEGORIES
    if no_content:
        data.content_text = data.content_link = ""
    record = moderation_services.action_log(account_id=captured.account_id, actor=actor, data=data)
    CaptureEvidence(action=record, captured=captured).save()
    if no_content:
        purge_captured(captured=captured, action=record, actor=actor)
    return record


def purge_captured(
    *, captured: CapturedObject, action: ModerationAction, actor: User
) -> CapturePurge:
    """Remove every stored content of the object and its raw events and WARC
    records; keep the object's and versions' metadata and hashes, so the
    chain still verifies, and a purge entry saying so."""
    from moderation.capture.warc import remove_records_mentioning

    contents = CapturedContent.objects.filter(version__captured=captured)
    removed = contents.count()
    contents.delete()  # queryset delete: the purge is the record of it
    raw = RawEvent.objects.filter(object_platform_id=captured.platform_id)
    raw_removed = raw.count()
    raw.delete()
    warc_removed = remove_records_mentioning(captured.connection_id, captured.platform_id)
    purge = CapturePurge(
        captured=captured,
        action=action,
        purged_by=actor,
        contents_removed=removed,
        raw_events_removed=raw_removed,
        warc_records_removed=warc_removed,
    )
    purge.save()
    return purge
