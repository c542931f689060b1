"""Reads of the deposited access, and when it must be changed (§3)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from channels_registry.escrow.models import EscrowDeposit
from channels_registry.models import SocialAccount


def current_deposit(account: SocialAccount) -> EscrowDeposit | None:
    return (
        account.escrow_deposits.filter(retired_at__isnull=True)
        .defer(*EscrowDeposit.SECRET_FIELDS)
        .first()
    )


def escrow_rotation_due(deposited_at: datetime.datetime) -> datetime.datetime:
    """When escrowed access must be changed and deposited again (§3): the
    deposit's local time plus ESCROW_ROTATION_MONTHS calendar months. The escrow
    page's "change before" date and the sweep's stale-escrow rule both use this."""
    return timezone.localtime(deposited_at) + relativedelta(months=settings.ESCROW_ROTATION_MONTHS)


def escrow_is_stale(deposited_at: datetime.datetime, now: datetime.datetime) -> bool:
    return now >= escrow_rotation_due(deposited_at)
