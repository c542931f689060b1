"""The daily reminder of open findings: one digest per person and day, in the app
and as one e-mail, never one message per finding per run.

Who is told (DESIGN.md "Compliance rules", policy §5): the account's owner
(their deputy while the owner is away or gone); the unit's manager once a
finding is ``FINDING_ESCALATE_MANAGER_DAYS`` old; the head of administration at
``FINDING_ESCALATE_HEAD_DAYS``. With no owner or deputy to tell, the manager is
told at once. Every digest is logged with its findings and why each person got
them (``Digest``, ``DigestItem``).
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Absence, User
from accounts.selectors import administration_head_for, unit_manager_for
from accounts.services import notify
from channels_registry.compliance.engine import get_rule
from channels_registry.models import AccountMember, Digest, DigestItem, Finding

logger = logging.getLogger(__name__)

Reason = DigestItem.Reason
LEVEL: dict[str, int] = {Reason.OWNER: 0, Reason.DEPUTY: 0, Reason.MANAGER: 1, Reason.HEAD: 2}


@dataclass
class PlannedDigest:
    recipient: User
    items: list[tuple[Finding, str]] = field(default_factory=list)


def _open_findings(on: datetime.date):
    members = Prefetch(
        "account__members",
        queryset=AccountMember.objects.filter(role__in=[Reason.OWNER, Reason.DEPUTY])
        .filter(starts_on__lte=on)
        .exclude(ends_on__lt=on)
        .select_related("user"),
        to_attr="leads",
    )
    return (
        Finding.objects.filter(resolved_at__isnull=True, account__isnull=False)
        .select_related(
            "account__platform",
            "account__unit__manager",
            "account__unit__administration__head",
        )
        .prefetch_related(members)
        .order_by("account__display_name", "rule_code", "opened_at")
    )


def plan_digests(now: datetime.datetime | None = None) -> list[PlannedDigest]:
    """Who gets which open findings today, and in which capacity."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    manager_after = datetime.timedelta(days=settings.FINDING_ESCALATE_MANAGER_DAYS)
    head_after = datetime.timedelta(days=settings.FINDING_ESCALATE_HEAD_DAYS)
    findings = list(_open_findings(today))
    lead_ids = {m.user_id for f in findings for m in f.account.leads}
    away = set(
        Absence.objects.filter(
            user_id__in=lead_ids, starts_on__lte=today, ends_on__gte=today
        ).values_list("user_id", flat=True)
    )
    managers: dict[int, User | None] = {}
    heads: dict[int, User | None] = {}
    plans: dict[int, PlannedDigest] = {}

    def add(person: User | None, finding: Finding, reason: str) -> bool:
        if person is None or not person.is_current(today):
            return False
        plan = plans.setdefault(person.pk, PlannedDigest(person))
        if all(f.pk != finding.pk for f, _reason in plan.items):
            plan.items.append((finding, reason))
        return True

    for finding in findings:
        account = finding.account
        age = now - finding.opened_at
        by_role = {m.role: m.user for m in account.leads}
        told = False
        for role in (Reason.OWNER, Reason.DEPUTY):
            person = by_role.get(role)
            if person is not None and person.pk not in away and add(person, finding, role):
                told = True
                break
        unit = account.unit
        if not told or age >= manager_after:
            if unit.pk not in managers:
                managers[unit.pk] = unit_manager_for(unit, on=today)
            told = add(managers[unit.pk], finding, Reason.MANAGER) or told
        if not told or age >= head_after:
            administration = unit.administration
            if administration.pk not in heads:
                heads[administration.pk] = administration_head_for(administration, on=today)
            add(heads[administration.pk], finding, Reason.HEAD)
    return sorted(plans.values(), key=lambda p: p.recipient.pk)


def _body(plan: PlannedDigest, today: datetime.date) -> str:
    lines = [_("Det här är dagens sammanställning av brister i kommunens konton i sociala medier.")]
    for finding, reason in plan.items:
        assert finding.account is not None  # the plan reads findings with an account  # nosec B101
        current = get_rule(finding.rule_code)
        title = current.title if current else finding.rule_code
        section = current.policy_section if current else ""
        lines.append(
            _("• %(account)s – %(title)s (%(section)s), öppen sedan %(since)s: %(message)s")
            % {
                "account": finding.account.display_name,
                "title": _(str(title)),
                "section": section,
                "since": timezone.localdate(finding.opened_at).isoformat(),
                "message": finding.message,
            }
        )
        if reason in (Reason.MANAGER, Reason.HEAD):
            lines.append(
                "  "
                + _("Du får den här för att bristen har varit öppen i %(days)s dagar.")
                % {"days": (today - timezone.localdate(finding.opened_at)).days}
            )
    return "\n".join(lines)


def send_digests(now: datetime.datetime | None = None) -> list[Digest]:
    """Send today's digests. Idempotent: a person who already has today's digest
    gets nothing more, even when two runs race (the unique index decides)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    url = reverse("channels_registry:findings")
    sent = []
    for plan in plan_digests(now):
        try:
            with transaction.atomic():
                log = Digest.objects.create(recipient=plan.recipient, digest_on=today, sent_at=now)
                count = len(plan.items)
                subject = (
                    _("En brist att åtgärda i kommunens sociala medier")
                    if count == 1
                    else _("%(n)s brister att åtgärda i kommunens sociala medier") % {"n": count}
                )
                notes = notify(
                    recipients=[plan.recipient], subject=subject, body=_body(plan, today), url=url
                )
                log.notification = notes[0] if notes else None
                log.save(update_fields=["notification"])
                DigestItem.objects.bulk_create(
                    DigestItem(digest=log, finding=f, reason=reason) for f, reason in plan.items
                )
                by_level = defaultdict(list)
                for finding, reason in plan.items:
                    by_level[LEVEL[reason]].append(finding.pk)
                for level, pks in by_level.items():
                    Finding.objects.filter(pk__in=pks).update(last_notified_at=now)
                    Finding.objects.filter(pk__in=pks, escalation_level__lt=level).update(
                        escalation_level=level
                    )
        except IntegrityError:
            # Today's digest to this person is already out (another run got there first).
            continue
        sent.append(log)
    logger.info("Sent %s finding digests", len(sent))
    return sent
