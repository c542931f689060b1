"""The people rules of DESIGN.md (§3, §5), as pure functions over memberships so the
services (refusing a change) and the sweep (finding a lapse) apply the same rule.

An active account has at least two current credential holders, one of them the
owner, and a deputy who holds credentials and is not the owner. People who left
or are deactivated never count.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _


def _counts(member, on: datetime.date) -> bool:
    return (
        member.starts_on <= on
        and (member.ends_on is None or member.ends_on >= on)
        and member.user.is_current(on)
    )


def counting_members_q(on: datetime.date, prefix: str = "") -> Q:
    """``_counts`` as a filter on AccountMember (``prefix`` for a related path),
    for the sweep, which reads the memberships of every account in one query.
    ``User.is_current``: active, and not left on or before the day."""
    return (
        Q(**{f"{prefix}starts_on__lte": on})
        & (Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on}))
        & Q(**{f"{prefix}user__is_active": True})
        & (Q(**{f"{prefix}user__left_on__isnull": True}) | Q(**{f"{prefix}user__left_on__gt": on}))
    )


@dataclass(frozen=True)
class PeopleFacts:
    """What the people rules look at, over the members who count: whether the
    (first) owner and deputy hold credentials (None: there is none), and how
    many hold credentials."""

    owner_holds: bool | None = None
    deputy_holds: bool | None = None
    holders: int = 0

    @classmethod
    def of(cls, current: Iterable[tuple[str, bool]]) -> "PeopleFacts":
        """From (role, holds_credentials) of the counting members, in order."""
        owner = deputy = None
        holders = 0
        for role, holds in current:
            holders += bool(holds)
            if role == "owner" and owner is None:
                owner = bool(holds)
            elif role == "deputy" and deputy is None:
                deputy = bool(holds)
        return cls(owner, deputy, holders)


def _facts(members: Iterable, on: datetime.date) -> PeopleFacts:
    return PeopleFacts.of((m.role, m.holds_credentials) for m in members if _counts(m, on))


def people_problems_of(facts: PeopleFacts) -> list[str]:
    """What breaks the owner and two-holder rules (not the deputy rule)."""
    problems = []
    if facts.owner_holds is None:
        problems.append(_("Kontot saknar kontoansvarig (§5)."))
    elif not facts.owner_holds:
        problems.append(_("Den kontoansvariga måste ha inloggningsuppgifterna (§3)."))
    if facts.holders < 2:
        problems.append(
            _("Minst två personer ska ha inloggningsuppgifter till kontot (§3); nu har %(n)s.")
            % {"n": facts.holders}
        )
    return problems


def deputy_problems_of(facts: PeopleFacts) -> list[str]:
    if facts.deputy_holds is None:
        return [_("Kontot saknar ersättare vid den kontoansvarigas frånvaro (§5).")]
    if not facts.deputy_holds:
        return [_("Ersättaren måste ha inloggningsuppgifterna (§3, §5).")]
    return []


def people_problems(members: Iterable, on: datetime.date) -> list[str]:
    """What breaks the owner and two-holder rules (not the deputy rule)."""
    return people_problems_of(_facts(members, on))


def deputy_problems(members: Iterable, on: datetime.date) -> list[str]:
    return deputy_problems_of(_facts(members, on))


def all_people_problems(members: Iterable, on: datetime.date) -> list[str]:
    facts = _facts(members, on)
    return people_problems_of(facts) + deputy_problems_of(facts)
