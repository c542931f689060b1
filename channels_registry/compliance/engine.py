"""The compliance engine: a registry of rules and the idempotent sweep.

Each app registers its rules from its own ``compliance.py`` (imported in its
``AppConfig.ready``). A rule looks at all accounts in scope in a fixed number of
queries and returns the hits that hold now; the sweep opens a finding for each
new hit, keeps open the ones that still hold and resolves the rest. A finding
that returns after being resolved is a new finding.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

if TYPE_CHECKING:
    # Titles and the responsible role are lazy translations, read in the viewer's language.
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Hit:
    account_id: int | None
    message: str
    key: str = ""


@dataclass(frozen=True)
class SweepContext:
    now: datetime.datetime
    today: datetime.date
    account_ids: frozenset[int] | None = None
    # What several rules read (the active accounts, their people), read once per
    # sweep: see ``shared``.
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    def scope(self, queryset):
        """Limit a SocialAccount queryset to the accounts this sweep covers."""
        if self.account_ids is None:
            return queryset
        return queryset.filter(pk__in=self.account_ids)

    def scope_related(self, queryset, field: str = "account_id"):
        """Limit a queryset of rows that point at an account to those this sweep covers."""
        if self.account_ids is None:
            return queryset
        return queryset.filter(**{f"{field}__in": self.account_ids})

    def shared(self, key: str, read: Callable[[], object]):
        """``read()`` once per sweep: rules that look at the same rows (people
        rules and the deputy rule read the same memberships) share one query."""
        if key not in self.cache:
            self.cache[key] = read()
        return self.cache[key]


@dataclass(frozen=True)
class Rule:
    code: str
    title: "StrOrPromise"
    severity: str
    policy_section: str
    responsible: "StrOrPromise"
    evaluate: Callable[[SweepContext], Iterable[Hit]] = field(compare=False)
    time_critical: bool = False


_RULES: dict[str, Rule] = {}


def register_rule(rule: Rule) -> Rule:
    _RULES[rule.code] = rule
    return rule


def rule(
    *,
    code: str,
    title: "StrOrPromise",
    severity: str,
    policy_section: str,
    responsible: "StrOrPromise",
    time_critical: bool = False,
):
    """Decorator form of ``register_rule`` for an evaluate function."""

    def decorate(fn):
        register_rule(Rule(code, title, severity, policy_section, responsible, fn, time_critical))
        return fn

    return decorate


def registered_rules() -> list[Rule]:
    return sorted(_RULES.values(), key=lambda r: r.code)


def get_rule(code: str) -> Rule | None:
    return _RULES.get(code)


@dataclass
class SweepSummary:
    opened: int = 0
    still_open: int = 0
    resolved: int = 0
    per_rule: dict[str, int] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)


class SweepIncomplete(Exception):
    """A rule raised; its findings were left as they were and the rest ran."""

    def __init__(self, summary: "SweepSummary"):
        super().__init__(f"Compliance rules failed: {', '.join(summary.failed)}")
        self.summary = summary


def _serialise_rule(code: str) -> None:
    """Two sweeps at once (a recheck beside the nightly run, or two workers)
    take turns per rule on PostgreSQL, so the second sees the first's findings
    and neither opens a duplicate or counts one twice. SQLite takes one writer
    at a time anyway; the partial unique index is the last line of defence."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"compliance:{code}"])


def _set_messages(changed: list[tuple[int, str]]) -> None:
    """Rewrite the message of findings that still hold but read differently now
    (a count or a date in it moved): one statement however many."""
    from django.db import connection

    from channels_registry.models import Finding

    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Finding._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS f SET message = v.message "  # noqa: S608 - our table name  # nosec B608
                "FROM unnest(%s::bigint[], %s::text[]) AS v(id, message) WHERE f.id = v.id",
                [[pk for pk, _m in changed], [message for _pk, message in changed]],
            )
        return
    Finding.objects.bulk_update(
        [Finding(pk=pk, message=message) for pk, message in changed], ["message"]
    )


def _open_findings(current: Rule, ctx: SweepContext, rows: list[tuple[int | None, str, str]]):
    """Insert new open findings, (account, key, message) each: on PostgreSQL one
    INSERT from arrays (no model instance per row, a fraction of the time of
    ``bulk_create`` at tens of thousands of rows); elsewhere ``bulk_create``. A row
    that meets an open finding of the same rule, account and key is skipped."""
    from django.db import connection

    from channels_registry.models import Finding

    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Finding._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} "  # noqa: S608 - our table name  # nosec B608
                "(rule_code, severity, opened_at, last_seen_at, escalation_level, "
                "account_id, key, message) "
                "SELECT %s, %s, %s, %s, 0, a.account_id, a.key, a.message "
                "FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS a(account_id, key, message) "
                "ON CONFLICT DO NOTHING",
                [
                    current.code,
                    current.severity,
                    ctx.now,
                    ctx.now,
                    [account_id for account_id, _k, _m in rows],
                    [key for _a, key, _m in rows],
                    [message for _a, _k, message in rows],
                ],
            )
        return
    Finding.objects.bulk_create(
        (
            Finding(
                rule_code=current.code,
                account_id=account_id,
                key=key,
                severity=current.severity,
                message=message,
                opened_at=ctx.now,
                last_seen_at=ctx.now,
            )
            for account_id, key, message in rows
        ),
        ignore_conflicts=True,
    )


