"""The people rules of DESIGN.md (§3, §5), as pure functions over memberships so the
services (refusing a change) and the sweep (finding a lapse) apply the same rule.

An active account has at least two current credential holders, one of them the
owner, and a deputy who holds credentials and is not the owner. People who left
or are deactivated never count.
"""

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext as _


def _counts(member, on: datetime.date) -> bool:
    return (
        member.starts_on <= on
        and (member.ends_on is None or member.ends_on >= on)
        and member.user.is_current(on)
    )


def people_problems(members: Iterable, on: datetime.date) -> list[str]:
    """What breaks the owner and two-holder rules (not the deputy rule)."""
    current = [m for m in members if _counts(m, on)]
    holders = [m for m in current if m.holds_credentials]
    owner = next((m for m in current if m.role == "owner"), None)
    problems = []
    if owner is None:
        problems.append(_("Kontot saknar kontoansvarig (§5)."))
    elif not owner.holds_credentials:
        problems.append(_("Den kontoansvariga måste ha inloggningsuppgifterna (§3)."))
    if len(holders) < 2:
        problems.append(
            _("Minst två personer ska ha inloggningsuppgifter till kontot (§3); nu har %(n)s.")
            % {"n": len(holders)}
        )
    return problems


def deputy_problems(members: Iterable, on: datetime.date) -> list[str]:
    current = [m for m in members if _counts(m, on)]
    deputy = next((m for m in current if m.role == "deputy"), None)
    if deputy is None:
        return [_("Kontot saknar ersättare vid den kontoansvarigas frånvaro (§5).")]
    if not deputy.holds_credentials:
        return [_("Ersättaren måste ha inloggningsuppgifterna (§3, §5).")]
    return []


def all_people_problems(members: Iterable, on: datetime.date) -> list[str]:
    members = list(members)
    return people_problems(members, on) + deputy_problems(members, on)
