"""Reads of the org tree: who is absent, who stands in for whom (DESIGN.md)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import (
    Absence,
    Administration,
    PlatformCompetence,
    PolicyAcknowledgement,
    PolicyVersion,
    Substitute,
    Unit,
    User,
)
from accounts.roles import Role
from nora_social.core.memo import within_scope


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def is_absent(user: User, on: datetime.date | None = None) -> bool:
    on = _today(on)
    return Absence.objects.filter(user=user, starts_on__lte=on, ends_on__gte=on).exists()


def absent_user_ids(user_ids, on: datetime.date | None = None) -> set[int]:
    on = _today(on)
    return set(
        Absence.objects.filter(
            user_id__in=user_ids, starts_on__lte=on, ends_on__gte=on
        ).values_list("user_id", flat=True)
    )


def _valid_substitutes(on: datetime.date) -> QuerySet[Substitute]:
    return (
        Substitute.objects.filter(valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .select_related("person")
        .order_by("valid_from", "pk")
    )


def _excluded_ids(exclude) -> set[int]:
    if exclude is None:
        return set()
    if isinstance(exclude, User):
        return {exclude.pk}
    return {person.pk for person in exclude}


@dataclass
class OrgSnapshot:
    """Who stands in for whom on one day, read in a fixed number of queries, so a
    page that resolves many approvers (the plan queue) does not ask per plan.

    Built by ``org_snapshot``; pass it as ``org=`` to ``unit_manager_for``,
    ``administration_head_for`` and ``role_holder_for``, which then answer from it
    exactly as they would from the database."""

    on: datetime.date
    unit_subs: dict[int, list[User]] = field(default_factory=dict)
    administration_subs: dict[int, list[User]] = field(default_factory=dict)
    role_subs: dict[str, list[User]] = field(default_factory=dict)
    holders: dict[str, list[User]] = field(default_factory=dict)
    absent: set[int] = field(default_factory=set)

    def is_absent(self, person: User) -> bool:
        return person.pk in self.absent


def org_snapshot(
    *, on=None, roles: Iterable[str] = (), people: Iterable[User | None] = ()
) -> OrgSnapshot:
    """Every valid substitute (one query), the holders of ``roles`` (one query per
    role) and which of all these people, and of ``people`` (the managers and heads
    the caller already has), are absent (one query)."""
    on = _today(on)
    org = OrgSnapshot(on=on)
    for sub in _valid_substitutes(on):
        if sub.scope == Substitute.Scope.UNIT and sub.unit_id is not None:
            org.unit_subs.setdefault(sub.unit_id, []).append(sub.person)
        elif sub.scope == Substitute.Scope.ADMINISTRATION and sub.administration_id is not None:
            org.administration_subs.setdefault(sub.administration_id, []).append(sub.person)
        elif sub.scope == Substitute.Scope.ROLE:
            org.role_subs.setdefault(sub.role, []).append(sub.person)
    for role in roles:
        org.holders[role] = list(role_holders(role))
    candidates = {p.pk for p in people if p is not None}
    candidates.update(p.pk for group in org.unit_subs.values() for p in group)
    candidates.update(p.pk for group in org.administration_subs.values() for p in group)
    candidates.update(p.pk for group in org.role_subs.values() for p in group)
    candidates.update(p.pk for group in org.holders.values() for p in group)
    org.absent = absent_user_ids(candidates, on) if candidates else set()
    return org


def _first_available(
    candidates, *, exclude, on: datetime.date, org: OrgSnapshot | None = None
) -> User | None:
    """The first candidate who is employed, not excluded (a ``User`` or several:
    the author, people who already decided) and not absent."""
    skip = _excluded_ids(exclude)
    for person in candidates:
        if person is None or not person.is_current(on):
            continue
        if person.pk in skip:
            continue
        if org.is_absent(person) if org is not None else is_absent(person, on):
            continue
        return person
    return None


def unit_manager_for(
    unit: Unit,
    *,
    exclude: User | Iterable[User] | None = None,
    on=None,
    org: OrgSnapshot | None = None,
) -> User | None:
    """The unit's manager, or its registered substitute when the manager is the
    person excluded (e.g. the author) or absent."""
    if org is not None:
        subs = org.unit_subs.get(unit.pk, [])
        return _first_available([unit.manager, *subs], exclude=exclude, on=org.on, org=org)
    on = _today(on)
    subs = [s.person for s in _valid_substitutes(on).filter(scope=Substitute.Scope.UNIT, unit=unit)]
    return _first_available([unit.manager, *subs], exclude=exclude, on=on)


def administration_head_for(
    administration: Administration,
    *,
    exclude: User | Iterable[User] | None = None,
    on=None,
    org: OrgSnapshot | None = None,
) -> User | None:
    if org is not None:
        subs = org.administration_subs.get(administration.pk, [])
        return _first_available([administration.head, *subs], exclude=exclude, on=org.on, org=org)
    on = _today(on)
    subs = [
        s.person
        for s in _valid_substitutes(on).filter(
            scope=Substitute.Scope.ADMINISTRATION, administration=administration
        )
    ]
    return _first_available([administration.head, *subs], exclude=exclude, on=on)


def role_holders(role: str) -> QuerySet[User]:
    return User.objects.filter(groups__name=role, is_active=True).order_by("pk")


def role_deputies(role: str, on=None) -> list[User]:
    on = _today(on)
    return [s.person for s in _valid_substitutes(on).filter(scope=Substitute.Scope.ROLE, role=role)]


def role_holder_for(
    role: str,
    *,
    exclude: User | Iterable[User] | None = None,
    on=None,
    org: OrgSnapshot | None = None,
) -> User | None:
    """The person holding a role, or the role's registered deputy."""
    if org is not None and role in org.holders:
        candidates = [*org.holders[role], *org.role_subs.get(role, [])]
        return _first_available(candidates, exclude=exclude, on=org.on, org=org)
    on = _today(on)
    return _first_available([*role_holders(role), *role_deputies(role, on)], exclude=exclude, on=on)


