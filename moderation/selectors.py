"""Reads for moderation, already filtered by permission and prefetched so a list
costs the same number of queries however long it is."""

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from channels_registry.models import AccountMember, SocialAccount
from channels_registry.selectors import accounts_visible_to
from moderation.models import Escalation, ModerationAction, Post, PostCorrection, Question
from moderation.permissions import can_view_all_escalations


def accounts_for_moderation(user: User, now=None) -> QuerySet[SocialAccount]:
    """The accounts a person may see, with their open and overdue questions."""
    now = now or timezone.now()
    unanswered = Q(questions__status__in=Question.UNANSWERED)
    return (
        accounts_visible_to(user)
        .exclude(status=SocialAccount.Status.PLANNED)
        .annotate(
            open_questions=Count("questions", filter=unanswered, distinct=True),
            overdue_questions=Count(
                "questions", filter=unanswered & Q(questions__due_at__lt=now), distinct=True
            ),
        )
        .order_by("display_name")
    )


def posts_for(account: SocialAccount) -> QuerySet[Post]:
    return (
        Post.objects.filter(account=account)
        .select_related("author")
        .annotate(
            correction_count=Count("corrections", distinct=True),
            withdrawn=Exists(ModerationAction.objects.filter(post=OuterRef("pk"))),
        )
        .order_by("-published_at", "-pk")
    )


def post_detail(post_id: int) -> Post | None:
    return (
        Post.objects.select_related("account__platform", "account__unit", "author", "logged_by")
        .prefetch_related(
            Prefetch(
                "corrections",
                queryset=PostCorrection.objects.select_related("logged_by"),
            ),
            Prefetch("removals", queryset=ModerationAction.objects.select_related("logged_by")),
        )
        .filter(pk=post_id)
        .first()
    )


def _actions() -> QuerySet[ModerationAction]:
    return ModerationAction.objects.select_related(
        "account__platform", "logged_by", "escalation", "superseded_by"
    )


def actions_for(account: SocialAccount) -> QuerySet[ModerationAction]:
    return _actions().filter(account=account)


def actions_visible_to(
    user: User, *, category: str = "", account_id: int | None = None
) -> QuerySet[ModerationAction]:
    """For the registrar and anyone else who may see the accounts: every
    removal, newest first (removed content is a public record, §10)."""
    qs = _actions().filter(account__in=accounts_visible_to(user).values("pk"))
    if category:
        qs = qs.filter(category=category)
    if account_id:
        qs = qs.filter(account_id=account_id)
    return qs


def questions_for(account: SocialAccount) -> QuerySet[Question]:
    return Question.objects.filter(account=account).select_related("assigned_to")


def escalations_visible_to(user: User) -> QuerySet[Escalation]:
    qs = Escalation.objects.select_related(
        "action__account__platform", "reported_by", "decided_by"
    ).order_by("outcome", "-created_at")
    if can_view_all_escalations(user):
        return qs
    return qs.filter(action__account__in=accounts_visible_to(user).values("pk"))


def queue_for(user: User) -> QuerySet[Question]:
    """Questions forwarded to this person and not yet answered."""
    return (
        Question.objects.filter(assigned_to=user, status=Question.Status.FORWARDED)
        .select_related("account__platform")
        .order_by("due_at")
    )


def overdue_for(user: User, now: datetime.datetime | None = None) -> QuerySet[Question]:
    """Unanswered past their due time, on the accounts the person may see (the
    owner's, the manager's) or forwarded to them."""
    now = now or timezone.now()
    return (
        Question.objects.filter(status__in=Question.UNANSWERED, due_at__lt=now)
        .filter(Q(account__in=accounts_visible_to(user).values("pk")) | Q(assigned_to=user))
        .select_related("account__platform", "assigned_to")
        .order_by("due_at")
    )


def awaiting_registration() -> QuerySet[ModerationAction]:
    """Secret content marked for the register (§10, OSL 5 kap. 1 §). The archive
    links each to its register entry; these records themselves never change."""
    return _actions().filter(for_registration=True).order_by("logged_at")


# A question is "about to be overdue" on the start page this long before its due time.
DUE_SOON = datetime.timedelta(hours=24)


def _on_accounts(user: User):
    return AccountMember.objects.current().filter(user=user).values("account_id")


def todos(user: User, now: datetime.datetime | None = None) -> list:
    """Start page: unanswered questions on the person's accounts (or forwarded to
    them) due within a day, each with its link, and how many are already late."""
    from accounts.navigation import TodoItem

    now = now or timezone.now()
    mine = Question.objects.filter(status__in=Question.UNANSWERED).filter(
        Q(account__in=_on_accounts(user)) | Q(assigned_to=user)
    )
    items = [
        TodoItem(
            _("Fråga på %(account)s ska besvaras senast %(due)s")
            % {
                "account": q.account.display_name,
                "due": date_format(timezone.localtime(q.due_at), "Y-m-d H:i"),
            },
            reverse("moderation:question_detail", args=[q.pk]),
            order=20,
        )
        for q in mine.filter(due_at__gte=now, due_at__lt=now + DUE_SOON)
        .select_related("account")
        .order_by("due_at")[:20]
    ]
    late = mine.filter(due_at__lt=now).count()
    if late:
        items.insert(
            0,
            TodoItem(
                ngettext(
                    "%(count)d fråga är inte besvarad i tid",
                    "%(count)d frågor är inte besvarade i tid",
                    late,
                )
                % {"count": late},
                reverse("moderation:overdue"),
                order=19,
            ),
        )
    return items
