"""The columns of the spreadsheet of existing accounts, each explained in
Swedish, and the template the information officer fills in."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.imports.spreadsheet import read_rows, template
from nora_social.core.csv_cells import csv_row


@dataclass(frozen=True)
class Column:
    field: str
    heading: Promise
    help: Promise
    max_length: int
    # Checked as "missing" by the generic check; owner and deputy have their own rules.
    required: bool = True


COLUMNS = [
    Column(
        "administration",
        gettext_lazy("Förvaltning"),
        gettext_lazy(
            "Förvaltningens namn som det står i tjänsten, t.ex. Kultur- och "
            "fritidsförvaltningen. Obligatorisk."
        ),
        200,
    ),
    Column(
        "unit",
        gettext_lazy("Enhet"),
        gettext_lazy(
            "Enheten som driver kontot, en enhet i förvaltningen, t.ex. Biblioteket. "
            "Finns den inte: läs in organisationen först. Obligatorisk."
        ),
        200,
    ),
    Column(
        "platform",
        gettext_lazy("Plattform"),
        gettext_lazy(
            "Plattformens namn eller kortnamn i tjänsten, t.ex. Facebook, Instagram eller "
            "LinkedIn (se Plattformar). Obligatorisk."
        ),
        80,
    ),
    Column(
        "display_name",
        gettext_lazy("Visningsnamn"),
        gettext_lazy(
            'Kontots namn som det visas, med "Nora kommun" och utan förkortningar, '
            "t.ex. Nora kommun Biblioteket (§4). Högst 150 tecken. Obligatorisk."
        ),
        150,
    ),
    Column(
        "handle",
        gettext_lazy("Användarnamn"),
        gettext_lazy(
            'Kontots användarnamn på plattformen, med "norakommun", t.ex. '
            "norakommunbiblioteket (§4). Samma användarnamn får bara finnas en gång per "
            "plattform. Högst 100 tecken. Obligatorisk."
        ),
        100,
    ),
    Column(
        "url",
        gettext_lazy("Adress"),
        gettext_lazy(
            "Kontots adress: https, på plattformens egen domän och med användarnamnet, "
            "t.ex. https://www.facebook.com/norakommunbiblioteket (§4, §10). Obligatorisk."
        ),
        200,
    ),
    Column(
        "purpose",
        gettext_lazy("Syfte"),
        gettext_lazy("Vad kontot är till för (§2). Högst 2000 tecken. Obligatorisk."),
        2000,
    ),
    Column(
        "target_audience",
        gettext_lazy("Målgrupp"),
        gettext_lazy("Vilka kontot vänder sig till. Högst 300 tecken. Kan lämnas tom."),
        300,
        required=False,
    ),
    Column(
        "contact",
        gettext_lazy("Kontakt"),
        gettext_lazy(
            "Funktionsadress eller telefon som visas för allmänheten, t.ex. "
            "bibliotek@nora.se. Högst 200 tecken. Obligatorisk."
        ),
        200,
    ),
    Column(
        "update_frequency_text",
        gettext_lazy("Uppdateringstakt"),
        gettext_lazy(
            'Hur ofta kontot uppdateras, som det visas för allmänheten, t.ex. "Ett par '
            'gånger i veckan" (§4). Högst 150 tecken. Obligatorisk.'
        ),
        150,
    ),
    Column(
        "response_time_text",
        gettext_lazy("Svarstid"),
        gettext_lazy(
            'Hur snabbt ni svarar, som det visas för allmänheten, t.ex. "Vi svarar inom en '
            'arbetsdag". Högst 150 tecken. Obligatorisk.'
        ),
        150,
    ),
    Column(
        "owner",
        gettext_lazy("Kontoansvarig"),
        gettext_lazy(
            "Den kontoansvariga: användarnamn eller e-postadress för någon som finns i "
            "tjänsten. Hen har inloggningsuppgifterna (§3, §5). Obligatorisk."
        ),
        254,
        required=False,
    ),
    Column(
        "deputy",
        gettext_lazy("Ersättare"),
        gettext_lazy(
            "Ersättaren vid den kontoansvarigas frånvaro: användarnamn eller e-postadress, "
            "en annan person än den kontoansvariga. Hen har inloggningsuppgifterna (§3, §5). "
            "Obligatorisk."
        ),
        254,
        required=False,
    ),
    Column(
        "others",
        gettext_lazy("Övriga med inloggningsuppgifter"),
        gettext_lazy(
            "Fler personer som har inloggningsuppgifterna: användarnamn eller "
            "e-postadresser åtskilda med komma. Kan lämnas tom."
        ),
        1000,
        required=False,
    ),
    Column(
        "override_reason",
        gettext_lazy("Skäl för undantag från namnreglerna"),
        gettext_lazy(
            "Fyll bara i om namnet inte följer namnreglerna och du beslutar om ett undantag "
            "(§4). Ett användarnamn som redan finns kan aldrig undantas. Högst 1000 tecken."
        ),
        1000,
        required=False,
    ),
]
FIELDS = [c.field for c in COLUMNS]


def parse(name: str, data: bytes) -> list[dict[str, str]]:
    """The rows by field; a ServiceError (Swedish) for a file that cannot be read."""
    return read_rows(name, data, {str(c.heading): c.field for c in COLUMNS})


def template_xlsx() -> bytes:
    """An empty sheet with the headings and a sheet explaining each column."""
    return template([(str(c.heading), str(c.help)) for c in COLUMNS], [], _("Konton"))


def template_csv() -> bytes:
    """The headings as Excel writes a CSV in Sweden: semicolons, UTF-8 with a BOM."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerow(
        csv_row(str(c.heading) for c in COLUMNS)
    )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
