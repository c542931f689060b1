"""The report's figures on archive packages: those written for the archive
authority in the period, valid when written, and checked again (valid and the
same file as exported), per administration, read from the archive's export log.
A package is for one administration or one account, so the scope of one
administration counts its own packages and those of its accounts."""

from django.utils.translation import gettext as _

from accounts.models import Administration
from archive.export.selectors import export_counts
from nora_social.reports.tables import Column, Period, Table


def exports_table(period: Period) -> Table:
    counts = export_counts(period.starts_at, period.ends_at, period.administration_id)
    administrations = Administration.objects.order_by("name")
    if period.administration_id is not None:
        administrations = administrations.filter(pk=period.administration_id)
    rows: list[list] = []
    for adm in administrations:
        row = counts.get(adm.pk)
        values = [row.exported, row.valid, row.verified, row.failed_checks] if row else [0, 0, 0, 0]
        rows.append([adm.name, *values])
    rows.append([_("Totalt"), *[sum(r[i] for r in rows) for i in range(1, 5)]])
    return Table(
        key="arkivpaket",
        section=_("Arkiv"),
        title=_("Arkivpaket exporterade och kontrollerade"),
        columns=[
            Column(_("Förvaltning"), _("Förvaltningen vars diarium paketet innehåller.")),
            Column(
                _("Exporterade paket"),
                _("Arkivpaket (E-ARK) som skrevs under perioden, från sidan eller kommandot."),
            ),
            Column(
                _("Giltiga när de skrevs"),
                _("Av dem: paketet klarade kontrollen av struktur och kontrollsummor direkt."),
            ),
            Column(
                _("Kontrollerade igen"),
                _(
                    "Paket som kontrollerades under perioden med validate_archive_package och "
                    "var giltiga och samma fil som exporterades."
                ),
            ),
            Column(
                _("Kontroller med fel"),
                _("Kontroller under perioden som fann fel eller en annan fil än den exporterade."),
            ),
        ],
        rows=rows,
        note=_(
            "Ett arkivpaket gäller en förvaltning eller ett konto; ett kontos paket räknas "
            "till kontots förvaltning. Förteckningen över paketen finns på sidan Arkivexport."
        ),
    )
