"""Archive packages in the yearly report: every package written is in the export
log (who, when, the selection, size, SHA-256, the validator's verdict) and every
later check of it too; the report counts packages exported and checked in the
period, across a year boundary and for one administration, the same in its
tables, its PDF text and its XLSX cells. A package is for one administration or
one account (never the whole municipality at once), so an administration's
report counts its own packages and those of its accounts.

The compliance dashboard has no archive section, so there is no dashboard figure
to compare with here; its link to the report is tested at the end."""

import datetime
import io

import pytest
import time_machine
from openpyxl import load_workbook

from archive.export import services, writer
from archive.export.models import ArchiveExport, ExportVerification
from nora_social.core.append_only import RecordLockedError
from nora_social.reports import render
from nora_social.reports.build import build_report
from nora_social.reports.permissions import can_make_reports
from nora_social.reports.tables import Period
from tests.reports.conftest import PERIOD, at
from tests.reports.test_figures import pdf_text

pytestmark = pytest.mark.django_db


def export(tmp_path, registrar, when, **scope):
    path = tmp_path / f"{when:%Y%m%d%H%M}.zip"
    with time_machine.travel(when, tick=False), open(path, "w+b") as out:
        services.export_package(
            scope=writer.Scope(**scope),
            actor=registrar,
            out=out,
            channel=ArchiveExport.Channel.COMMAND,
        )
    return path


def check(path, registrar, when):
    with time_machine.travel(when, tick=False):
        return services.verify_recorded_package(path=path, actor=registrar)


@pytest.fixture
def packages(world, registrar, tmp_path):
    """KS: one package before the period checked in it, one in December checked
    in January, one of the account Beta (KS) whose check finds another file.
    BUN: one in the period, one after it."""
    ks, bun = world["ks"], world["bun"]
    june = export(tmp_path, registrar, at(2025, 6, 20), administration=ks, year=2025)
    check(june, registrar, at(2025, 7, 2))
    december = export(tmp_path, registrar, at(2025, 12, 30), administration=ks, year=2025)
    check(december, registrar, at(2026, 1, 5))
    beta = export(tmp_path, registrar, at(2026, 3, 1), account=world["b"])
    changed = tmp_path / "andrad.zip"
    changed.write_bytes(beta.read_bytes() + b"\0")  # still opens as a zip; not the same file
    check(changed, registrar, at(2026, 3, 2))
    export(tmp_path, registrar, at(2025, 8, 1), administration=bun, year=2025)
    export(tmp_path, registrar, at(2026, 7, 2), administration=bun, year=2026)
    return world


def test_every_export_and_check_is_logged_and_never_changed(packages, registrar):
    exports = list(ArchiveExport.objects.order_by("exported_at"))
    assert len(exports) == 5
    first = exports[0]
    assert first.exported_by == registrar and first.valid and first.problems == ""
    assert first.administration == packages["ks"] and first.year == 2025
    assert len(first.sha256) == 64 and first.size > 0 and first.checked_files > 0
    assert first.history.count() == 1
    checks = list(ExportVerification.objects.order_by("verified_at"))
    assert [(c.valid, c.same_file) for c in checks] == [(True, True), (True, True), (True, False)]
    assert checks[0].export == first and checks[0].verified_by == registrar
    with pytest.raises(RecordLockedError):
        first.save()
    with pytest.raises(RecordLockedError):
        checks[0].delete()


def test_the_report_counts_packages_across_the_year_boundary(packages):
    report = build_report(PERIOD)
    table = {row[0]: row[1:] for row in report.table("arkivpaket").rows}
    # exported, valid when written, checked again and unchanged, checks with errors
    assert table["Kommunstyrelseförvaltningen"] == [2, 2, 2, 1]
    assert table["Barn- och utbildningsförvaltningen"] == [1, 1, 0, 0]
    assert table["Totalt"] == [3, 3, 2, 1]
    audit = {row[1]: row[2:4] for row in report.table("revision").rows}
    answer, evidence = audit["Lämnas handlingarna till arkivet i kontrollerade arkivpaket?"]
    assert answer == "Delvis"
    assert evidence.startswith("3 arkivpaket exporterades under perioden, 3 giltiga")


def test_one_administration_counts_its_own_and_its_accounts_packages(packages):
    ks = build_report(Period(PERIOD.start, PERIOD.end, packages["ks"].pk))
    assert ks.table("arkivpaket").rows == [
        ["Kommunstyrelseförvaltningen", 2, 2, 2, 1],
        ["Totalt", 2, 2, 2, 1],
    ]
    bun = build_report(Period(PERIOD.start, PERIOD.end, packages["bun"].pk))
    assert bun.table("arkivpaket").rows == [
        ["Barn- och utbildningsförvaltningen", 1, 1, 0, 0],
        ["Totalt", 1, 1, 0, 0],
    ]


def test_the_pdf_text_and_the_spreadsheet_show_the_counts(packages):
    report = build_report(PERIOD)
    text = " ".join(pdf_text(render.render_pdf(report, made_by="Klara Kommunchef")).split())
    assert "Arkivpaket exporterade och kontrollerade" in text
    assert "Kommunstyrelseförvaltningen 2 2 2 1" in text
    assert "Barn- och utbildningsförvaltningen 1 1 0 0" in text
    book = load_workbook(io.BytesIO(render.render_xlsx(report)))
    cells = [list(r) for r in book["arkivpaket"].iter_rows(values_only=True)]
    assert cells[0][:3] == ["Förvaltning", "Exporterade paket", "Giltiga när de skrevs"]
    assert ["Kommunstyrelseförvaltningen", 2, 2, 2, 1] in cells
    assert cells[-1] == ["Totalt", 3, 3, 2, 1]
    scoped = build_report(Period(PERIOD.start, PERIOD.end, packages["bun"].pk))
    book = load_workbook(io.BytesIO(render.render_xlsx(scoped)))
    assert [list(r) for r in book["arkivpaket"].iter_rows(values_only=True)][-1] == [
        "Totalt",
        1,
        1,
        0,
        0,
    ]


def test_the_registrar_sees_the_log_on_the_export_page(client_for, registrar, packages):
    page = client_for(registrar).get("/diariet/arkivexport/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Exporterade arkivpaket" in text
    for export_row in ArchiveExport.objects.all():
        assert export_row.objid in text and export_row.sha256 in text
    assert "inte samma fil som exporterades" in text
    assert "giltigt och oförändrat" in text


@pytest.mark.parametrize("role", ["info_officer", "registrar"])
def test_the_dashboard_links_to_the_report_for_who_may_make_it(client_for, request, role):
    """The dashboard's readers (whoever sees every account) see the link only
    when the report page would let them in."""
    user = request.getfixturevalue(role)
    page = client_for(user).get("/register/efterlevnad/")
    assert page.status_code == 200
    linked = 'href="/arsrapport/"' in page.content.decode()
    assert linked == can_make_reports(user)
    assert linked == (client_for(user).get("/arsrapport/").status_code == 200)
    if role == "info_officer":
        assert linked
        assert "Årsrapport till kommunstyrelsen och revisorerna" in page.content.decode()


def test_a_period_without_packages_counts_zero(world):
    period = Period(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    assert build_report(period).table("arkivpaket").rows[-1] == ["Totalt", 0, 0, 0, 0]
