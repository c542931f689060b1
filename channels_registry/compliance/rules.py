"""The register's own compliance rules (§3, §4, §5).

Each rule evaluates every account in scope in a fixed number of queries (the
accounts, then one prefetch per related table), never one query per account.
Other apps register their rules (no approved plan, posts below promise,
questions overdue, snapshots) from their own ``compliance.py``.
"""

import datetime
from collections import defaultdict
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Absence
from channels_registry.addresses import address_problems
from channels_registry.compliance.engine import Hit, SweepContext, rule
from channels_registry.escrow.selectors import escrow_is_stale
from channels_registry.models import (
    AccessRequest,
    AccountMember,
    ChecklistConfirmation,
    ChecklistItem,
    EscrowDeposit,
    Finding,
    SocialAccount,
)
from channels_registry.rules import (
    PeopleFacts,
    counting_members_q,
    deputy_problems_of,
    people_problems_of,
)
from channels_registry.selectors import checklist_items_for

RESPONSIBLE = gettext_lazy("Kontoansvarig, därefter enhetschef och förvaltningschef")
COVERAGE_WARNING_DAYS = 14
ACTIVE = SocialAccount.Status.ACTIVE


def _active(ctx: SweepContext):
    return ctx.scope(SocialAccount.objects.filter(status=ACTIVE)).order_by("pk")


def _active_ids(ctx: SweepContext) -> list[int]:
    """The active accounts in scope, read once per sweep."""
    return ctx.shared("active_ids", lambda: list(_active(ctx).values_list("pk", flat=True)))


def _people_facts(ctx: SweepContext) -> dict[int, PeopleFacts]:
    """Each active account's people as the rules see them, from one read of the
    memberships that count today (shared by people_rules and deputy)."""

    def read():
        rows = (
            ctx.scope_related(AccountMember.objects.filter(account__status=ACTIVE))
            .filter(counting_members_q(ctx.today))
            .order_by("pk")
            .values_list("account_id", "role", "holds_credentials")
        )
        members: dict[int, list[tuple[str, bool]]] = defaultdict(list)
        for account_id, role, holds in rows:
            members[account_id].append((role, holds))
        return {pk: PeopleFacts.of(members.get(pk, ())) for pk in _active_ids(ctx)}

    return ctx.shared("people_facts", read)


def _hits_by_facts(ctx: SweepContext, problems_of):
    """One hit per account whose facts break the rule; the message is composed
    once per distinct set of facts, not per account."""
    messages: dict[PeopleFacts, str] = {}
    for account_id, facts in _people_facts(ctx).items():
        if facts not in messages:
            messages[facts] = " ".join(problems_of(facts))
        if messages[facts]:
            yield Hit(account_id, messages[facts])


@rule(
    code="people_rules",
    title=gettext_lazy("Reglerna för kontots personer är brutna"),
    severity=Finding.Severity.HIGH,
    policy_section="§3, §5",
    responsible=RESPONSIBLE,
    time_critical=True,
)
def people_rules(ctx: SweepContext):
    return _hits_by_facts(ctx, people_problems_of)


