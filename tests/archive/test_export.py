"""The archive export as an E-ARK SIP (FGS Paketstruktur / CSIP): a package for
an administration and a year holds exactly that administration's cases,
documents and snapshots of that year; every METS checksum matches the bytes; the
validator accepts the package and names what is wrong with a changed one."""

import csv
import datetime
import hashlib
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from archive.export import layout, validator, writer
from archive.export.models import ArchiveExport
from archive.register import services
from nora_social.core.csv_cells import FORMULA_STARTS, csv_cell
from tests.archive.conftest import register
from tests.archive.eark import eark_errors
from tests.archive.snapshot_helpers import final_snapshot_row
from tests.archive.test_purge import uploaded_by_mistake

pytestmark = pytest.mark.django_db

NS = {"mets": layout.METS_NS, "xlink": layout.XLINK_NS, "d": layout.DIARIUM_NS}
CSIP_NS = {**NS, "csip": layout.CSIP_NS}
HREF = f"{{{layout.XLINK_NS}}}href"
THIS_YEAR = timezone.localdate().year


@pytest.fixture
def registered(account, other_account, staff, registrar):
    """This year in KS: a moderation record with its screenshot, a plain entry,
    a secret one and a snapshot. Last year in KS and this year in BUN: an entry
    and a snapshot each, which a KS package for this year must leave out."""
    with time_machine.travel(timezone.now() - datetime.timedelta(days=366)):
        register(registrar, account, subject="Förra årets synpunkt")
        old_snapshot = final_snapshot_row(account, registrar)
    record = uploaded_by_mistake(account, staff)
    services.register_record(record=record, actor=registrar)
    register(registrar, account, subject="Synpunkt på snöröjning")
    register(
        registrar,
        account,
        subject="Hot mot en anställd",
        secrecy_provision="OSL 21 kap. 7 §",
    )
    snapshot = final_snapshot_row(account, registrar)
    register(registrar, other_account, subject="Fråga om skolskjuts")
    other_snapshot = final_snapshot_row(other_account, registrar)
    return {
        "record": record,
        "snapshot": snapshot,
        "old_snapshot": old_snapshot,
        "other_snapshot": other_snapshot,
    }


def package_bytes(registrar, **scope) -> bytes:
    return writer.build_package(scope=writer.Scope(**scope), actor=registrar).read()


def ks_package(registrar, org) -> bytes:
    return package_bytes(registrar, administration=org["administration"], year=THIS_YEAR)


def open_package(data: bytes) -> tuple[zipfile.ZipFile, str]:
    package = zipfile.ZipFile(io.BytesIO(data))
    root = package.namelist()[0].split("/")[0]
    return package, root


def stored_bytes(field_file) -> bytes:
    with field_file.open("rb") as stored:
        return stored.read()


def test_package_holds_exactly_the_administrations_year(registrar, org, registered):
    package, root = open_package(ks_package(registrar, org))
    diarium = etree.fromstring(package.read(f"{root}/{layout.DIARIUM}"))

    cases = [c.get("reference") for c in diarium.iterfind("d:cases/d:case", NS)]
    assert cases and all(c.startswith(f"KS {THIS_YEAR}/") for c in cases)
    subjects = {
        d.findtext("d:subject", namespaces=NS) for d in diarium.iterfind(".//d:document", NS)
    }
    assert {"Synpunkt på snöröjning", "Hot mot en anställd"} <= subjects
    assert "Förra årets synpunkt" not in subjects
    assert "Fråga om skolskjuts" not in subjects
    snapshot_ids = {s.get("id") for s in diarium.iterfind("d:snapshots/d:snapshot", NS)}
    assert snapshot_ids == {str(registered["snapshot"].pk)}

    names = set(package.namelist())
    data = f"{root}/{layout.REP_DATA}"
    assert f"{data}/{registered['record'].screenshot.name}" in names
    assert f"{data}/{registered['snapshot'].pdf.name}" in names
    assert f"{data}/{registered['old_snapshot'].pdf.name}" not in names
    assert f"{data}/{registered['other_snapshot'].pdf.name}" not in names
    assert package.read(f"{data}/{registered['snapshot'].pdf.name}") == stored_bytes(
        registered["snapshot"].pdf
    )
    # The register follows the schema shipped in the package.
    schema = etree.XMLSchema(etree.fromstring(package.read(f"{root}/{layout.SCHEMA}")))
    assert schema.validate(diarium), schema.error_log


