"""The register's own compliance rules (§3, §4, §5).

Each rule evaluates every account in scope in a fixed number of queries (the
accounts, then one prefetch per related table), never one query per account.
Other apps register their rules (no approved plan, posts below promise,
questions overdue, snapshots) from their own ``compliance.py``.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Absence
from channels_registry.engine import Hit, SweepContext, rule
from channels_registry.models import (
    AccessRequest,
    AccountMember,
    ChecklistConfirmation,
    ChecklistItem,
    EscrowDeposit,
    Finding,
    SocialAccount,
)
from channels_registry.rules import deputy_problems, people_problems
from channels_registry.selectors import current_members_prefetch, required_checklist_items

RESPONSIBLE = gettext_lazy("Kontoansvarig, därefter enhetschef och förvaltningschef")
COVERAGE_WARNING_DAYS = 14


def _active(ctx: SweepContext):
    return ctx.scope(SocialAccount.objects.filter(status=SocialAccount.Status.ACTIVE)).order_by(
        "pk"
    )


def _active_with_members(ctx: SweepContext):
    return _active(ctx).prefetch_related(current_members_prefetch(ctx.today)).only("pk")


@rule(
    code="people_rules",
    title=gettext_lazy("Reglerna för kontots personer är brutna"),
    severity=Finding.Severity.HIGH,
    policy_section="§3, §5",
    responsible=RESPONSIBLE,
    time_critical=True,
)
def people_rules(ctx: SweepContext):
    for account in _active_with_members(ctx):
        problems = people_problems(account.current_members, ctx.today)
        if problems:
            yield Hit(account.pk, " ".join(problems))


@rule(
    code="deputy",
    title=gettext_lazy("Ersättare saknas"),
    severity=Finding.Severity.HIGH,
    policy_section="§5",
    responsible=RESPONSIBLE,
    time_critical=True,
)
def deputy(ctx: SweepContext):
    for account in _active_with_members(ctx):
        problems = deputy_problems(account.current_members, ctx.today)
        if problems:
            yield Hit(account.pk, " ".join(problems))


@rule(
    code="escrow_missing_or_stale",
    title=gettext_lazy("Inloggningsuppgifterna är inte deponerade eller är för gamla"),
    severity=Finding.Severity.HIGH,
    policy_section="§3",
    responsible=RESPONSIBLE,
)
def escrow_missing_or_stale(ctx: SweepContext):
    """§3: the information officer holds the access, so no account is one nobody
    can reach. A deposit older than the rotation period is as good as none."""
    months = settings.ESCROW_ROTATION_MONTHS
    oldest_fresh = ctx.now - relativedelta(months=months)
    deposits = Prefetch(
        "escrow_deposits",
        # Secrets are never loaded here: only when and what kind.
        queryset=EscrowDeposit.objects.filter(retired_at__isnull=True).only(
            "pk", "account_id", "deposited_at"
        ),
        to_attr="current_deposits",
    )
    for account in _active(ctx).prefetch_related(deposits).only("pk"):
        deposit = account.current_deposits[0] if account.current_deposits else None
        if deposit is None:
            yield Hit(
                account.pk,
                _(
                    "Inloggningsuppgifterna är inte deponerade hos informationsansvarig (§3). "
                    "Deponera åtkomsten."
                ),
                key="missing",
            )
        elif deposit.deposited_at < oldest_fresh:
            yield Hit(
                account.pk,
                _(
                    "Den deponerade åtkomsten är från %(date)s, äldre än %(months)s månader. "
                    "Byt lösenord eller kontrollera rollerna och deponera på nytt (§3)."
                )
                % {"date": deposit.deposited_at.date().isoformat(), "months": months},
                key="stale",
            )


@rule(
    code="checklist_incomplete",
    title=gettext_lazy("Kontots utseende uppfyller inte kraven"),
    severity=Finding.Severity.MEDIUM,
    policy_section="§4",
    responsible=RESPONSIBLE,
)
def checklist_incomplete(ctx: SweepContext):
    """§4 and lag (1998:112) § 3: what the account itself must show; on Facebook
    also that the page can be read without logging in."""
    confirmations = Prefetch(
        "checklist",
        queryset=ChecklistConfirmation.objects.only("pk", "account_id", "item"),
        to_attr="confirmed_items",
    )
    labels = dict(ChecklistItem.choices)
    accounts = (
        _active(ctx)
        .select_related("platform")
        .prefetch_related(confirmations)
        .only("pk", "platform__requires_public_without_login")
    )
    for account in accounts:
        done = {c.item for c in account.confirmed_items}
        missing = [item for item in required_checklist_items(account) if item not in done]
        if missing:
            yield Hit(
                account.pk,
                _("Kontot saknar: %(items)s (§4).")
                % {"items": "; ".join(str(labels[item]) for item in missing)},
            )


def _days(start: datetime.date, end: datetime.date):
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


def _uncovered_periods(account, absences_by_user, grants, today, horizon):
    """The runs of days in which every credential holder is away and no covering
    manager has been granted access. Days before today use today's holders, so an
    absence already under way keeps its start date (the finding's key)."""
    holders = account.credential_holders

    def holders_on(day):
        on = max(day, today)
        return [
            m
            for m in holders
            if m.starts_on <= on
            and (m.ends_on is None or m.ends_on >= on)
            and m.user.is_current(on)
        ]

    def away(user_id, day):
        return any(a.starts_on <= day <= a.ends_on for a in absences_by_user.get(user_id, ()))

    def uncovered(day):
        people = holders_on(day)
        if not people or not all(away(m.user_id, day) for m in people):
            return False
        return not any(g.decided_at.date() <= day <= g.valid_until.date() for g in grants)

    starts = [
        a.starts_on
        for m in holders
        for a in absences_by_user.get(m.user_id, ())
        if a.starts_on < today
    ]
    scan_from = min([today, *starts])
    periods, start = [], None
    for day in _days(scan_from, horizon):
        if uncovered(day):
            start = start or day
        elif start is not None:
            periods.append((start, day - datetime.timedelta(days=1)))
            start = None
    if start is not None:
        end = start
        last_absence = max(
            (a.ends_on for m in holders for a in absences_by_user.get(m.user_id, ())),
            default=horizon,
        )
        for day in _days(horizon, last_absence):
            if not uncovered(day):
                break
            end = day
        periods.append((start, end))
    return [(s, e) for s, e in periods if e >= today]


@rule(
    code="coverage",
    title=gettext_lazy("Alla med inloggningsuppgifter är borta samtidigt"),
    severity=Finding.Severity.HIGH,
    policy_section="§3, §5",
    responsible=RESPONSIBLE,
    time_critical=True,
)
def coverage(ctx: SweepContext):
    """§3: "konton får inte lämnas obevakade t.ex. under semestertid". Warned
    14 days ahead from registered absences; one finding per period, keyed by its
    first day. A person added for the period (a member from that date) or a
    manager's granted access covers it (§5)."""
    horizon = ctx.today + datetime.timedelta(days=COVERAGE_WARNING_DAYS)
    holders = Prefetch(
        "members",
        queryset=AccountMember.objects.filter(holds_credentials=True, starts_on__lte=horizon)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=ctx.today))
        .select_related("user")
        .only(
            "pk",
            "account_id",
            "user_id",
            "starts_on",
            "ends_on",
            "user__is_active",
            "user__left_on",
        ),
        to_attr="credential_holders",
    )
    grants = Prefetch(
        "access_requests",
        queryset=AccessRequest.objects.filter(
            status=AccessRequest.Status.GRANTED, valid_until__gte=ctx.now
        ).only("pk", "account_id", "decided_at", "valid_until"),
        to_attr="granted_access",
    )
    accounts = list(_active(ctx).prefetch_related(holders, grants).only("pk"))
    user_ids = {m.user_id for a in accounts for m in a.credential_holders}
    absences_by_user: dict[int, list[Absence]] = {}
    if user_ids:
        for absence in Absence.objects.filter(user_id__in=user_ids, ends_on__gte=ctx.today).only(
            "user_id", "starts_on", "ends_on"
        ):
            absences_by_user.setdefault(absence.user_id, []).append(absence)
    for account in accounts:
        if not any(m.user_id in absences_by_user for m in account.credential_holders):
            continue
        grants_now = [g for g in account.granted_access if g.decided_at and g.valid_until]
        for start, end in _uncovered_periods(
            account, absences_by_user, grants_now, ctx.today, horizon
        ):
            yield Hit(
                account.pk,
                _(
                    "Alla med inloggningsuppgifter är frånvarande %(start)s–%(end)s och ingen "
                    "täcker upp. Kontot får inte lämnas obevakat (§3): lägg till en ersättare "
                    "för perioden, eller be enhetschefen begära åtkomst (§5)."
                )
                % {"start": start.isoformat(), "end": end.isoformat()},
                key=start.isoformat(),
            )
