"""The PDF/A step joins the glyph strings WeasyPrint separates with a 0
adjustment: the text and every real adjustment (kerning) stay as they were, the
tagged structure still fits the page content, and the file is still a valid
PDF/A-2b."""

import io
import re

import pikepdf

from nora_social.core.pdf import check_pdfa, html_to_pdf, to_pdfa
from tests.accessible_pdf import tagged_pdf_facts
from tests.security.test_secret_never_leaks import pdf_contents

HTML_TEXT = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>Prov</title><style>body { font-family: "DejaVu Sans"; font-size: 11pt; }</style>
</head><body>
<h1>AVTAL – Växjö, Ängelholm och Åre</h1>
<p>Ärendemening: synpunkt på kommunens inlägg om badplatsen. WAVE, Toyota, LTA.</p>
<table><thead><tr><th scope="col">Krav</th><th scope="col">Bekräftat</th></tr></thead>
<tr><td>Kommunens logotyp som profilbild</td><td>Ja</td></tr></table>
</body></html>"""


def _text_arrays(data: bytes) -> list[list]:
    arrays = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "TJ":
                    arrays.append(
                        [
                            bytes(item) if isinstance(item, pikepdf.String) else float(item)
                            for item in operands[0]
                        ]
                    )
    return arrays


def _adjustments(arrays: list[list]) -> list[float]:
    return [item for array in arrays for item in array if isinstance(item, float)]


def _glyphs(arrays: list[list]) -> bytes:
    return b"".join(item for array in arrays for item in array if isinstance(item, bytes))


def test_zero_adjustments_are_joined_and_text_and_kerning_stay():
    raw = html_to_pdf(HTML_TEXT)
    before = _text_arrays(raw)
    assert 0.0 in _adjustments(before), "WeasyPrint no longer writes 0 adjustments"

    data = to_pdfa(raw)

    after = _text_arrays(data)
    assert 0.0 not in _adjustments(after)
    assert sorted(_adjustments(after)) == sorted(a for a in _adjustments(before) if a != 0)
    assert _glyphs(after) == _glyphs(before)
    _, text = pdf_contents(data)
    assert re.sub(r"\s+", " ", text) == re.sub(r"\s+", " ", pdf_contents(raw)[1])
    assert "Ängelholm" in text and "badplatsen" in text
    report = check_pdfa(data)
    assert report.passed and report.violations == (), report.summary()
    # Joining rewrites the page content but not its marked content: every
    # MCID on a page still resolves to its element in the structure tree.
    facts = tagged_pdf_facts(data)
    assert facts["tagged"] and facts["marked"] and facts["lang"] == "sv"
    assert facts["types"].count("/TD") == 2
    assert facts["unresolved_mcids"] == []
