"""Archive export: an administration's (or an account's) register for a year as
one E-ARK SIP in the structure of FGS Paketstruktur / CSIP, for transfer to the
archive authority (arkivlagen; policy §10).

The zip holds one folder named by the package's OBJID::

    <OBJID>/METS.xml                          package METS (CSIP/SIP profile)
    <OBJID>/metadata/descriptive/diarium.xml  cases, documents, snapshots (schema below)
    <OBJID>/metadata/descriptive/*.csv        the same cases and documents as CSV
    <OBJID>/metadata/preservation/premis.xml  PREMIS 3: files with fixity, snapshot
                                              creation, fixity checks, the packing
    <OBJID>/representations/rep1/METS.xml     representation METS
    <OBJID>/representations/rep1/data/...     the stored files: screenshots, snapshot
                                              PDFs, plan PDFs of the documents
    <OBJID>/schemas/nora-diarium-1.xsd        schema of diarium.xml (ours)
    <OBJID>/documentation/las-mig.txt         what the package holds, in Swedish

Every file except the package METS itself is listed, with size and SHA-256, in
a METS: the metadata in ``dmdSec``/``amdSec``, documentation, schemas and the
representation METS in the package ``fileSec``, the data files in the
representation's ``fileSec``. The METS, PREMIS and xlink schemas are referenced
by ``xsi:schemaLocation`` only: nothing is fetched from the internet.

Stored files are streamed into the zip in chunks; only the file list (path,
size, hash) is kept in memory. ``validator.validate_package`` checks a package
this module wrote (structure, CSIP attributes, every size and hash, no unlisted file,
no reference outside the package); ``manage.py validate_archive_package`` runs it.

Secret documents (a secrecy provision) are included with their provision, as
the earlier export did: the package goes to the archive authority, and the
secrecy follows the records there (OSL 11 kap. 4 §). Only the registrar may
write a package (``archive.export_archive``), and the view never caches it.
"""

import logging
import tempfile
import zipfile
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import User
from archive.export.diarium import _copy_csv, _write_diarium
from archive.export.layout import (
    CASE_FIELDS,
    CASES_CSV,
    DIARIUM,
    DOCUMENT_FIELDS,
    DOCUMENTS_CSV,
    ORGANISATION,
    PACKAGE_METS,
    PREMIS,
    README,
    REP_DATA,
    REP_METS,
    REPRESENTATION,
    SCHEMA,
    SOFTWARE,
    SOFTWARE_VERSION,
    _iso,
    diarium_xsd,
)
from archive.export.mets import _package_mets, _representation_mets
from archive.export.package import PackedFile, _PackageWriter
from archive.export.premis import _premis
from archive.export.selection import (
    Scope,
    _batches,
    _data_path,
    _documents,
    _kind_files,
    _record_files,
    _snapshots,
)
from nora_social.core.records import PackageFile

logger = logging.getLogger(__name__)


@dataclass
class PackageResult:
    objid: str
    documents: int = 0
    cases: int = 0
    snapshots: int = 0
    data_files: int = 0
    capture_files: int = 0
    files: list[PackedFile] = field(default_factory=list)


@dataclass
class _Packing:
    """What the steps of one package share: the zip writer and the stored files
    packed so far (each once), with which document and snapshot has which."""

    writer: _PackageWriter
    data_files: dict[str, PackedFile] = field(default_factory=dict)
    document_files: dict[int, list[str]] = field(default_factory=dict)
    snapshots: list = field(default_factory=list)
    snapshot_files: dict[int, str] = field(default_factory=dict)

    kind_files: dict[str, PackageFile] = field(default_factory=dict)

    def pack(self, field_file, mimetype: str = "") -> str | None:
        path = _data_path(field_file.name)
        if path is None:
            return None
        if path not in self.data_files:
            self.data_files[path] = self.writer.add_stored(path, field_file, mimetype)
        return path