def test_secret_document_is_kept_with_its_provision(registrar, org, registered):
    package, root = open_package(ks_package(registrar, org))
    diarium = etree.fromstring(package.read(f"{root}/{layout.DIARIUM}"))
    secret = [
        d
        for d in diarium.iterfind(".//d:document", NS)
        if d.findtext("d:subject", namespaces=NS) == "Hot mot en anställd"
    ]
    assert secret[0].find("d:secrecy", NS).get("provision") == "OSL 21 kap. 7 §"
    assert "OSL 21 kap. 7 §" in package.read(f"{root}/{layout.DOCUMENTS_CSV}").decode("utf-8-sig")
    assert "11 kap. 4 §" in package.read(f"{root}/{layout.README}").decode()


def _mets_entries(package, root, mets_path):
    mets = etree.fromstring(package.read(f"{root}/{mets_path}"))
    base = os.path.dirname(mets_path)
    for element in mets.iter(f"{{{layout.METS_NS}}}file", f"{{{layout.METS_NS}}}mdRef"):
        locator = element.find("mets:FLocat", NS) if element.tag.endswith("file") else element
        yield os.path.join(base, locator.get(HREF)), element


def test_mets_is_csip_and_every_checksum_matches_the_bytes(registrar, org, registered):
    package, root = open_package(ks_package(registrar, org))
    assert root.startswith(f"nora-ks-{THIS_YEAR}-")
    mets = etree.fromstring(package.read(f"{root}/METS.xml"))
    assert mets.get("OBJID") == root
    assert mets.get("PROFILE") == "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
    assert mets.get("TYPE")
    assert mets.get(f"{{{layout.CSIP_NS}}}CONTENTINFORMATIONTYPE")
    header = mets.find("mets:metsHdr", NS)
    assert header.get("CREATEDATE") and header.get(f"{{{layout.CSIP_NS}}}OAISPACKAGETYPE") == "SIP"
    agents = {a.findtext("mets:name", namespaces=NS) for a in header.iterfind("mets:agent", NS)}
    assert {"Nora kommun", "Nora social", "Rut Registrator"} <= agents
    uses = {g.get("USE") for g in mets.iterfind(".//mets:fileGrp", NS)}
    assert {"Documentation", "Schemas", "Representations/rep1"} <= uses
    assert mets.find("mets:structMap[@TYPE='PHYSICAL'][@LABEL='CSIP']", NS) is not None

    listed = set()
    for mets_path in ("METS.xml", layout.REP_METS):
        for path, element in _mets_entries(package, root, mets_path):
            data = package.read(f"{root}/{path}")
            assert element.get("CHECKSUMTYPE") == "SHA-256"
            assert element.get("CHECKSUM") == hashlib.sha256(data).hexdigest(), path
            assert element.get("SIZE") == str(len(data)), path
            assert element.get("MIMETYPE") and element.get("CREATED")
            listed.add(path)
    files = {n.removeprefix(f"{root}/") for n in package.namelist() if not n.endswith("/")}
    assert files - listed == {"METS.xml"}
    assert f"{layout.REP_DATA}/{registered['snapshot'].pdf.name}" in listed
    # PREMIS records the snapshot's creation and its fixity against the stored hash.
    premis = package.read(f"{root}/{layout.PREMIS}").decode()
    assert f"event-snapshot-{registered['snapshot'].pk}-creation" in premis
    assert registered["snapshot"].sha256 in premis
    assert "<premis:eventOutcome>failure" not in premis


# --- The validator ---------------------------------------------------------------------