def _reconcile(current: Rule, ctx: SweepContext, summary: SweepSummary) -> None:
    """Diff the rule's hits against its open findings by (account, key) and write
    the difference in bulk: resolve what is gone, touch what is kept (one UPDATE
    of the rule's open findings), rewrite changed messages, insert what is new.
    A fixed number of statements whatever the number of accounts; rows are read
    as tuples, never as model instances."""
    from channels_registry.models import Finding

    with transaction.atomic():
        _serialise_rule(current.code)
        hits = {(h.account_id, h.key): h.message for h in current.evaluate(ctx)}
        open_qs = Finding.objects.filter(rule_code=current.code, resolved_at__isnull=True)
        if ctx.account_ids is not None:
            open_qs = open_qs.filter(account_id__in=ctx.account_ids)
        gone: list[int] = []
        changed: list[tuple[int, str]] = []
        seen: set[tuple[int | None, str]] = set()
        for pk, account_id, key, message in open_qs.values_list(
            "pk", "account_id", "key", "message"
        ):
            k = (account_id, key)
            if k not in hits:
                gone.append(pk)
                continue
            seen.add(k)
            if hits[k] != message:
                changed.append((pk, hits[k]))
        # Finding has no history table: the sweep's bulk writes record no person's
        # act; the finding's own times (opened, last seen, resolved) are its record.
        if gone:
            Finding.objects.filter(pk__in=gone).update(resolved_at=ctx.now)
        if seen:
            # What is still open for this rule now is exactly what was kept.
            open_qs.update(last_seen_at=ctx.now)
        if changed:
            _set_messages(changed)
        new = [
            (account_id, key, message)
            for (account_id, key), message in hits.items()
            if (account_id, key) not in seen
        ]
        if new:
            _open_findings(current, ctx, new)
    summary.opened += len(new)
    summary.still_open += len(seen)
    summary.resolved += len(gone)
    summary.per_rule[current.code] = len(hits)


def run_sweep(
    *,
    time_critical_only: bool = False,
    account_ids: Iterable[int] | None = None,
    codes: Iterable[str] | None = None,
    now: datetime.datetime | None = None,
) -> SweepSummary:
    """One sweep: every registered rule (or the time-critical ones, or those
    named in ``codes``) over every account (or the given ones). Idempotent and safe to run twice at once.

    A rule that raises is logged and skipped: its open findings stay open rather
    than being resolved by mistake, the run records it, and ``SweepIncomplete``
    is raised at the end so a task retries and the health page does not count
    the run as a completed sweep."""
    from channels_registry.models import SweepRun

    now = now or timezone.now()
    ctx = SweepContext(
        now=now,
        today=timezone.localdate(now),
        account_ids=frozenset(account_ids) if account_ids is not None else None,
    )
    only = set(codes) if codes is not None else None
    run = SweepRun.objects.create(
        started_at=now,
        time_critical_only=time_critical_only,
        scoped=ctx.account_ids is not None or only is not None,
    )
    summary = SweepSummary()
    for current in registered_rules():
        if time_critical_only and not current.time_critical:
            continue
        if only is not None and current.code not in only:
            continue
        try:
            _reconcile(current, ctx, summary)
        except Exception:
            logger.exception(
                "Compliance rule %s failed; its findings are left as they were.", current.code
            )
            summary.failed.append(current.code)
    run.finished_at = timezone.now()
    run.opened, run.resolved, run.still_open = summary.opened, summary.resolved, summary.still_open
    run.failed_rules = ",".join(summary.failed)[:500]
    run.save(update_fields=["finished_at", "opened", "resolved", "still_open", "failed_rules"])
    logger.info(
        "Compliance sweep: %s opened, %s still open, %s resolved",
        summary.opened,
        summary.still_open,
        summary.resolved,
    )
    if summary.failed:
        raise SweepIncomplete(summary)
    return summary


def last_full_sweep():
    """The last sweep of every rule over every account that completed cleanly."""
    from channels_registry.models import SweepRun

    return (
        SweepRun.objects.filter(
            finished_at__isnull=False, time_critical_only=False, scoped=False, failed_rules=""
        )
        .order_by("-finished_at")
        .first()
    )
