"""Reading a spreadsheet as Excel writes it: XLSX (openpyxl), or CSV with
semicolons (or commas), with or without a BOM, in UTF-8 or Windows-1252."""

from __future__ import annotations

import csv
import io
import zipfile

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from nora_social.core.errors import ServiceError

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # Bytes Windows-1252 leaves undefined: an image or other binary file.
        raise ServiceError(
            _("Filen går inte att läsa som kalkylblad: spara den som XLSX eller CSV.")
        ) from None


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def read_rows(name: str, data: bytes, columns: dict[str, str]) -> list[dict[str, str]]:
    """The rows as {field: text}, by the Swedish column headings in ``columns``
    (heading -> field). Raises ServiceError on a file that cannot be read or
    lacks a column."""
    if len(data) > MAX_BYTES:
        raise ServiceError(_("Filen är för stor (högst 5 MB)."))
    if data[:2] == b"PK":
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            raise ServiceError(_("Filen går inte att läsa som en Excel-fil (XLSX).")) from None
        table = [[_clean(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    else:
        text = _decode(data)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
            delimiter = dialect.delimiter
        except csv.Error:
            delimiter = ";"
        table = [
            [_clean(c) for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    table = [row for row in table if any(row)]
    if not table:
        raise ServiceError(_("Filen är tom."))
    if len(table) - 1 > MAX_ROWS:
        raise ServiceError(_("Filen har för många rader (högst %(max)s).") % {"max": MAX_ROWS})
    heading = [h.strip().rstrip("*").strip().lower() for h in table[0]]
    wanted = {h.lower(): f for h, f in columns.items()}
    missing = [h for h in columns if h.lower() not in heading]
    if missing:
        raise ServiceError(
            _("Kolumner saknas: %(columns)s. Utgå från mallen.") % {"columns": ", ".join(missing)}
        )
    index = {wanted[h]: i for i, h in enumerate(heading) if h in wanted}
    return [
        {field: (row[i] if i < len(row) else "") for field, i in index.items()} for row in table[1:]
    ]


def template(columns: list[tuple[str, str]], example: list[list[str]], sheet_title: str) -> bytes:
    """An XLSX template: the headings, an example row and a sheet explaining
    each column in Swedish."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    sheet.append([heading for heading, _help in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in example:
        sheet.append(row)
    help_sheet = book.create_sheet(_("Förklaring"))
    help_sheet.append([_("Kolumn"), _("Vad den ska innehålla")])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for heading, help_text in columns:
        help_sheet.append([heading, help_text])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
