"""Server-rendered SVG bar charts for the report: one dark colour on white
(contrast 7:1, prints the same in greyscale), the value written beside every
bar, and a title and description as the chart's text alternative."""

from django.utils.html import escape
from django.utils.translation import gettext as _

from nora_social.reports.tables import Table

BAR = "#1f5f8b"  # 6.9:1 against white
TEXT = "#1a1a1a"
MAX_BARS = 30
ROW = 18
LABEL_WIDTH = 280
WIDTH = 680


def _label(row: list, table: Table) -> str:
    spec = table.chart
    assert spec is not None  # type narrowing of an invariant  # nosec B101
    label = str(row[spec.label_column] or "")
    if spec.label_column > 0 and table.key == "konton":
        label = f"{row[0]}: {label}"
    return label if len(label) <= 40 else label[:39] + "…"


def bars(table: Table) -> list[tuple[str, float]]:
    spec = table.chart
    if spec is None:
        return []
    points = [
        (_label(row, table), float(row[spec.value_column]))
        for row in table.rows
        if isinstance(row[spec.value_column], int | float) and str(row[0]) != _("Totalt")
    ]
    return sorted(points, key=lambda p: -p[1])[:MAX_BARS]


def alternative(table: Table) -> str:
    points = bars(table)
    if not points:
        return _("Inga värden att visa.")
    listed = "; ".join(f"{label}: {_number(value)}" for label, value in points)
    return _(
        "Liggande stapeldiagram, största först. %(values)s. Samma siffror finns i tabellen."
    ) % {"values": listed}


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}".replace(".", ",")


def svg(table: Table, chart_id: str) -> str:
    """The chart as an inline SVG element, or "" when there is nothing to show."""
    points = bars(table)
    spec = table.chart
    if not points or spec is None:
        return ""
    peak = max(value for _label, value in points) or 1
    plot = WIDTH - LABEL_WIDTH - 50
    height = ROW * len(points) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" class="chart">',
        f'<title id="{chart_id}-t">{escape(spec.title)}</title>',
        f'<desc id="{chart_id}-d">{escape(alternative(table))}</desc>',
    ]
    for i, (label, value) in enumerate(points):
        y = 5 + i * ROW
        w = round(plot * value / peak, 1)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 12}" text-anchor="end" font-size="11" '
            f'fill="{TEXT}">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{w}" height="{ROW - 5}" fill="{BAR}"/>'
            f'<text x="{LABEL_WIDTH + w + 4}" y="{y + 12}" font-size="11" '
            f'fill="{TEXT}">{_number(value)}</text>'
        )
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="2" x2="{LABEL_WIDTH}" y2="{height - 2}" '
        f'stroke="{TEXT}" stroke-width="1"/></svg>'
    )
    return "".join(parts)
