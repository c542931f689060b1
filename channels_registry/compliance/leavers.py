"""A person left (the staff directory said so): the people rules are checked on
their accounts at once, not at the nightly sweep, and the information officer
(and their deputy) is told which accounts they held and what is now open (§3,
§5: people who left never count; §8: change the credentials they knew)."""

from __future__ import annotations

import datetime
import logging

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import role_deputies, role_holders
from accounts.services import notify
from channels_registry.compliance import engine
from channels_registry.models import AccountMember, Finding, SocialAccount

logger = logging.getLogger(__name__)


def _what(member: AccountMember) -> str:
    parts = [str(member.get_role_display()).lower()]
    if member.holds_credentials:
        parts.append(_("har inloggningsuppgifterna"))
    return ", ".join(parts)


def leaver_check(*, user_id: int, left_on: datetime.date | None = None) -> list[Finding]:
    """Re-check the accounts on which the person is owner, deputy or holds the
    credentials, and notify the information officer. Returns the findings now
    open on those accounts."""
    person = User.objects.filter(pk=user_id).first()
    if person is None:
        return []
    held = list(
        AccountMember.objects.current()
        .filter(user_id=user_id)
        .exclude(account__status=SocialAccount.Status.CLOSED)
        .filter(
            Q(role__in=[AccountMember.Role.OWNER, AccountMember.Role.DEPUTY])
            | Q(holds_credentials=True)
        )
        .select_related("account__platform")
        .order_by("account__display_name")
    )
    if not held:
        return []
    account_ids = sorted({m.account_id for m in held})
    try:
        engine.run_sweep(account_ids=account_ids)
    except engine.SweepIncomplete:
        logger.warning(
            "A rule failed in the leaver re-check of user %s; the sweep retries.", user_id
        )
    findings = list(
        Finding.objects.filter(account_id__in=account_ids, resolved_at__isnull=True)
        .select_related("account")
        .order_by("account__display_name", "rule_code")
    )
    _tell_information_officer(person, left_on, held, findings)
    return findings


def _tell_information_officer(person, left_on, held, findings) -> None:
    lines = [
        _("%(person)s har slutat enligt personalkatalogen (%(day)s).")
        % {"person": person, "day": left_on or "–"},
        "",
        _("Hen fanns på de här kontona:"),
    ]
    lines += [f"- {m.account.display_name} ({m.account.platform}): {_what(m)}" for m in held]
    if findings:
        lines += ["", _("Öppna avvikelser på kontona nu:")]
        for finding in findings:
            rule = engine.get_rule(finding.rule_code)
            title = rule.title if rule is not None else finding.rule_code
            lines.append(f"- {finding.account.display_name}: {title}")
    if any(m.holds_credentials for m in held):
        lines += [
            "",
            _(
                "Byt lösenordet och annan åtkomst som hen kände till, och utse nya "
                "personer med inloggningsuppgifterna (§3, §5, §8)."
            ),
        ]
    notify(
        recipients=[
            *role_holders(Role.INFORMATION_OFFICER),
            *role_deputies(Role.INFORMATION_OFFICER),
        ],
        subject=_("%(person)s har slutat: konton att se över") % {"person": person},
        body="\n".join(lines),
        url=reverse("channels_registry:findings_dashboard"),
    )