@within_scope
def is_information_officer_or_deputy(user: User, on=None) -> bool:
    """The information officer (kommunchef) or their named deputy (§3: holds the
    escrowed credentials)."""
    if not user.is_authenticated or not user.is_current(on):
        return False
    if user.has_role(Role.INFORMATION_OFFICER):
        return True
    return any(p.pk == user.pk for p in role_deputies(Role.INFORMATION_OFFICER, on))


def units_managed_by(user: User, on=None) -> QuerySet[Unit]:
    """Units a person manages, as manager or as a currently valid substitute."""
    on = _today(on)
    sub_units = (
        _valid_substitutes(on).filter(scope=Substitute.Scope.UNIT, person=user).values("unit_id")
    )
    return Unit.objects.filter(Q(manager=user) | Q(pk__in=sub_units))


def administrations_headed_by(user: User, on=None) -> QuerySet[Administration]:
    on = _today(on)
    sub_adms = (
        _valid_substitutes(on)
        .filter(scope=Substitute.Scope.ADMINISTRATION, person=user)
        .values("administration_id")
    )
    return Administration.objects.filter(Q(head=user) | Q(pk__in=sub_adms))


# Platforms belong to the register app, which builds on this one: it registers how
# to name a platform slug, so "linkedin" reads "LinkedIn", not "Linkedin".
_platform_name_sources: list = []


def register_platform_names(fn) -> None:
    """``fn(slugs) -> {slug: name}``."""
    if fn not in _platform_name_sources:
        _platform_name_sources.append(fn)


def with_platform_names(competences) -> list:
    """The competences, each with ``platform_name``: the platform's own name."""
    competences = list(competences)
    slugs = {c.platform for c in competences}
    names: dict[str, str] = {}
    for fn in _platform_name_sources:
        if slugs:
            names.update(fn(slugs))
    for c in competences:
        c.platform_name = names.get(c.platform, c.platform)
    return competences


# --- The policy (§12, §13) ----------------------------------------------------


def current_policy() -> PolicyVersion | None:
    """The newest published version, or None before the first is published."""
    return PolicyVersion.objects.select_related("published_by").order_by("-number").first()


def policy_versions() -> QuerySet[PolicyVersion]:
    return PolicyVersion.objects.select_related("published_by").order_by("-number")


def _current_policy_id():
    """The current version's id as a subquery, so a filter on it is one query."""
    from django.db.models import Subquery

    return Subquery(PolicyVersion.objects.order_by("-number").values("pk")[:1])


def current_acknowledgement(user: User) -> PolicyAcknowledgement | None:
    """The person's acknowledgement of the current version, if any."""
    if not user.is_authenticated:
        return None
    return PolicyAcknowledgement.objects.filter(user=user, policy_id=_current_policy_id()).first()


def current_acknowledgements(user_ids) -> dict[int, PolicyAcknowledgement]:
    """``{user_id: acknowledgement}`` of the current version, in one query; a
    person missing from it has not acknowledged the current version."""
    return {
        ack.user_id: ack
        for ack in PolicyAcknowledgement.objects.filter(
            user_id__in=list(user_ids), policy_id=_current_policy_id()
        )
    }


@dataclass(frozen=True)
class Qualifications:
    """What a person needs before working on an account: the acknowledgement of
    the current policy (§12), or None, and platform competence (§9) by slug."""

    acknowledgement: PolicyAcknowledgement | None = None
    competences: dict[str, PlatformCompetence] = field(default_factory=dict)


def qualifications(
    user_ids: Iterable[int], platform: str | None = None
) -> dict[int, Qualifications]:
    """``{user_id: Qualifications}`` for each person, in two queries; with
    ``platform`` (a slug) only the competence on that platform is read."""
    user_ids = list(user_ids)
    acks = current_acknowledgements(user_ids)
    competences = PlatformCompetence.objects.filter(user_id__in=user_ids)
    if platform is not None:
        competences = competences.filter(platform=platform)
    known: dict[int, dict[str, PlatformCompetence]] = {pk: {} for pk in user_ids}
    for competence in competences:
        known[competence.user_id][competence.platform] = competence
    return {pk: Qualifications(acks.get(pk), known[pk]) for pk in user_ids}


def step_up_links(user, next_url: str) -> list[dict]:
    """Where a person who signs on at the identity provider confirms who they
    are for step-up: a new login there (with multi-factor)."""
    from urllib.parse import urlencode

    from django.conf import settings
    from django.urls import reverse

    from accounts.models import ExternalIdentity

    providers = set(ExternalIdentity.objects.filter(user=user).values_list("provider", flat=True))
    query = urlencode({"next": next_url, "stepup": "1"})
    links = []
    if settings.OIDC_ENABLED and ExternalIdentity.Provider.OIDC in providers:
        links.append({"url": f"{reverse('oidc_login')}?{query}", "provider": "oidc"})
    if settings.SAML_ENABLED and ExternalIdentity.Provider.SAML in providers:
        links.append({"url": f"{reverse('saml2_login')}?{query}", "provider": "saml"})
    return links
