"""Helpers shared by the compliance tests (plain functions, not fixtures)."""

import datetime

from django.utils import timezone

from accounts.models import User
from channels_registry.models import (
    AccountMember,
    ChecklistConfirmation,
    EscrowDeposit,
    Finding,
    SocialAccount,
)
from channels_registry.selectors import required_checklist_items

# The register's own rules; other apps' rules are tested in their apps.
REGISTER_RULES = (
    "people_rules",
    "deputy",
    "escrow_missing_or_stale",
    "checklist_incomplete",
    "coverage",
    "account_address",
)


def sweep(**kwargs):
    from channels_registry.compliance.engine import run_sweep

    return run_sweep(codes=REGISTER_RULES, **kwargs)


# Memberships start well before any frozen time a test travels to.
SINCE = datetime.date(2020, 1, 1)


def compliant_account(unit, owner: User, deputy: User, platform) -> SocialAccount:
    """An active account that breaks no rule of the register."""
    from channels_registry.member_services import _grant_object_perms
    from tests.factories import SocialAccountFactory

    account = SocialAccountFactory(
        unit=unit,
        platform=platform,
        status=SocialAccount.Status.ACTIVE,
        activated_on=timezone.localdate(),
    )
    owner_member = AccountMember.objects.create(
        account=account,
        user=owner,
        role=AccountMember.Role.OWNER,
        holds_credentials=True,
        starts_on=SINCE,
    )
    deputy_member = AccountMember.objects.create(
        account=account,
        user=deputy,
        role=AccountMember.Role.DEPUTY,
        holds_credentials=True,
        starts_on=SINCE,
    )
    for member in (owner_member, deputy_member):
        _grant_object_perms(member)  # as the membership service does
    EscrowDeposit.objects.create(
        account=account,
        kind=EscrowDeposit.Kind.NAMED_ROLES,
        business_account="Nora kommun BM",
        business_recovery="recovery-secret-xyz",
        deposited_by=owner,
    )
    for item in required_checklist_items(account):
        ChecklistConfirmation.objects.create(account=account, item=item, confirmed_by=owner)
    return account


def open_codes(account: SocialAccount) -> set[str]:
    return set(
        Finding.objects.filter(account=account, resolved_at__isnull=True).values_list(
            "rule_code", flat=True
        )
    )
