"""The report's figures for a world with known answers, across a year boundary
and for one administration, in the tables, the PDF text and the XLSX cells."""

import datetime
import io
import zipfile
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
from openpyxl import load_workbook

from channels_registry.compliance import selectors as compliance_selectors
from nora_social.core.pdf import check_pdfa
from nora_social.reports import render
from nora_social.reports.build import build_report
from nora_social.reports.tables import Period
from tests.accessible_pdf import tagged_pdf_facts
from tests.reports.conftest import PERIOD

pytestmark = pytest.mark.django_db


def rows(report, key):
    return report.table(key).rows


def test_accounts_opened_and_closed_across_the_year_boundary(world):
    report = build_report(PERIOD)
    assert rows(report, "konton") == [
        ["Barn- och utbildningsförvaltningen", "Facebook", 0, 0, 0, 1],
        ["Kommunstyrelseförvaltningen", "Facebook", 1, 1, 0, 0],
        ["Kommunstyrelseförvaltningen", "Instagram", 1, 1, 1, 0],
        ["Totalt", "", 2, 2, 1, 1],
    ]
    plans = {r[1]: r[4:] for r in rows(report, "planer")}
    assert plans == {
        "Nora kommun Alfa": ["2025-03-01", "2026-03-01", "Ja"],
        "Nora kommun Beta": ["Saknas", "", "Ja"],
    }


def test_people_holders_deputies_policy_and_competence(world):
    report = build_report(PERIOD)
    people = {r[1]: r[3:] for r in rows(report, "personer")}
    assert people == {
        "Nora kommun Alfa": [2, 2, "Ja", "Ja", 1, 1],
        "Nora kommun Beta": [1, 1, "Ja", "Nej", 1, 0],
    }
    summary = {r[0]: r[1:] for r in rows(report, "personer_summa")}
    assert summary["Uppdrag där personen kvitterat gällande policy"] == [2, 66.7]


def test_posts_per_month_against_the_promise(world):
    table = build_report(PERIOD).table("aktivitet")
    by_name = {r[0]: r for r in table.rows}
    alfa = by_name["Nora kommun Alfa"]
    assert alfa[2] == "minst 4 i månaden"
    assert alfa[3:15] == [5, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0]
    assert alfa[15:] == [7, 11]  # every whole month but July is below four
    assert by_name["Nora kommun Beta"][15:] == [0, 3]  # April to June
    assert by_name["Nora kommun Skolan"][15:] == [0, 10]  # closed on 31 May


def test_questions_in_working_hours_across_new_year(world):
    report = build_report(PERIOD)
    # 2 h on 1 July; 30 Dec 16–17 + 2 Jan 8–10 = 3 h (31 Dec and 1 Jan closed).
    assert rows(report, "fragor") == [
        ["Kommunstyrelseförvaltningen", 3, 2, 2.5, 2.9, 33.3],
        ["Totalt", 3, 2, 2.5, 2.9, 33.3],
    ]


def test_moderation_counts_only_and_corrections_once(world):
    report = build_report(PERIOD)
    counts = {r[1]: r[3] for r in rows(report, "moderering")}
    assert counts["Olaga hot"] == 1
    assert counts["Reklam"] == 1
    assert counts["Kränkande uppgifter"] == 1
    assert counts["Personangrepp"] == 1
    assert rows(report, "eskaleringar")[:2] == [["Eskaleringar (lagkrav)", 1], ["Polisanmälda", 1]]
    text = render.report_html(report, made_by="Klara Kommunchef")
    assert "Text som togs bort" not in text and "Någon" not in text


def test_findings_opened_resolved_and_open_at_the_end(world):
    report = build_report(PERIOD)
    assert rows(report, "efterlevnad") == [
        ["Ersättare saknas", 1, 1, 40.0, 1],
        ["Godkänd aktivitetsplan saknas", 1, 0, None, 1],
        ["Totalt", 2, 1, 40.0, 2],
    ]


def test_one_administration(world):
    report = build_report(Period(PERIOD.start, PERIOD.end, world["bun"].pk))
    assert report.scope_name == "Barn- och utbildningsförvaltningen"
    assert rows(report, "konton") == [
        ["Barn- och utbildningsförvaltningen", "Facebook", 0, 0, 0, 1],
        ["Totalt", "", 0, 0, 0, 1],
    ]
    assert rows(report, "fragor") == [["Totalt", 0, 0, None, None, None]]
    counts = {r[1]: r[3] for r in rows(report, "moderering")}
    assert counts["Kränkande uppgifter"] == 1 and counts["Reklam"] == 0
    assert rows(report, "efterlevnad") == [["Totalt", 0, 0, None, 0]]


def pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_the_pdf_is_pdfa_and_shows_the_figures(world):
    report = build_report(PERIOD)
    data = render.render_pdf(report, made_by="Klara Kommunchef")
    check = check_pdfa(data)
    assert check.passed and check.violations == (), check.summary()
    facts = tagged_pdf_facts(data)
    assert facts["tagged"] and facts["lang"] == "sv" and facts["unresolved_mcids"] == []
    text = " ".join(pdf_text(data).split())
    assert "Årsrapport sociala medier 2025-07-01 – 2026-06-30, Hela kommunen" in text
    assert "Kommunstyrelseförvaltningen 3 2 2,5 2,9 33,3" in text
    assert "Ersättare saknas 1 1 40,0 1" in text
    assert "Totalt 2 2 1 1" in text


def test_the_spreadsheet_and_csv_hold_the_same_figures(world):
    report = build_report(PERIOD)
    book = load_workbook(io.BytesIO(render.render_xlsx(report)))
    questions = [list(r) for r in book["fragor"].iter_rows(values_only=True)]
    assert questions[1] == ["Kommunstyrelseförvaltningen", 3, 2, 2.5, 2.9, 33.3]
    assert [c for c in book["konton"]["A5":"F5"][0]][2].value == 2
    explained = {(r[0], r[2]) for r in book["kolumner"].iter_rows(values_only=True)}
    assert ("fragor", "Median svarstid (arbetstimmar)") in explained
    with zipfile.ZipFile(io.BytesIO(render.render_csv_zip(report))) as package:
        assert "fragor.csv" in package.namelist()
        body = package.read("fragor.csv").decode("utf-8-sig")
    assert "Kommunstyrelseförvaltningen;3;2;2,5;2,9;33,3" in body


def test_same_figures_as_the_dashboard(world):
    """For a period ending today the report's open findings and accounts are
    the dashboard's."""
    today = datetime.date.today()
    report = build_report(Period(datetime.date(today.year, 1, 1), today))
    dashboard = compliance_selectors.dashboard()
    total = rows(report, "efterlevnad")[-1]
    assert total[4] == dashboard["open_total"]
    by_rule = {r["title"]: r["open"] for r in dashboard["rules"] if r["open"]}
    assert {r[0]: r[4] for r in rows(report, "efterlevnad")[:-1] if r[4]} == by_rule
    assert rows(report, "konton")[-1][2] == dashboard["account_count"]


def test_requests_for_public_documents_are_counted_with_their_time_to_answer(world, info_officer):
    """Two requests to KS in the period (one answered after 3 working hours on
    a Monday, one with a document refused in part, asked for a written decision
    and appealed), one to BUN still open, one to KS before the period."""
    from archive.requests.models import (
        Appeal,
        Assessment,
        RecordsRequest,
        RequestedDocument,
    )

    tz = ZoneInfo("Europe/Stockholm")

    def request(administration, received, answered=None, **extra):
        return RecordsRequest.objects.create(
            administration=administration,
            channel="web",
            description="Kommentarer på kontot",
            delivery="email",
            tracking_token_hash=f"{administration.pk}-{received.isoformat()}",
            received_at=received,
            answered_at=answered,
            **extra,
        )

    ks, bun = world["ks"], world["bun"]
    monday = datetime.datetime(2025, 9, 1, 9, 0, tzinfo=tz)
    request(ks, monday, monday + datetime.timedelta(hours=3), status="handed_out")
    refused = request(
        ks,
        monday + datetime.timedelta(days=7),
        monday + datetime.timedelta(days=7, hours=5),
        status="appealed",
        decision_requested_at=monday + datetime.timedelta(days=8),
    )
    RequestedDocument.objects.create(
        request=refused, description="Kommentar", assessment=Assessment.PARTLY
    )
    Appeal.objects.create(
        request=refused,
        received_on=datetime.date(2025, 9, 20),
        decision_received_on=datetime.date(2025, 9, 10),
        in_time=True,
        registered_by=info_officer,
    )
    request(bun, monday + datetime.timedelta(days=30))
    request(ks, datetime.datetime(2025, 6, 2, 9, 0, tzinfo=tz), status="handed_out")

    table = {row[0]: row for row in rows(build_report(PERIOD), "begaran")}
    assert table[ks.name][1:] == [2, 2, 4.0, 1, 1, 1]
    assert table[bun.name][1:] == [1, 0, None, 0, 0, 0]
    assert table["Totalt"][1:] == [3, 2, 4.0, 1, 1, 1]
    scoped = build_report(Period(PERIOD.start, PERIOD.end, administration_id=bun.pk))
    assert [row[1] for row in rows(scoped, "begaran")] == [1, 1]
