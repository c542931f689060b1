"""The org tree from a spreadsheet (administrations, units, managers) when there
is no directory to read: one row per unit. Existing administrations and units
are matched by name and get the head and manager the file names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.imports.spreadsheet import read_rows, template
from accounts.models import Administration, Unit, User
from accounts.permissions import can_import_org_tree
from nora_social.core.errors import ServiceError
from nora_social.core.history import set_history_user

SERIES = re.compile(r"^[A-ZÅÄÖ]{2,10}$")

COLUMNS = [
    (
        gettext_lazy("Förvaltning"),
        gettext_lazy("Förvaltningens namn, t.ex. Kommunledningsförvaltningen. Obligatorisk."),
    ),
    (
        gettext_lazy("Diarieserie"),
        gettext_lazy("Nämndens diarieserie, versaler 2–10 tecken, t.ex. KS. Obligatorisk."),
    ),
    (
        gettext_lazy("Förvaltningschef"),
        gettext_lazy("Förvaltningschefens användarnamn i tjänsten. Kan lämnas tom."),
    ),
    (gettext_lazy("Enhet"), gettext_lazy("Enhetens namn. Obligatorisk.")),
    (gettext_lazy("Chef"), gettext_lazy("Enhetschefens användarnamn i tjänsten. Kan lämnas tom.")),
]
FIELDS = ["administration", "series", "head", "unit", "manager"]


@dataclass
class RowPlan:
    line: int
    values: dict[str, str]
    actions: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse(name: str, data: bytes) -> list[dict[str, str]]:
    return read_rows(name, data, {str(h): f for (h, _help), f in zip(COLUMNS, FIELDS, strict=True)})


def _person(username: str, people: dict[str, User], problems: list[str], what: str) -> None:
    if username and username not in people:
        problems.append(
            _("Okänd person som %(what)s: %(username)s.") % {"what": what, "username": username}
        )


def plan(rows: list[dict[str, str]]) -> list[RowPlan]:
    """What each row will do and every problem, before anything is saved."""
    usernames = {r[k] for r in rows for k in ("head", "manager") if r.get(k)}
    people = {u.username: u for u in User.objects.filter(username__in=usernames)}
    existing = {a.name: a for a in Administration.objects.all()}
    units = {(u.administration.name, u.name) for u in Unit.objects.select_related("administration")}
    series_seen: dict[str, str] = {}
    units_seen: dict[tuple[str, str], int] = {}
    plans = []
    for number, row in enumerate(rows, start=2):
        p = RowPlan(line=number, values=row)
        admin, series, unit = row["administration"], row["series"], row["unit"]
        if not admin:
            p.problems.append(_("Förvaltning saknas."))
        if not unit:
            p.problems.append(_("Enhet saknas."))
        if not SERIES.match(series):
            p.problems.append(
                _("Diarieserien %(series)s ska vara 2–10 versaler, t.ex. KS.") % {"series": series}
            )
        elif admin:
            earlier = series_seen.setdefault(admin, series)
            if earlier != series:
                p.problems.append(
                    _("%(admin)s har redan diarieserien %(series)s på en tidigare rad.")
                    % {"admin": admin, "series": earlier}
                )
        _person(row["head"], people, p.problems, _("förvaltningschef"))
        _person(row["manager"], people, p.problems, _("chef"))
        key = (admin, unit)
        if admin and unit:
            if key in units_seen:
                p.problems.append(
                    _("Enheten finns redan på rad %(line)s.") % {"line": units_seen[key]}
                )
            units_seen.setdefault(key, number)
        if not p.problems:
            if admin not in existing and series_seen.get(admin) == series:
                p.actions.append(_("Skapar förvaltningen %(admin)s.") % {"admin": admin})
                existing[admin] = Administration(name=admin)
            p.actions.append(
                (
                    _("Uppdaterar enheten %(unit)s.")
                    if key in units
                    else _("Skapar enheten %(unit)s.")
                )
                % {"unit": unit}
            )
        plans.append(p)
    return plans


@transaction.atomic
def apply(*, actor: User, rows: list[dict[str, str]]) -> int:
    """Save every row, or nothing: any problem refuses the whole file. Each
    change is recorded in history as the actor's."""
    if not can_import_org_tree(actor):
        raise ServiceError(_("Bara informationsansvarig kan läsa in organisationen."))
    plans = plan(rows)
    problems = [f"{_('Rad')} {p.line}: {m}" for p in plans for m in p.problems]
    if problems:
        raise ServiceError(_("Filen har fel. Inget har sparats."), problems)
    people = {u.username: u for u in User.objects.all().only("pk", "username")}
    for p in plans:
        v = p.values
        admin, _created = Administration.objects.get_or_create(
            name=v["administration"], defaults={"register_series": v["series"]}
        )
        admin.register_series = v["series"]
        if v["head"]:
            admin.head = people[v["head"]]
        set_history_user(admin, actor)
        admin.save()
        unit = Unit.objects.filter(administration=admin, name=v["unit"]).first() or Unit(
            administration=admin, name=v["unit"]
        )
        if v["manager"]:
            unit.manager = people[v["manager"]]
        set_history_user(unit, actor)
        unit.save()
    return len(plans)


def template_file() -> bytes:
    return template(
        [(str(h), str(t)) for h, t in COLUMNS],
        [
            ["Kommunledningsförvaltningen", "KS", "", "Kommunikation", ""],
            ["Barn- och utbildningsförvaltningen", "BUN", "", "Förskolan Solen", ""],
        ],
        _("Organisation"),
    )
