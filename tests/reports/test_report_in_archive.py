"""The yearly report is part of the archived record: its PDF/A and spreadsheet are
kept as files of the document registered in the diarium, so the archive
package of the period carries them, listed with their checksums in METS and
PREMIS, the E-ARK reference validator still accepts the package, and
``verify_archive`` re-hashes them."""

import datetime
import hashlib
import io
import zipfile

import pytest
from django.core.management import call_command
from lxml import etree

from archive.export import layout, writer
from archive.register.models import Document, DocumentFile
from nora_social.reports import services, store
from tests.archive.eark import eark_errors

pytestmark = pytest.mark.django_db

NS = {"mets": layout.METS_NS, "xlink": layout.XLINK_NS, "d": layout.DIARIUM_NS}


def made_report(info_officer):
    manifest = services.report_start(
        actor=info_officer, start=datetime.date(2025, 7, 1), end=datetime.date(2026, 6, 30)
    )
    services.report_make(manifest.token)
    made = store.load(manifest.token)
    assert made is not None and made.state == store.DONE
    return made


def file_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def test_the_report_files_are_kept_with_its_document(world, info_officer, staff, client_for):
    made = made_report(info_officer)
    document = Document.objects.get(pk=made.document_id)
    kept = {f.mimetype: f for f in document.files.all()}
    assert set(kept) == {"application/pdf", store.FILES["xlsx"][1]}
    pdf = file_bytes(store.file_path(made, "pdf"))
    assert kept["application/pdf"].sha256 == hashlib.sha256(pdf).hexdigest()
    assert kept["application/pdf"].name == "arsrapport-2025-07-01-2026-06-30.pdf"
    # A retried task keeps what is kept: no second file, no second document.
    services.report_make(made.token)
    assert DocumentFile.objects.filter(document=document).count() == 2
    out = io.StringIO()
    call_command("verify_archive", stdout=out)
    assert "fil till handling: 2" in out.getvalue()
    # The document's page lists the files; the download is the PDF, byte for byte.
    page = client_for(info_officer).get(f"/diariet/handling/{document.pk}/").content.decode()
    assert kept["application/pdf"].sha256 in page
    url = f"/diariet/handling/{document.pk}/fil/{kept['application/pdf'].pk}/"
    download = client_for(info_officer).get(url)
    assert b"".join(download.streaming_content) == pdf
    assert "no-store" in download["Cache-Control"]
    assert client_for(staff).get(url).status_code == 404


def test_an_export_of_the_period_holds_the_report_pdf_with_its_checksum(
    world, info_officer, registrar, tmp_path
):
    made = made_report(info_officer)
    document = Document.objects.select_related("case__administration").get(pk=made.document_id)
    pdf = file_bytes(store.file_path(made, "pdf"))
    expected = hashlib.sha256(pdf).hexdigest()

    scope = writer.Scope(
        administration=document.case.administration, year=datetime.date.today().year
    )
    data = writer.build_package(scope=scope, actor=registrar).read()
    package = zipfile.ZipFile(io.BytesIO(data))
    root = package.namelist()[0].split("/")[0]

    # The register names the document's files; one of them is the PDF, byte for byte.
    diarium = etree.fromstring(package.read(f"{root}/{layout.DIARIUM}"))
    (entry,) = [
        d
        for d in diarium.iterfind(".//d:document", NS)
        if d.get("reference") == made.document_reference
    ]
    files = {f.get("sha256"): f.get("href") for f in entry.iterfind("d:file", NS)}
    assert len(files) == 2 and expected in files
    member = f"{root}/{files[expected]}"
    assert member.endswith(".pdf")
    assert hashlib.sha256(package.read(member)).hexdigest() == expected
    # The representation METS lists it with that checksum and size; PREMIS too.
    rep_mets = etree.fromstring(package.read(f"{root}/{layout.REP_METS}"))
    listed = {f.get("CHECKSUM"): f.get("SIZE") for f in rep_mets.iterfind(".//mets:file", NS)}
    assert listed[expected] == str(len(pdf))
    assert expected in package.read(f"{root}/{layout.PREMIS}").decode()

    package.extractall(tmp_path)
    errors = eark_errors(tmp_path / root)
    assert errors == [], "\n".join(errors)