@rule(
    code="deputy",
    title=gettext_lazy("Ersättare saknas"),
    severity=Finding.Severity.HIGH,
    policy_section="§5",
    responsible=RESPONSIBLE,
    time_critical=True,
)
def deputy(ctx: SweepContext):
    return _hits_by_facts(ctx, deputy_problems_of)


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
    # Secrets are never loaded here: only when. At most one current deposit per
    # account; whether it is stale is the escrow page's own test (one function).
    deposited = dict(
        ctx.scope_related(
            EscrowDeposit.objects.filter(retired_at__isnull=True, account__status=ACTIVE)
        )
        .order_by("deposited_at")
        .values_list("account_id", "deposited_at")
    )
    missing = _(
        "Inloggningsuppgifterna är inte deponerade hos informationsansvarig (§3). "
        "Deponera åtkomsten."
    )
    stale = _(
        "Den deponerade åtkomsten är från %(date)s, äldre än %(months)s månader. "
        "Byt lösenord eller kontrollera rollerna och deponera på nytt (§3)."
    )
    for account_id in _active_ids(ctx):
        if account_id not in deposited:
            yield Hit(account_id, missing, key="missing")
        elif escrow_is_stale(deposited_at := deposited[account_id], ctx.now):
            yield Hit(
                account_id,
                stale
                % {"date": timezone.localtime(deposited_at).date().isoformat(), "months": months},
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
    labels = dict(ChecklistItem.choices)
    required = {
        flag: checklist_items_for(requires_public_without_login=flag) for flag in (False, True)
    }
    done: dict[int, set[str]] = defaultdict(set)
    for account_id, item in ctx.scope_related(
        ChecklistConfirmation.objects.filter(account__status=ACTIVE)
    ).values_list("account_id", "item"):
        done[account_id].add(item)
    messages: dict[tuple[str, ...], str] = {}
    for account_id, public_flag in _active(ctx).values_list(
        "pk", "platform__requires_public_without_login"
    ):
        confirmed = done.get(account_id, ())
        missing = tuple(item for item in required[bool(public_flag)] if item not in confirmed)
        if not missing:
            continue
        if missing not in messages:
            messages[missing] = _("Kontot saknar: %(items)s (§4).") % {
                "items": "; ".join(str(labels[item]) for item in missing)
            }
        yield Hit(account_id, messages[missing])


@rule(
    code="account_address",
    title=gettext_lazy("Kontots adress saknas eller är inte kontots egen"),
    severity=Finding.Severity.HIGH,
    policy_section="§4, §10",
    responsible=RESPONSIBLE,
)
def account_address(ctx: SweepContext):
    """§4, §10: citizens use the published list to check that an account is the
    real one. An active account without a valid address (https, on the
    platform's own domain, leading to its handle) is left off the list until it
    is fixed, so this is raised as a high finding. One query."""
    rows = _active(ctx).values_list("pk", "url", "handle", "platform__name", "platform__domains")
    for account_id, url, handle, platform_name, domains in rows:
        problems = address_problems(
            url=url, platform_name=platform_name, domains=domains.split(), handle=handle
        )
        if problems:
            yield Hit(
                account_id,
                " ".join([p.message for p in problems])
                + " "
                + _("Kontot visas inte i den publika förteckningen förrän adressen är rättad."),
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
            if m.starts_on <= on and (m.ends_on is None or m.ends_on >= on) and m.is_current(on)
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


class _Holder(NamedTuple):
    user_id: int
    starts_on: datetime.date
    ends_on: datetime.date | None
    is_active: bool
    left_on: datetime.date | None

    def is_current(self, on: datetime.date) -> bool:
        # As User.is_current, from the two columns read with the membership.
        return self.is_active and (self.left_on is None or self.left_on > on)


class _Span(NamedTuple):
    starts_on: datetime.date
    ends_on: datetime.date


class _Grant(NamedTuple):
    decided_at: datetime.datetime
    valid_until: datetime.datetime


class _Account(NamedTuple):
    pk: int
    credential_holders: list


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
    manager's granted access covers it (§5).

    Three queries: the credential holders of every active account, the absences
    of those people, and the granted access; only accounts with an absent
    holder are looked at day by day."""
    horizon = ctx.today + datetime.timedelta(days=COVERAGE_WARNING_DAYS)
    holder_rows = (
        ctx.scope_related(
            AccountMember.objects.filter(
                account__status=ACTIVE, holds_credentials=True, starts_on__lte=horizon
            )
        )
        .current(ctx.today, include_upcoming=True)
        .order_by("pk")
    )
    absences_by_user: dict[int, list[_Span]] = defaultdict(list)
    for user_id, starts_on, ends_on in Absence.objects.filter(
        ends_on__gte=ctx.today, user_id__in=holder_rows.values("user_id")
    ).values_list("user_id", "starts_on", "ends_on"):
        absences_by_user[user_id].append(_Span(starts_on, ends_on))
    holders: dict[int, list[_Holder]] = defaultdict(list)
    for account_id, *fields in holder_rows.values_list(
        "account_id", "user_id", "starts_on", "ends_on", "user__is_active", "user__left_on"
    ):
        holders[account_id].append(_Holder(*fields))
    grants: dict[int, list[_Grant]] = defaultdict(list)
    for account_id, decided_at, valid_until in ctx.scope_related(
        AccessRequest.objects.filter(
            status=AccessRequest.Status.GRANTED,
            valid_until__gte=ctx.now,
            decided_at__isnull=False,
            account__status=ACTIVE,
        )
    ).values_list("account_id", "decided_at", "valid_until"):
        grants[account_id].append(_Grant(decided_at, valid_until))
    for account_id in sorted(holders):
        account = _Account(account_id, holders[account_id])
        if not any(m.user_id in absences_by_user for m in account.credential_holders):
            continue
        for start, end in _uncovered_periods(
            account, absences_by_user, grants.get(account_id, []), ctx.today, horizon
        ):
            yield Hit(
                account_id,
                _(
                    "Alla med inloggningsuppgifter är frånvarande %(start)s–%(end)s och ingen "
                    "täcker upp. Kontot får inte lämnas obevakat (§3): lägg till en ersättare "
                    "för perioden, eller be enhetschefen begära åtkomst (§5)."
                )
                % {"start": start.isoformat(), "end": end.isoformat()},
                key=start.isoformat(),
            )
