"""Cells for every CSV the system writes (kernel: imports no app).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is run as a formula by Excel and LibreOffice (CSV injection, OWASP): a party or
a citizen's display name such as ``=HYPERLINK(...)`` could then call out or
show something else. Such a cell gets a leading ``'``, which spreadsheets take
as "text" and people read past. Only CSV: the XML and the pages keep the exact
text.
"""

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_row(values: Iterable) -> list[str]:
    return [csv_cell(value) for value in values]
