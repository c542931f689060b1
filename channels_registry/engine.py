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

from django.db import transaction
from django.utils import timezone

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

    def scope(self, queryset):
        """Limit a SocialAccount queryset to the accounts this sweep covers."""
        if self.account_ids is None:
            return queryset
        return queryset.filter(pk__in=self.account_ids)


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    severity: str
    policy_section: str
    responsible: str
    evaluate: Callable[[SweepContext], Iterable[Hit]] = field(compare=False)
    time_critical: bool = False


_RULES: dict[str, Rule] = {}


def register_rule(rule: Rule) -> Rule:
    _RULES[rule.code] = rule
    return rule


def rule(
    *,
    code: str,
    title: str,
    severity: str,
    policy_section: str,
    responsible: str,
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


def _reconcile(current: Rule, ctx: SweepContext, summary: SweepSummary) -> None:
    from channels_registry.models import Finding

    with transaction.atomic():
        _serialise_rule(current.code)
        hits = {(h.account_id, h.key): h for h in current.evaluate(ctx)}
        open_qs = Finding.objects.filter(rule_code=current.code, resolved_at__isnull=True)
        if ctx.account_ids is not None:
            open_qs = open_qs.filter(account_id__in=ctx.account_ids)
        existing = {
            (f.account_id, f.key): f for f in open_qs.only("pk", "account_id", "key", "message")
        }
        keep = [f for k, f in existing.items() if k in hits]
        gone = [f.pk for k, f in existing.items() if k not in hits]
        new = [
            Finding(
                rule_code=current.code,
                account_id=h.account_id,
                key=h.key,
                severity=current.severity,
                message=h.message,
                opened_at=ctx.now,
                last_seen_at=ctx.now,
            )
            for k, h in hits.items()
            if k not in existing
        ]
        # Finding has no history table: a bulk update here records no person's act.
        if keep:
            Finding.objects.filter(pk__in=[f.pk for f in keep]).update(last_seen_at=ctx.now)
            changed = []
            for finding in keep:
                message = hits[(finding.account_id, finding.key)].message
                if finding.message != message:
                    finding.message = message
                    changed.append(finding)
            if changed:
                Finding.objects.bulk_update(changed, ["message"])
        if gone:
            Finding.objects.filter(pk__in=gone).update(resolved_at=ctx.now)
        if new:
            Finding.objects.bulk_create(new, ignore_conflicts=True)
    summary.opened += len(new)
    summary.still_open += len(keep)
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