def write_package(*, scope: Scope, actor: User, out) -> PackageResult:
    """Write the SIP for ``scope`` as a zip to the binary file ``out``.
    The caller checks ``can_export`` (the registrar)."""
    now = timezone.now()
    created = _iso(now)
    objid = scope.objid(now)
    result = PackageResult(objid=objid)

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        packing = _Packing(writer=_PackageWriter(package, objid, created))
        data, representation = _pack_data(packing, scope, created, result)
        descriptive = _pack_descriptive(packing, scope, objid, created, result)
        premis, schema, readme = _pack_preservation_and_documentation(
            packing, scope, objid, created, actor, data, result
        )
        # The package METS, last: it holds every other file's hash.
        root = _package_mets(
            objid=objid,
            label=scope.label,
            created=created,
            actor=actor,
            descriptive=[
                (descriptive[0], "OTHER", {"OTHERMDTYPE": "NORA-DIARIUM"}),
                (descriptive[1], "OTHER", {"OTHERMDTYPE": "CSV"}),
                (descriptive[2], "OTHER", {"OTHERMDTYPE": "CSV"}),
            ],
            preservation=premis,
            documentation=[readme],
            schemas=[schema],
            representation=representation,
        )
        package_mets = packing.writer.add_xml(PACKAGE_METS, root)
        result.files = [*data, representation, *descriptive, premis, schema, readme, package_mets]
    logger.info(
        "Archive package %s written by user %s: %s cases, %s documents, %s snapshots, %s files",
        objid,
        actor.pk,
        result.cases,
        result.documents,
        result.snapshots,
        result.data_files,
    )
    return result


def _pack_data(
    packing: _Packing, scope: Scope, created: str, result: PackageResult
) -> tuple[list[PackedFile], PackedFile]:
    """Step 1: the stored files, once each, remembering which document and
    snapshot has which; then the representation METS that lists them."""
    linked = _documents(scope).select_related(None).only("id", "record_type", "record_id", "file")
    for batch in _batches(linked):
        for pk, stored in _record_files(batch).items():
            packing.document_files[pk] = [p for p in (packing.pack(f) for f in stored) if p]
    packing.snapshots = list(_snapshots(scope))
    for snapshot in packing.snapshots:
        if snapshot.pdf and snapshot.pdf.storage.exists(snapshot.pdf.name):
            path = packing.pack(snapshot.pdf)
            if path:
                packing.snapshot_files[snapshot.pk] = path
    for kept in _kind_files(scope):
        path = packing.pack(kept, kept.mimetype)
        if path:
            packing.kind_files[path] = kept
    result.capture_files = len(packing.kind_files)
    if not packing.data_files:
        packing.writer.add_folder(REP_DATA)
    data = sorted(packing.data_files.values(), key=lambda p: p.path)
    result.data_files = len(data)
    result.snapshots = len(packing.snapshots)
    representation = packing.writer.add_xml(REP_METS, _representation_mets(data, created))
    return data, representation


def _pack_descriptive(
    packing: _Packing, scope: Scope, objid: str, created: str, result: PackageResult
) -> tuple[PackedFile, PackedFile, PackedFile]:
    """Step 2: the register as XML (streamed) and as CSV. The CSV rows are
    written in the same pass, to spooled files copied in after."""
    writer = packing.writer
    with (
        tempfile.SpooledTemporaryFile(max_size=8 << 20) as cases_rows,
        tempfile.SpooledTemporaryFile(max_size=8 << 20) as document_rows,
    ):
        entry = writer.open(DIARIUM, "application/xml")
        with entry as target:
            result.cases, result.documents = _write_diarium(
                target,
                scope,
                objid,
                created,
                packing.document_files,
                packing.snapshots,
                packing.snapshot_files,
                packing.data_files,
                csv_out=(cases_rows, document_rows),
            )
        cases_csv = _copy_csv(writer, CASES_CSV, CASE_FIELDS, cases_rows)
        documents_csv = _copy_csv(writer, DOCUMENTS_CSV, DOCUMENT_FIELDS, document_rows)
    return entry.packed, cases_csv, documents_csv


