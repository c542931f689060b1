"""§4 naming rules: who the sender is must be clear, with no abbreviations."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

REQUIRED_IN_DISPLAY_NAME = "nora kommun"
REQUIRED_IN_HANDLE = "norakommun"
# Separators a platform allows in a handle: "nora_kommun", "nora.kommun.naringsliv".
_SEPARATORS = re.compile(r"[\s._\-@]+")


@dataclass(frozen=True)
class NamingProblem:
    rule: str
    message: str


def normalise(value: str) -> str:
    return _SEPARATORS.sub("", value.casefold())


def naming_problems(
    *, display_name: str, handle: str, blocked_terms, duplicate_exists: bool
) -> list[NamingProblem]:
    """Every way a proposed name breaks §4, each with a Swedish reason."""
    problems = []
    if REQUIRED_IN_DISPLAY_NAME not in " ".join(display_name.casefold().split()):
        problems.append(
            NamingProblem("display_name", _('Visningsnamnet måste innehålla "Nora kommun" (§4).'))
        )
    flat_handle = normalise(handle)
    if REQUIRED_IN_HANDLE not in flat_handle:
        problems.append(
            NamingProblem(
                "handle",
                _('Användarnamnet måste innehålla "norakommun", t.ex. norakommunnaringsliv (§4).'),
            )
        )
    flat_name = normalise(display_name)
    for term in blocked_terms:
        flat_term = normalise(term)
        if flat_term and (flat_term in flat_handle or flat_term in flat_name):
            problems.append(
                NamingProblem(
                    "abbreviation",
                    _('Förkortningen "%(term)s" får inte användas (§4: inga förkortningar).')
                    % {"term": term},
                )
            )
    if duplicate_exists:
        problems.append(
            NamingProblem(
                "duplicate", _("Användarnamnet finns redan registrerat på den här plattformen.")
            )
        )
    return problems
