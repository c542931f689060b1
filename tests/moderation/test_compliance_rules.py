"""The two moderation rules in the compliance engine: questions unanswered past
the response time (§3, §5) and fewer posts than promised (§4, §5)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from channels_registry.compliance.engine import SweepContext, get_rule, run_sweep
from channels_registry.models import Finding, SocialAccount
from moderation import questions
from moderation.compliance import month_before
from moderation.models import Post, Question
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

RULES = ("questions_overdue", "posts_below_promise")


def sweep(now=None):
    return run_sweep(codes=RULES, now=now)


def _ctx(now=None):
    now = now or timezone.now()
    return SweepContext(now=now, today=timezone.localdate(now))


def _hits(code, now=None):
    return list(get_rule(code).evaluate(_ctx(now)))


def _posts(account, author, n, *, ago=datetime.timedelta(days=1)):
    Post.objects.bulk_create(
        Post(
            account=account,
            author=author,
            published_at=timezone.now() - ago,
            text=f"Inlägg {i}",
            logged_by=author,
        )
        for i in range(n)
    )


def test_both_rules_are_registered_with_the_engine():
    assert get_rule("questions_overdue").time_critical is True
    assert get_rule("posts_below_promise") is not None


def test_overdue_question_opens_a_finding_and_answering_resolves_it(account, staff):
    question = questions.question_log(
        account_id=account.pk,
        actor=staff,
        received_at=timezone.now() - datetime.timedelta(days=10),
        asker="Eva",
        text="Fråga?",
    )
    summary = sweep()
    assert summary.per_rule["questions_overdue"] == 1
    finding = Finding.objects.get(rule_code="questions_overdue", resolved_at__isnull=True)
    assert finding.account == account
    questions.question_answer(question_id=question.pk, actor=staff, answer="Svar.")
    sweep()
    finding.refresh_from_db()
    assert finding.resolved_at is not None


def test_question_within_its_time_is_not_a_finding(account, staff):
    questions.question_log(
        account_id=account.pk, actor=staff, received_at=timezone.now(), asker="Eva", text="?"
    )
    assert _hits("questions_overdue") == []


def test_overdue_rule_runs_in_the_time_critical_sweep(account, staff):
    questions.question_log(
        account_id=account.pk,
        actor=staff,
        received_at=timezone.now() - datetime.timedelta(days=10),
        asker="Eva",
        text="?",
    )
    summary = run_sweep(time_critical_only=True)
    assert summary.per_rule.get("questions_overdue") == 1
    assert "posts_below_promise" not in summary.per_rule


def test_fewer_posts_than_promised_per_week_is_a_finding(account, staff):
    account.posts_min = 3
    account.posts_period = "week"
    account.save()
    _posts(account, staff, 2)
    _posts(account, staff, 5, ago=datetime.timedelta(days=8))  # last week: do not count
    hits = _hits("posts_below_promise")
    assert [h.account_id for h in hits] == [account.pk]
    assert "2 inlägg" in hits[0].message
    _posts(account, staff, 1)
    assert _hits("posts_below_promise") == []


def test_monthly_promise_counts_the_last_month(account, staff):
    account.posts_min = 2
    account.posts_period = "month"
    account.save()
    _posts(account, staff, 2, ago=datetime.timedelta(days=20))
    assert _hits("posts_below_promise") == []
    _posts(account, staff, 2, ago=datetime.timedelta(days=40))
    account.posts_min = 3
    account.save()
    assert [h.account_id for h in _hits("posts_below_promise")] == [account.pk]


def test_account_not_yet_active_for_a_full_period_is_left_alone(account, staff):
    account.posts_min = 3
    account.activated_on = timezone.localdate() - datetime.timedelta(days=3)
    account.save()
    assert _hits("posts_below_promise") == []
    account.activated_on = timezone.localdate() - datetime.timedelta(days=8)
    account.save()
    assert [h.account_id for h in _hits("posts_below_promise")] == [account.pk]


def test_closing_or_planned_accounts_are_not_held_to_the_promise(account, staff):
    account.status = SocialAccount.Status.CLOSING
    account.save()
    assert _hits("posts_below_promise") == []


def test_month_before_clips_to_the_shorter_month():
    moment = datetime.datetime(2026, 3, 31, 12, 0, tzinfo=datetime.UTC)
    assert month_before(moment) == datetime.datetime(2026, 2, 28, 12, 0, tzinfo=datetime.UTC)
    january = datetime.datetime(2026, 1, 15, tzinfo=datetime.UTC)
    assert month_before(january) == datetime.datetime(2025, 12, 15, tzinfo=datetime.UTC)


def _bulk(n: int, unit, platform) -> None:
    """n active accounts a year old, each with one overdue question and no posts."""
    author = User.objects.create(username=f"bulkauthor{unit.pk}")
    accounts = SocialAccount.objects.bulk_create(
        SocialAccount(
            platform=platform,
            unit=unit,
            display_name=f"Nora kommun Konto {i}",
            handle=f"norakommun.m{unit.pk}x{i}",
            purpose="Informera.",
            contact="konto@nora.se",
            update_frequency_text="Varje vecka",
            response_time_text="Inom en dag",
            status=SocialAccount.Status.ACTIVE,
            activated_on=timezone.localdate() - datetime.timedelta(days=365),
            posts_min=2,
            posts_period="week" if i % 2 else "month",
        )
        for i in range(n)
    )
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Question.objects.bulk_create(
        Question(
            account=a,
            received_at=long_ago,
            due_at=long_ago + datetime.timedelta(days=1),
            asker="Någon",
            text="?",
            logged_by=author,
        )
        for a in accounts
    )


@pytest.mark.parametrize("code", RULES)
def test_each_rule_runs_the_same_number_of_queries_for_10_and_100_accounts(code, org, platform):
    counts = []
    for n in (10, 100):
        unit = UnitFactory(administration=org["administration"])
        _bulk(n, unit, platform)
        with CaptureQueriesContext(connection) as queries:
            hits = _hits(code)
        in_unit = set(SocialAccount.objects.filter(unit=unit).values_list("pk", flat=True))
        assert len([h for h in hits if h.account_id in in_unit]) == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_overdue_message_says_fraga_for_one_and_fragor_for_more(account, staff):
    def log():
        questions.question_log(
            account_id=account.pk,
            actor=staff,
            received_at=timezone.now() - datetime.timedelta(days=10),
            asker="Eva",
            text="Fråga?",
        )

    log()
    [one] = _hits("questions_overdue")
    assert one.message.startswith("1 fråga är obesvarad efter utlovad svarstid;")
    log()
    [two] = _hits("questions_overdue")
    assert two.message.startswith("2 frågor är obesvarade efter utlovad svarstid;")
    assert "/" not in one.message + two.message
