"""A small world with known answers for the yearly report, on both sides of a
year boundary: the period is 2025-07-01 – 2026-06-30."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.models import PolicyAcknowledgement
from activity_plans.models import ActivityPlan
from channels_registry.compliance.models import Finding
from channels_registry.models import AccountMember, SocialAccount
from moderation.models import Escalation, ModerationAction, Post, Question
from nora_social.reports.tables import Period
from tests.factories import (
    CompetenceFactory,
    MemberFactory,
    PlatformFactory,
    SocialAccountFactory,
    UserFactory,
)

STHLM = ZoneInfo("Europe/Stockholm")
PERIOD = Period(datetime.date(2025, 7, 1), datetime.date(2026, 6, 30))


def at(y, m, d, h=12, minute=0):
    return datetime.datetime(y, m, d, h, minute, tzinfo=STHLM)


def _action(account, category, when, logger, **kw):
    return ModerationAction.objects.create(
        account=account,
        action=ModerationAction.Action.HIDDEN,
        origin=ModerationAction.Origin.CITIZEN,
        category=category,
        reason="Enligt reglerna.",
        content_author="Någon",
        content_text="Text som togs bort",
        logged_by=logger,
        logged_at=when,
        **kw,
    )


def _question(account, received, due, answered, logger):
    return Question.objects.create(
        account=account,
        received_at=received,
        asker="Frågaren",
        text="En fråga",
        due_at=due,
        status=Question.Status.ANSWERED if answered else Question.Status.OPEN,
        answered_at=answered,
        answer="Svar" if answered else "",
        logged_by=logger,
    )


@pytest.fixture
def world(org, info_officer):
    facebook = PlatformFactory(slug="facebook", name="Facebook")
    instagram = PlatformFactory(
        slug="instagram", name="Instagram", requires_public_without_login=False
    )
    ks_unit = org["unit"]
    bun_unit = org["other_unit"]
    a = SocialAccountFactory(
        unit=ks_unit,
        platform=facebook,
        display_name="Nora kommun Alfa",
        status=SocialAccount.Status.ACTIVE,
        planned_on=datetime.date(2024, 1, 10),
        activated_on=datetime.date(2024, 2, 1),
        posts_min=4,
        posts_period="month",
    )
    b = SocialAccountFactory(
        unit=ks_unit,
        platform=instagram,
        display_name="Nora kommun Beta",
        status=SocialAccount.Status.ACTIVE,
        planned_on=datetime.date(2026, 3, 1),
        activated_on=datetime.date(2026, 4, 1),
        posts_min=1,
        posts_period="month",
    )
    c = SocialAccountFactory(
        unit=bun_unit,
        platform=facebook,
        display_name="Nora kommun Skolan",
        status=SocialAccount.Status.CLOSED,
        planned_on=datetime.date(2023, 1, 1),
        activated_on=datetime.date(2023, 2, 1),
        closing_on=datetime.date(2026, 5, 1),
        closed_on=datetime.date(2026, 5, 31),
    )
    SocialAccountFactory(
        unit=bun_unit,
        platform=facebook,
        display_name="Nora kommun Gammal",
        status=SocialAccount.Status.CLOSED,
        planned_on=datetime.date(2024, 6, 1),
        activated_on=datetime.date(2024, 6, 15),
        closed_on=datetime.date(2025, 6, 30),
    )
    since = datetime.date(2024, 1, 1)
    owner = UserFactory(username="agare", unit=ks_unit)
    deputy = UserFactory(username="ersattare", unit=ks_unit, acknowledged=False)
    PolicyAcknowledgement.objects.filter(user=deputy).delete()
    MemberFactory(account=a, user=owner, role=AccountMember.Role.OWNER, starts_on=since)
    MemberFactory(account=a, user=deputy, role=AccountMember.Role.DEPUTY, starts_on=since)
    MemberFactory(account=b, user=owner, role=AccountMember.Role.OWNER, starts_on=since)
    CompetenceFactory(user=owner, platform="facebook")
    ActivityPlan.objects.create(
        author=owner,
        unit=ks_unit,
        account=a,
        platform=facebook,
        status=ActivityPlan.Status.APPROVED,
        approved_at=at(2025, 3, 1),
    )
    logger = owner
    for day in range(1, 6):
        Post.objects.create(
            account=a, published_at=at(2025, 7, day), text="Nyhet", author=logger, logged_by=logger
        )
    for day in (10, 20):
        Post.objects.create(
            account=a, published_at=at(2026, 1, day), text="Nyhet", author=logger, logged_by=logger
        )
    Post.objects.create(
        account=a, published_at=at(2025, 6, 30), text="Före", author=logger, logged_by=logger
    )
    # Questions: before, in (on time), in across the new year (late), in (open), after.
    _question(a, at(2025, 6, 30, 10), at(2025, 6, 30, 17), at(2025, 6, 30, 11), logger)
    _question(a, at(2025, 7, 1, 9), at(2025, 7, 1, 17), at(2025, 7, 1, 11), logger)
    _question(a, at(2025, 12, 30, 16), at(2025, 12, 30, 17), at(2026, 1, 2, 10), logger)
    _question(a, at(2026, 6, 30, 8), at(2026, 6, 30, 17), None, logger)
    _question(a, at(2026, 7, 1, 9), at(2026, 7, 1, 17), None, logger)
    threat = _action(a, "olaga_hot", at(2026, 1, 15), logger)
    Escalation.objects.create(
        action=threat, outcome=Escalation.Outcome.REPORTED, created_at=at(2026, 1, 15)
    )
    _action(a, "reklam", at(2025, 8, 1), logger)
    _action(a, "reklam", at(2025, 6, 1), logger)
    _action(c, "krankande", at(2026, 2, 1), logger)
    wrong = _action(a, "personangrepp", at(2025, 9, 1), logger)
    _action(a, "personangrepp", at(2025, 9, 2), logger, supersedes=wrong, correction_note="Fel tid")
    finding = {"severity": Finding.Severity.MEDIUM, "message": "Brist"}
    Finding.objects.create(
        rule_code="deputy",
        account=a,
        opened_at=at(2025, 6, 1),
        resolved_at=at(2025, 7, 11),
        **finding,
    )
    Finding.objects.create(rule_code="deputy", account=b, opened_at=at(2026, 5, 1), **finding)
    Finding.objects.create(
        rule_code="no_approved_plan",
        account=b,
        opened_at=at(2026, 4, 2),
        resolved_at=at(2026, 7, 5),
        **finding,
    )
    Finding.objects.create(
        rule_code="no_approved_plan", account=b, opened_at=at(2026, 7, 2), **finding
    )
    return {"a": a, "b": b, "c": c, "bun": bun_unit.administration, "ks": ks_unit.administration}
