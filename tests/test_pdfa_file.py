"""A PDF/A written straight to its file (the snapshots' path, no copy in
memory) is the validated file: it appears at its name only once pikepdf's
validator has passed the bytes on disk, with the app's file mode; a document
that fails leaves nothing behind."""

import os
import stat

import pikepdf
import pytest
from pikepdf.pdfa import PdfaError

from nora_social.core.pdf import check_pdfa, html_to_pdf, to_pdfa_file

HTML = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>Prov</title><style>body { font-family: "DejaVu Sans"; }</style></head>
<body><h1>Ögonblicksbild</h1><p>Kommunens inlägg om badplatsen.</p></body></html>"""


@pytest.fixture
def permissive_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_the_file_is_valid_pdfa_with_the_app_mode(tmp_path, settings, permissive_umask):
    path = tmp_path / "snapshot.part"
    to_pdfa_file(html_to_pdf(HTML), path)
    report = check_pdfa(path.read_bytes())
    assert report.passed and report.violations == (), report.summary()
    assert stat.S_IMODE(path.stat().st_mode) == settings.FILE_UPLOAD_PERMISSIONS
    assert [p.name for p in tmp_path.iterdir()] == ["snapshot.part"]


def test_a_document_that_fails_validation_leaves_no_file(tmp_path):
    def break_pdfa(pdf: pikepdf.Pdf) -> None:
        # PDF/A forbids JavaScript: an open action with a script fails.
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)")

    path = tmp_path / "snapshot.part"
    with pytest.raises(PdfaError):
        to_pdfa_file(html_to_pdf(HTML), path, prepare=break_pdfa)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_never_overwritten(tmp_path):
    path = tmp_path / "snapshot.part"
    path.write_bytes(b"earlier")
    with pytest.raises(FileExistsError):
        to_pdfa_file(html_to_pdf(HTML), path)
    assert path.read_bytes() == b"earlier"


def test_the_worker_warm_up_document_passes_validation():
    """A prefork worker renders it before forking (nora_social.celery): a
    document the validator refused would leave every child cold."""
    from nora_social.core import pdf

    pdf.warm_up()
