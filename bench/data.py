"""Benchmark data, generated with a fixed seed and bulk inserts (never committed).

``make_accounts`` builds active accounts in N administrations with an owner and a
deputy each, the way the public list and the pages see them; ``make_compliance_data``
adds what the sweep reads: escrow, checklists, plans, posts, questions, absences."""

import datetime
import random

from django.utils import timezone

SEED = 20141112
BATCH = 2000


def make_accounts(n: int, *, administrations: int = 10, seed: int = SEED) -> dict:
    from accounts.models import Administration, Unit, User
    from channels_registry.models import AccountMember, Platform, SocialAccount

    rng = random.Random(seed)
    today = timezone.localdate()
    platforms = [
        Platform.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "access_kind": Platform.AccessKind.NAMED_ROLES,
                "requires_public_without_login": slug == "facebook",
            },
        )[0]
        for slug, name in [
            ("facebook", "Facebook"),
            ("instagram", "Instagram"),
            ("linkedin", "LinkedIn"),
            ("youtube", "YouTube"),
        ]
    ]
    admins = Administration.objects.bulk_create(
        Administration(name=f"Förvaltning {i:02d}", register_series=f"F{i:02d}")
        for i in range(administrations)
    )
    units = Unit.objects.bulk_create(
        Unit(administration=a, name=f"Enhet {a.name[-2:]}-{j:02d}")
        for a in admins
        for j in range(10)
    )
    users = User.objects.bulk_create(
        (
            User(
                username=f"bench{i}",
                first_name=rng.choice(["Anna", "Erik", "Maria", "Lars", "Karin", "Johan"]),
                last_name=rng.choice(["Andersson", "Johansson", "Karlsson", "Nilsson"]),
                email=f"bench{i}@nora.se",
                password="!",  # noqa: S106 - unusable password, as set_unusable_password
                unit=units[(i // 2) % len(units)],
            )
            for i in range(2 * n)
        ),
        batch_size=BATCH,
    )
    accounts = SocialAccount.objects.bulk_create(
        (
            SocialAccount(
                platform=platforms[i % len(platforms)],
                unit=units[i % len(units)],
                display_name=f"Nora kommun {units[i % len(units)].name} {i:05d}",
                handle=f"norakommun.bench{i}",
                url=f"https://www.example.org/norakommun.bench{i}",
                purpose="Informera invånare om verksamheten och svara på frågor. " * 2,
                contact=f"bench{i}@nora.se",
                posts_min=rng.choice([1, 2, 3]),
                update_frequency_text="Ett par gånger i veckan",
                response_time_text="Vi svarar inom en arbetsdag",
                status=SocialAccount.Status.ACTIVE,
                planned_on=today - datetime.timedelta(days=400),
                activated_on=today - datetime.timedelta(days=rng.randint(40, 2000)),
            )
            for i in range(n)
        ),
        batch_size=BATCH,
    )
    AccountMember.objects.bulk_create(
        (
            AccountMember(
                account=account,
                user=users[2 * i + k],
                role=role,
                holds_credentials=True,
                starts_on=today - datetime.timedelta(days=400),
            )
            for i, account in enumerate(accounts)
            for k, role in enumerate([AccountMember.Role.OWNER, AccountMember.Role.DEPUTY])
        ),
        batch_size=BATCH,
    )
    return {"administrations": admins, "units": units, "users": users, "accounts": accounts}


def question_rows(numbered_accounts, users, rng, *, now, per_account, hours, statuses):
    """``per_account`` questions for each (i, account), logged by its owner
    ``users[2 * i]``, received ``hours`` ago (a range) and due a day later."""
    from moderation.models import Question

    return (
        Question(
            account=a,
            received_at=now - datetime.timedelta(hours=h),
            asker="En invånare",
            text="När öppnar simhallen igen?",
            due_at=now - datetime.timedelta(hours=h - 24),
            status=rng.choice(statuses),
            logged_by=users[2 * i],
        )
        for i, a in numbered_accounts
        for h in (rng.randint(*hours) for _ in range(per_account))
    )


def make_compliance_data(made: dict, *, seed: int = SEED) -> None:
    """Escrow for 90 %, checklists, an approved plan for 80 %, about ten posts and
    four questions per account (some overdue), absences for one person in ten."""
    from accounts.models import Absence
    from activity_plans.models import ActivityPlan
    from channels_registry.models import (
        ChecklistConfirmation,
        EscrowDeposit,
        SocialAccount,
    )
    from channels_registry.selectors import required_checklist_items
    from moderation.models import Post, Question

    rng = random.Random(seed + 1)
    now = timezone.now()
    today = timezone.localdate()
    accounts, users = made["accounts"], made["users"]
    for a in accounts:
        a.platform = a.platform  # cached: required_checklist_items reads it
    # Encryption per row is the slow part of escrow; one ciphertext is reused.
    deposit = EscrowDeposit(kind=EscrowDeposit.Kind.NAMED_ROLES, business_account="Nora BM")
    EscrowDeposit.objects.bulk_create(
        (
            EscrowDeposit(
                account=a,
                kind=deposit.kind,
                business_account=deposit.business_account,
                deposited_by=users[2 * i],
                deposited_at=now - datetime.timedelta(days=rng.randint(1, 500)),
            )
            for i, a in enumerate(accounts)
            if rng.random() < 0.9
        ),
        batch_size=BATCH,
    )
    ChecklistConfirmation.objects.bulk_create(
        (
            ChecklistConfirmation(account=a, item=item, confirmed_by=users[2 * i])
            for i, a in enumerate(accounts)
            for item in required_checklist_items(a)
            if rng.random() < 0.97
        ),
        batch_size=BATCH,
    )
    ActivityPlan.objects.bulk_create(
        (
            ActivityPlan(
                author=users[2 * i],
                unit=a.unit,
                account=a,
                status=ActivityPlan.Status.APPROVED,
                platform=a.platform,
                display_name=a.display_name,
                handle=a.handle,
                owner=users[2 * i],
                deputy=users[2 * i + 1],
                approved_at=now - datetime.timedelta(days=300),
            )
            for i, a in enumerate(accounts)
            if rng.random() < 0.8
        ),
        batch_size=BATCH,
    )
    Post.objects.bulk_create(
        (
            Post(
                account=a,
                author=users[2 * i],
                published_at=now - datetime.timedelta(hours=rng.randint(1, 24 * 45)),
                text="Välkommen till öppet hus på biblioteket.",
                logged_by=users[2 * i],
            )
            for i, a in enumerate(accounts)
            for _ in range(rng.randint(0, 20))
        ),
        batch_size=BATCH,
    )
    Question.objects.bulk_create(
        question_rows(
            enumerate(accounts),
            users,
            rng,
            now=now,
            per_account=4,
            hours=(1, 24 * 20),
            statuses=[Question.Status.ANSWERED] * 3 + [Question.Status.OPEN],
        ),
        batch_size=BATCH,
    )
    Absence.objects.bulk_create(
        (
            Absence(
                user=u,
                starts_on=today + datetime.timedelta(days=rng.randint(-10, 20)),
                ends_on=today + datetime.timedelta(days=rng.randint(21, 40)),
            )
            for u in users
            if rng.random() < 0.1
        ),
        batch_size=BATCH,
    )
    assert SocialAccount.objects.filter(status=SocialAccount.Status.ACTIVE).count() == len(accounts)