def rewrite(data: bytes, change=lambda name, content: content, extra=None) -> bytes:
    """A copy of the package with members changed (None drops one) or added."""
    source, _root = open_package(data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = change(name, source.read(name))
            if content is not None:
                target.writestr(name, content)
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def validate(tmp_path, data: bytes) -> tuple[bool, str]:
    path = tmp_path / "paket.zip"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("validate_archive_package", str(path), stdout=out, stderr=err)
    except CommandError as error:
        assert error.returncode == 1
        return False, err.getvalue()
    return True, out.getvalue()


def test_validator_accepts_the_written_package(registrar, org, registered, tmp_path):
    ok, output = validate(tmp_path, ks_package(registrar, org))
    assert ok
    assert "är giltigt" in output


@pytest.mark.parametrize("year_offset", [0, 5], ids=["with-records", "empty-year"])
def test_reference_validator_finds_no_error(registrar, org, registered, tmp_path, year_offset):
    """The E-ARK reference validator (CSIP 2.1, SIP 2.1), not only our own
    check: an archive authority validates with it before taking a package."""
    package, root = open_package(
        package_bytes(registrar, administration=org["administration"], year=THIS_YEAR - year_offset)
    )
    package.extractall(tmp_path)
    errors = eark_errors(tmp_path / root)
    assert errors == [], "\n".join(errors)
    # SIP 2.1: the archival creator and the submitter are the municipality,
    # identified by its organisation number.
    mets = etree.parse(tmp_path / root / "METS.xml")
    identified = {
        (agent.get("ROLE"), agent.get("OTHERROLE")): agent.findtext(
            "mets:note[@csip:NOTETYPE='IDENTIFICATIONCODE']", namespaces=CSIP_NS
        )
        for agent in mets.iterfind("mets:metsHdr/mets:agent[@TYPE='ORGANIZATION']", NS)
    }
    assert identified == {("ARCHIVIST", None): "212000-1959", ("OTHER", "SUBMITTER"): "212000-1959"}


def test_reference_validator_reports_a_broken_package(registrar, org, registered, tmp_path):
    """The reference check does fail a package: without the software agent's
    version note (CSIP15) or the Representations division (CSIP103)."""
    package, root = open_package(ks_package(registrar, org))
    package.extractall(tmp_path)
    mets_path = tmp_path / root / "METS.xml"
    mets = etree.parse(mets_path)
    for element in (
        mets.find(".//mets:agent[@OTHERTYPE='SOFTWARE']/mets:note", NS),
        mets.find(".//mets:div[@LABEL='Representations']", NS),
    ):
        element.getparent().remove(element)
    mets.write(mets_path, xml_declaration=True, encoding="UTF-8")
    rules = {error.split(":")[0] for error in eark_errors(tmp_path / root)}
    assert {"CSIP15", "CSIP103"} <= rules


def test_validator_accepts_the_unpacked_folder(registrar, org, registered, tmp_path):
    package, root = open_package(ks_package(registrar, org))
    package.extractall(tmp_path / "uppackat")
    assert validator.verify_package(tmp_path / "uppackat" / root) == []
    assert validator.verify_package(tmp_path / "uppackat") == []


def test_validator_names_a_tampered_file(registrar, org, registered, tmp_path):
    pdf = registered["snapshot"].pdf.name
    data = rewrite(
        ks_package(registrar, org),
        lambda name, content: content + b"x" if name.endswith(pdf) else content,
    )
    ok, output = validate(tmp_path, data)
    assert not ok
    assert f"{layout.REP_DATA}/{pdf}: storleken" in output
    assert f"{layout.REP_DATA}/{pdf}: SHA-256 stämmer inte" in output


def test_validator_names_a_changed_register_of_the_same_size(registrar, org, registered, tmp_path):
    data = rewrite(
        ks_package(registrar, org),
        lambda name, content: (
            content.replace("snöröjning".encode(), "snöröjnimg".encode())
            if name.endswith(layout.DOCUMENTS_CSV)
            else content
        ),
    )
    ok, output = validate(tmp_path, data)
    assert not ok
    assert f"{layout.DOCUMENTS_CSV}: SHA-256 stämmer inte" in output


def test_validator_names_a_missing_file(registrar, org, registered, tmp_path):
    screenshot = registered["record"].screenshot.name
    data = rewrite(
        ks_package(registrar, org),
        lambda name, content: None if name.endswith(screenshot) else content,
    )
    ok, output = validate(tmp_path, data)
    assert not ok
    assert f"{layout.REP_DATA}/{screenshot}: finns i METS men saknas i paketet" in output


def test_validator_names_an_unlisted_file(registrar, org, registered, tmp_path):
    data = ks_package(registrar, org)
    _package, root = open_package(data)
    data = rewrite(data, extra={f"{root}/{layout.REP_DATA}/smuggel.txt": b"x"})
    ok, output = validate(tmp_path, data)
    assert not ok
    assert f"{layout.REP_DATA}/smuggel.txt: finns i paketet men inte i någon METS" in output


@pytest.mark.parametrize("href", ["../../etc/passwd", "/etc/passwd", "file:///etc/passwd"])
def test_validator_refuses_a_reference_outside_the_package(
    registrar, org, registered, tmp_path, href
):
    def point_outside(name, content):
        if name.endswith("/METS.xml") and "/representations/" not in name:
            return content.replace(f'href="{layout.README}"'.encode(), f'href="{href}"'.encode())
        return content

    ok, output = validate(tmp_path, rewrite(ks_package(registrar, org), point_outside))
    assert not ok
    assert f"pekar på '{href}', som inte är en relativ sökväg inom paketet" in output
    # The documentation file is then listed nowhere: named too.
    assert f"{layout.README}: finns i paketet men inte i någon METS" in output


def test_validator_refuses_a_member_outside_the_root(registrar, org, registered, tmp_path):
    data = rewrite(ks_package(registrar, org), extra={"../utanfor.txt": b"x"})
    ok, output = validate(tmp_path, data)
    assert not ok
    assert "../utanfor.txt: sökvägen pekar utanför paketet" in output


def test_validator_names_missing_csip_attributes(registrar, org, registered, tmp_path):
    def strip(name, content):
        if name.endswith("/METS.xml") and "/representations/" not in name:
            return content.replace(b'PROFILE="', b'XPROFILE="')
        return content

    ok, output = validate(tmp_path, rewrite(ks_package(registrar, org), strip))
    assert not ok
    assert "METS.xml: attributet PROFILE saknas (CSIP6)" in output


def test_validator_exit_status_from_the_shell(registrar, org, registered, tmp_path):
    pdf = registered["snapshot"].pdf.name
    path = tmp_path / "paket.zip"
    path.write_bytes(
        rewrite(
            ks_package(registrar, org),
            lambda name, content: b"%PDF-fel" if name.endswith(pdf) else content,
        )
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "validate_archive_package", str(path)],
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert pdf in done.stderr
    assert "inte giltigt" in done.stderr


# --- The command that writes a package ---------------------------------------------------


def test_command_writes_a_valid_package(registrar, org, registered, tmp_path):
    out = io.StringIO()
    call_command(
        "write_archive_package",
        administration="KS",
        year=THIS_YEAR,
        user=registrar.username,
        output=str(tmp_path),
        stdout=out,
    )
    written = list(tmp_path.glob("nora-ks-*.zip"))
    assert len(written) == 1
    assert validator.verify_package(written[0]) == []
    assert "Kontrollerat: giltigt" in out.getvalue()
    assert not list(tmp_path.glob("*.part"))


def test_command_refuses_someone_without_the_export_permission(staff, org, tmp_path):
    with pytest.raises(CommandError, match="får inte exportera"):
        call_command(
            "write_archive_package",
            administration="KS",
            year=THIS_YEAR,
            user=staff.username,
            output=str(tmp_path),
        )
    assert not list(tmp_path.iterdir())


# --- The page --------------------------------------------------------------------------


def test_registrar_downloads_the_package(client_for, registrar, org, registered):
    response = client_for(registrar).post(
        reverse("archive:export_package"),
        {"administration": org["administration"].pk, "year": THIS_YEAR},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = b"".join(response.streaming_content)
    assert validator.verify_package(io.BytesIO(data)) == []
    _package, root = open_package(data)
    assert root.startswith(f"nora-ks-{THIS_YEAR}-")
    # The package is in the export log, as downloaded.
    logged = ArchiveExport.objects.get(objid=root)
    assert logged.exported_by == registrar and logged.valid
    assert logged.channel == ArchiveExport.Channel.WEB
    assert logged.sha256 == hashlib.sha256(data).hexdigest() and logged.size == len(data)


def test_a_get_with_a_choice_writes_nothing(client_for, registrar, org, registered):
    response = client_for(registrar).get(
        reverse("archive:export_package"),
        {"administration": org["administration"].pk, "year": THIS_YEAR},
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert not ArchiveExport.objects.exists()


def test_a_later_check_is_logged_against_the_export(registrar, org, registered, tmp_path):
    out = io.StringIO()
    call_command(
        "write_archive_package",
        administration="KS",
        year=THIS_YEAR,
        user=registrar.username,
        output=str(tmp_path),
        stdout=out,
    )
    (written,) = tmp_path.glob("nora-ks-*.zip")
    export = ArchiveExport.objects.get(objid=written.stem)
    assert export.channel == ArchiveExport.Channel.COMMAND and export.valid
    assert export.sha256 in out.getvalue()
    out = io.StringIO()
    call_command("validate_archive_package", str(written), user=registrar.username, stdout=out)
    assert "samma fil som exporterades" in out.getvalue()
    (check,) = export.verifications.all()
    assert check.ok and check.verified_by == registrar


@pytest.mark.parametrize("role", ["staff", "manager", "info_officer", "security_coordinator"])
def test_only_the_registrar_may_export(client_for, request, org, role):
    user = request.getfixturevalue(role)
    response = client_for(user).post(
        reverse("archive:export_package"), {"administration": org["administration"].pk}
    )
    assert response.status_code == 403
    assert not ArchiveExport.objects.exists()


def test_anonymous_is_sent_to_login(client, org):
    response = client.get(reverse("archive:export_package"))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_export_form_needs_one_scope(client_for, registrar, account, org):
    client = client_for(registrar)
    assert client.get(reverse("archive:export_package")).status_code == 200
    response = client.post(
        reverse("archive:export_package"),
        {"account": account.pk, "administration": org["administration"].pk},
    )
    assert response.status_code == 400
    assert "antingen en förvaltning eller ett konto" in response.content.decode()
    response = client.post(reverse("archive:export_package"), {"year": "abc"})
    assert response.status_code == 400
    assert not ArchiveExport.objects.exists()


def test_account_package_is_valid_and_only_that_account(registrar, account, registered):
    package, root = open_package(package_bytes(registrar, account=account))
    diarium = etree.fromstring(package.read(f"{root}/{layout.DIARIUM}"))
    subjects = {
        d.findtext("d:subject", namespaces=NS) for d in diarium.iterfind(".//d:document", NS)
    }
    assert "Synpunkt på snöröjning" in subjects
    assert "Fråga om skolskjuts" not in subjects
    assert validator.verify_package(io.BytesIO(package.fp.getvalue())) == []


def test_a_year_with_nothing_is_still_a_valid_package(registrar, org, registered, tmp_path):
    package, root = open_package(
        package_bytes(registrar, administration=org["administration"], year=THIS_YEAR - 5)
    )
    diarium = etree.fromstring(package.read(f"{root}/{layout.DIARIUM}"))
    assert diarium.find("d:documents/d:document", NS) is None
    assert f"{root}/{layout.REP_DATA}/" in package.namelist()
    assert validator.verify_package(io.BytesIO(package.fp.getvalue())) == []


# --- Formula injection -----------------------------------------------------------------

PARTIES = ['=HYPERLINK("https://example.org/x","Klicka")', "@SUM(1+1)"]
SUBJECTS = ["+Synpunkt om gatubelysning", "-Fråga om bygglov"]


def test_csv_in_the_package_cannot_run_as_a_formula_and_the_xml_keeps_the_text(
    registrar, org, account
):
    """A party or subject written by a citizen (a display name) is opened as
    text by a spreadsheet: the CSV cell starts with an apostrophe, while the
    register XML keeps exactly what was registered."""
    for party, subject in zip(PARTIES, SUBJECTS, strict=True):
        register(registrar, account, subject=subject, party=party)
    package, root = open_package(ks_package(registrar, org))

    rows = list(
        csv.DictReader(
            io.StringIO(package.read(f"{root}/{layout.DOCUMENTS_CSV}").decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert sorted(r["party"] for r in rows) == sorted(f"'{p}" for p in PARTIES)
    assert sorted(r["subject"] for r in rows) == sorted(f"'{s}" for s in SUBJECTS)
    assert not any(cell.startswith(FORMULA_STARTS) for row in rows for cell in row.values())

    diarium = etree.fromstring(package.read(f"{root}/{layout.DIARIUM}"))
    documents = list(diarium.iterfind(".//d:document", NS))
    assert sorted(d.findtext("d:party", namespaces=NS) for d in documents) == sorted(PARTIES)
    assert sorted(d.findtext("d:subject", namespaces=NS) for d in documents) == sorted(SUBJECTS)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_one_guard_for_every_csv_cell(start):
    assert csv_cell(f"{start}1+1") == f"'{start}1+1"
    assert csv_cell("Nora kommun") == "Nora kommun"
    assert csv_cell(None) == ""
    assert csv_cell(17) == "17"
