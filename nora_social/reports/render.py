"""The report's three files: a tagged PDF/A-2b (kernel ``nora_social.core.pdf``)
with a chart beside the tables that have one, an XLSX with one sheet per table
and a sheet explaining every column, and a zip of one CSV per table (cells
through ``csv_cells`` against formula injection)."""

import csv
import io
import zipfile

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from nora_social.core.csv_cells import csv_row
from nora_social.core.pdf import html_to_pdf, to_pdfa
from nora_social.reports import charts
from nora_social.reports.build import Report


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def title(report: Report) -> str:
    return _("Årsrapport sociala medier %(start)s – %(end)s, %(scope)s") % {
        "start": report.period.start.isoformat(),
        "end": report.period.end.isoformat(),
        "scope": report.scope_name,
    }


# Column widths for the fixed table layout, in characters of the column's text:
# a column gets room for its longest header word and its longest cell (read
# from the first rows), within these bounds; the rest wraps.
NARROWEST, WIDEST, SAMPLED_ROWS = 5, 30, 200


def column_widths(titles: list[str], rows: list[list[str]]) -> list[float]:
    """Percentages of the table's width, one per column. With ``table-layout:
    fixed`` WeasyPrint lays a table out from these instead of measuring every
    cell of every row twice (most of the report's PDF time, issue 18)."""
    weights = []
    for i, title in enumerate(titles):
        longest_word = max((len(word) for word in title.split()), default=0)
        longest_cell = max((len(row[i]) for row in rows[:SAMPLED_ROWS] if i < len(row)), default=0)
        # Headers are bold: two characters more keep a word like "Månader" whole.
        weights.append(max(NARROWEST, min(WIDEST, max(longest_word + 2, longest_cell))))
    total = sum(weights)
    return [round(100 * w / total, 2) for w in weights]


def report_html(report: Report, *, made_by: str) -> str:
    sections = []
    for index, table in enumerate(report.tables):
        rows = [[_cell(v) for v in row] for row in table.rows]
        sections.append(
            {
                "table": table,
                "id": f"t{index}",
                "svg": charts.svg(table, f"c{index}") if table.chart else "",
                "rows": rows,
                "widths": column_widths([c.title for c in table.columns], rows),
                "new_section": index == 0 or report.tables[index - 1].section != table.section,
            }
        )
    return render_to_string(
        "pdf/annual_report.html",
        {
            "title": title(report),
            "report": report,
            "sections": sections,
            "made_by": made_by,
            "made_at": timezone.localtime(),
        },
    )


def render_pdf(report: Report, *, made_by: str) -> bytes:
    return to_pdfa(html_to_pdf(report_html(report, made_by=made_by)))


def _sheet_name(key: str, used: set[str]) -> str:
    name = key[:31]
    n = 2
    while name in used:
        name = f"{key[:28]}_{n}"
        n += 1
    used.add(name)
    return name


def render_xlsx(report: Report) -> bytes:
    book = Workbook()
    about = book.active
    assert about is not None  # type narrowing of an invariant  # nosec B101
    about.title = "kolumner"
    about.append([_("Blad"), _("Tabell"), _("Kolumn"), _("Förklaring")])
    for cell in about[1]:
        cell.font = Font(bold=True)
    about.append(["", title(report), "", ""])
    used = {"kolumner"}
    for table in report.tables:
        sheet = book.create_sheet(_sheet_name(table.key, used))
        sheet.append([c.title for c in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(list(row))
        for i, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = max(
                12, min(40, len(column.title) + 2)
            )
            about.append([sheet.title, table.title, column.title, column.explanation])
        if table.note:
            about.append([sheet.title, table.title, "", table.note])
    about.column_dimensions["B"].width = 40
    about.column_dimensions["C"].width = 30
    about.column_dimensions["D"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_csv(table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(csv_row(c.title for c in table.columns))
    for row in table.rows:
        writer.writerow(csv_row("" if v is None else _cell(v) for v in row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_csv_zip(report: Report) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for table in report.tables:
            package.writestr(f"{table.key}.csv", table_csv(table))
        about = io.StringIO()
        writer = csv.writer(about, delimiter=";")
        writer.writerow([_("Fil"), _("Kolumn"), _("Förklaring")])
        for table in report.tables:
            for column in table.columns:
                writer.writerow(csv_row([f"{table.key}.csv", column.title, column.explanation]))
        package.writestr("kolumner.csv", ("\ufeff" + about.getvalue()).encode("utf-8"))
    return out.getvalue()