def _pack_preservation_and_documentation(
    packing: _Packing,
    scope: Scope,
    objid: str,
    created: str,
    actor: User,
    data: list[PackedFile],
    result: PackageResult,
) -> tuple[PackedFile, PackedFile, PackedFile]:
    """Step 3: the preservation metadata, the register's schema and the read-me."""
    writer = packing.writer
    premis = writer.add_xml(
        PREMIS,
        _premis(
            objid,
            created,
            actor,
            data,
            packing.snapshots,
            packing.snapshot_files,
            packing.data_files,
            packing.kind_files,
        ),
    )
    schema = writer.add_bytes(SCHEMA, diarium_xsd(), "application/xml")
    readme = writer.add_bytes(README, _readme(scope, objid, created, result), "text/plain")
    return premis, schema, readme


def build_package(*, scope: Scope, actor: User, out=None):
    """Write the package to ``out`` (a new temporary file when omitted) and
    return it, rewound. The caller checks ``can_export``."""
    if out is None:
        # Returned open to the caller, who streams and closes it.
        out = tempfile.SpooledTemporaryFile(max_size=32 << 20)  # noqa: SIM115
    write_package(scope=scope, actor=actor, out=out)
    out.seek(0)
    return out


# --- Documentation and schema ----------------------------------------------------------


def _readme(scope: Scope, objid: str, created: str, result: PackageResult) -> bytes:
    return f"""Arkivpaket {objid}
{scope.label}
Skapat {created} av {SOFTWARE} {SOFTWARE_VERSION}, {ORGANISATION}.

Paketet följer E-ARK CSIP/SIP (FGS Paketstruktur) med METS 1.12:

  METS.xml                            paketets METS: metadata, dokumentation, scheman
                                      och representationen, med storlek och SHA-256
  metadata/descriptive/diarium.xml    ärenden, handlingar och ögonblicksbilder
                                      (schema: schemas/nora-diarium-1.xsd)
  metadata/descriptive/arenden.csv    ärendena som CSV (semikolon, UTF-8)
  metadata/descriptive/handlingar.csv handlingarna som CSV (semikolon, UTF-8)
  metadata/preservation/premis.xml    PREMIS 3: filerna med kontrollsummor, när
                                      ögonblicksbilderna skapades, kontroll av deras
                                      SHA-256 och när paketet packades
  representations/{REPRESENTATION}/METS.xml     representationens METS med varje datafil
  representations/{REPRESENTATION}/data/        de lagrade filerna: skärmdumpar,
                                      ögonblicksbilder (PDF/A) och andra PDF-filer
  representations/{REPRESENTATION}/data/capture/warc/
                                      det som hämtades från plattformarna: varje
                                      anrop och svar som WARC-fil (ISO 28500), en
                                      per anslutning och dag, utan åtkomstnycklar

Innehåll: {result.cases} ärenden, {result.documents} handlingar, {result.snapshots} ögonblicksbilder, {result.data_files} lagrade filer, varav {result.capture_files} WARC-filer.

Sekretess: handlingar med en sekretessbestämmelse finns med och är markerade
med bestämmelsen (elementet secrecy i diarium.xml, kolumnen secrecy_provision i
handlingar.csv). Sekretessen följer med handlingarna till arkivmyndigheten
(offentlighets- och sekretesslagen 11 kap. 4 §).

Scheman för METS, PREMIS, xlink och CSIP-tilläggen finns inte i paketet; de anges
med xsi:schemaLocation.

Kontroll: python manage.py validate_archive_package <paketet.zip>
kontrollerar strukturen, METS-attributen och storlek och SHA-256 för varje fil.
""".encode()
