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


def run_sweep(
    *, time_critical_only: bool = False, account_ids: Iterable[int] | None = None, now=None
) -> SweepSummary:
    """One sweep. Safe to run twice at once: the partial unique index on open
    findings makes a second insert of the same finding a no-op."""
    from channels_registry.models import Finding, SweepRun

    now = now or timezone.now()
    ctx = SweepContext(
        now=now,
        today=timezone.localdate(now),
        account_ids=frozenset(account_ids) if account_ids is not None else None,
    )
    run = SweepRun.objects.create(started_at=now, time_critical_only=time_critical_only)
    summary = SweepSummary()
    for current in registered_rules():
        if time_critical_only and not current.time_critical:
            continue
        hits = {(h.account_id, h.key): h for h in current.evaluate(ctx)}
        with transaction.atomic():
            open_qs = Finding.objects.filter(rule_code=current.code, resolved_at__isnull=True)
            if ctx.account_ids is not None:
                open_qs = open_qs.filter(account_id__in=ctx.account_ids)
            existing = {
                (f.account_id, f.key): f.pk for f in open_qs.only("pk", "account_id", "key")
            }
            keep = [pk for k, pk in existing.items() if k in hits]
            gone = [pk for k, pk in existing.items() if k not in hits]
            new = [
                Finding(
                    rule_code=current.code,
                    account_id=h.account_id,
                    key=h.key,
                    severity=current.severity,
                    message=h.message,
                    opened_at=now,
                    last_seen_at=now,
                )
                for k, h in hits.items()
                if k not in existing
            ]
            if keep:
                Finding.objects.filter(pk__in=keep).update(last_seen_at=now)
            if gone:
                Finding.objects.filter(pk__in=gone).update(resolved_at=now)
            if new:
                Finding.objects.bulk_create(new, ignore_conflicts=True)
        summary.opened += len(new)
        summary.still_open += len(keep)
        summary.resolved += len(gone)
        summary.per_rule[current.code] = len(hits)
    run.finished_at = timezone.now()
    run.opened, run.resolved, run.still_open = summary.opened, summary.resolved, summary.still_open
    run.save(update_fields=["finished_at", "opened", "resolved", "still_open"])
    logger.info(
        "Compliance sweep: %s opened, %s still open, %s resolved",
        summary.opened,
        summary.still_open,
        summary.resolved,
    )
    return summary
