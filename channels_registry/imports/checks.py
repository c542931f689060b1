"""What a row of the spreadsheet of existing accounts must satisfy, checked
against what the register already holds, read once for the whole file
(``Lookups``), so a preview of 5000 rows costs a handful of queries.

The rules are the register's own: the naming rules (``channels_registry.naming``,
§4), the account's address (``channels_registry.addresses``, §4, §10), one
register entry per handle and platform, and the people on an account: an owner
and a deputy who are two different current employees (§3, §5)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.models import Administration, Unit, User
from channels_registry.addresses import address_problems
from channels_registry.imports.columns import COLUMNS
from channels_registry.models import Platform, SocialAccount
from channels_registry.naming import naming_problems, normalise
from channels_registry.selectors import blocked_terms


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def person_keys(row: dict[str, str]) -> list[str]:
    """Everyone the row names, as written: owner, deputy, then the others."""
    others = [p.strip() for p in row.get("others", "").replace(";", ",").split(",")]
    return [row.get("owner", ""), row.get("deputy", ""), *[p for p in others if p]]


@dataclass
class Lookups:
    """What the register holds that the rows are checked against."""

    platforms: dict[str, Platform]
    administrations: set[str]
    units: dict[tuple[str, str], Unit]
    by_username: dict[str, User]
    by_email: dict[str, list[User]]
    taken: set[tuple[int, str]]
    blocked: list[str]

    @classmethod
    def read(cls, rows: list[dict[str, str]]) -> Lookups:
        platforms: dict[str, Platform] = {}
        for platform in Platform.objects.all():
            platforms[_key(platform.name)] = platform
            platforms[_key(platform.slug)] = platform
        units = {
            (_key(u.administration.name), _key(u.name)): u
            for u in Unit.objects.select_related("administration")
        }
        named = {k for row in rows for k in person_keys(row) if k}
        people = User.objects.annotate(email_key=Lower("email")).filter(
            Q(username__in=named) | Q(email_key__in={n.casefold() for n in named if "@" in n})
        )
        by_username: dict[str, User] = {}
        by_email: dict[str, list[User]] = {}
        for person in people:
            by_username[person.username] = person
            if person.email:
                by_email.setdefault(person.email.casefold(), []).append(person)
        taken = {
            (platform_id, normalise(handle))
            for platform_id, handle in SocialAccount.objects.exclude(
                status=SocialAccount.Status.CLOSED
            ).values_list("platform_id", "handle")
        }
        return cls(
            platforms=platforms,
            administrations={a for a, _u in units} | _administration_keys(),
            units=units,
            by_username=by_username,
            by_email=by_email,
            taken=taken,
            blocked=blocked_terms(),
        )


def _administration_keys() -> set[str]:
    return {_key(name) for name in Administration.objects.values_list("name", flat=True)}


@dataclass
class RowPlan:
    """One row: what it will create, or every problem with it."""

    line: int
    values: dict[str, str]
    actions: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    platform: Platform | None = None
    unit: Unit | None = None
    people: list[User | None] = field(default_factory=list)
    naming_exception: bool = False


def check_fields(row: dict[str, str], problems: list[str]) -> None:
    """Every required column filled in, none longer than the register holds."""
    for column in COLUMNS:
        value = row.get(column.field, "")
        if column.required and not value:
            problems.append(_("%(column)s saknas.") % {"column": column.heading})
        elif len(value) > column.max_length:
            problems.append(
                _("%(column)s är för lång: %(length)s tecken, högst %(max)s.")
                % {"column": column.heading, "length": len(value), "max": column.max_length}
            )


def check_place(p: RowPlan, lk: Lookups) -> None:
    """The unit, in its administration, and the platform exist in the service."""
    admin, unit = p.values["administration"], p.values["unit"]
    if admin and _key(admin) not in lk.administrations:
        p.problems.append(
            _("Okänd förvaltning: %(name)s. Läs in organisationen först.") % {"name": admin}
        )
    elif admin and unit:
        p.unit = lk.units.get((_key(admin), _key(unit)))
        if p.unit is None:
            p.problems.append(
                _("Okänd enhet: %(unit)s finns inte i %(admin)s.") % {"unit": unit, "admin": admin}
            )
    name = p.values["platform"]
    if name:
        p.platform = lk.platforms.get(_key(name))
        if p.platform is None or not p.platform.is_active:
            known = sorted({pl.name for pl in lk.platforms.values() if pl.is_active})
            p.problems.append(
                _("Okänd plattform: %(name)s. Plattformarna i tjänsten: %(known)s.")
                % {"name": name, "known": ", ".join(known)}
            )
            p.platform = None


def check_name(p: RowPlan, lk: Lookups, seen: dict[tuple[int, str], int]) -> None:
    """§4: the naming rules, unless the row gives the reason for an exception; one
    entry per handle and platform, in the file and in the register (never excepted)."""
    display_name, handle = p.values["display_name"], p.values["handle"]
    if p.platform is None or not display_name or not handle:
        return
    key = (p.platform.pk, normalise(handle))
    found = naming_problems(
        display_name=display_name,
        handle=handle,
        blocked_terms=lk.blocked,
        duplicate_exists=key in lk.taken,
    )
    rules = [f for f in found if f.rule != "duplicate"]
    if rules and p.values["override_reason"]:
        p.naming_exception = True
    else:
        p.problems.extend(f.message for f in rules)
    p.problems.extend(f.message for f in found if f.rule == "duplicate")
    if key in seen:
        p.problems.append(
            _("Användarnamnet %(handle)s på %(platform)s finns redan på rad %(line)s.")
            % {"handle": handle, "platform": p.platform.name, "line": seen[key]}
        )
    else:
        seen[key] = p.line


def check_address(p: RowPlan) -> None:
    """§4, §10: the account's own address, on the platform's own domain."""
    if p.platform is None or not p.values["url"]:
        return
    found = address_problems(
        url=p.values["url"],
        platform_name=p.platform.name,
        domains=p.platform.domain_list,
        handle=p.values["handle"],
    )
    p.problems.extend(f.message for f in found)


def _person(written: str, what: str, lk: Lookups, problems: list[str]) -> User | None:
    person = lk.by_username.get(written)
    if person is None:
        matches = lk.by_email.get(written.casefold(), []) if "@" in written else []
        if len(matches) > 1:
            problems.append(
                _("Flera personer har e-postadressen %(who)s: ange %(what)s med användarnamn.")
                % {"who": written, "what": what}
            )
            return None
        person = matches[0] if matches else None
    if person is None:
        problems.append(
            _("Okänd person som %(what)s: %(who)s. Ange användarnamn eller e-postadress.")
            % {"what": what, "who": written}
        )
    elif not person.is_current():
        problems.append(
            _("%(name)s (%(who)s) har slutat eller är inaktiverad och kan inte vara %(what)s.")
            % {"name": person, "who": written, "what": what}
        )
        return None
    return person


def check_people(p: RowPlan, lk: Lookups) -> None:
    """§3, §5: an owner and a deputy, two different current employees, and
    everyone named once."""
    keys = person_keys(p.values)
    if not keys[0]:
        p.problems.append(_("Kontoansvarig saknas (§5)."))
    if not keys[1]:
        p.problems.append(_("Ersättare saknas (§5)."))
    roles = [_("kontoansvarig"), _("ersättare")]
    people: list[User | None] = []
    for index, written in enumerate(keys):
        what = roles[index] if index < len(roles) else _("övrig med inloggningsuppgifter")
        people.append(_person(written, what, lk, p.problems) if written else None)
    owner, deputy = people[0], people[1]
    if owner is not None and deputy is not None and owner.pk == deputy.pk:
        p.problems.append(
            _(
                "Kontoansvarig och ersättare är samma person (%(name)s); ersättaren ska vara en annan (§5)."
            )
            % {"name": owner}
        )
    counted = {person.pk for person in (owner, deputy) if person is not None}
    for person in people[2:]:
        if person is not None and person.pk in counted:
            p.problems.append(
                _("%(name)s står redan på raden; ange varje person en gång.") % {"name": person}
            )
        elif person is not None:
            counted.add(person.pk)
    p.people = people
