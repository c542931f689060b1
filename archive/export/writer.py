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
size, hash) is kept in memory. ``validate_package`` checks a package this
module wrote (structure, CSIP attributes, every size and hash, no unlisted file,
no reference outside the package); ``manage.py validate_archive_package`` runs it.

Secret documents (a secrecy provision) are included with their provision, as
the earlier export did: the package goes to the archive authority, and the
secrecy follows the records there (OSL 11 kap. 4 §). Only the registrar may
write a package (``archive.export_archive``), and the view never caches it.
"""

import csv
import datetime
import hashlib
import io
import logging
import mimetypes
import os
import posixpath
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import FileField, Q
from django.utils import timezone
from django.utils.text import slugify
from lxml import etree

from accounts.models import Administration, User
from archive.models import Case, Document
from channels_registry.models import SocialAccount
from nora_social.core.csv_cells import csv_row
from nora_social.core.uploads import stream_sha256

logger = logging.getLogger(__name__)

CHUNK = 1 << 16
BATCH = 500

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
PREMIS_NS = "http://www.loc.gov/premis/v3"
DIARIUM_NS = "urn:nora-kommun:nora-social:diarium:1"

PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
CONTENT_CATEGORY = "Mixed"
CONTENT_INFORMATION_TYPE = "OTHER"
OTHER_CONTENT_INFORMATION_TYPE = "Nora social diarium 1"
ORGANISATION = "Nora kommun"
SOFTWARE = "Nora social"
SOFTWARE_VERSION = "0.1.0"
REPRESENTATION = "rep1"

METS_SCHEMA_LOCATION = (
    f"{METS_NS} http://www.loc.gov/standards/mets/mets.xsd "
    f"{XLINK_NS} http://www.loc.gov/standards/mets/xlink.xsd "
    f"{CSIP_NS} https://earkcsip.dilcis.eu/schema/DILCISExtensionMETS.xsd"
)
PREMIS_SCHEMA_LOCATION = f"{PREMIS_NS} https://www.loc.gov/standards/premis/premis.xsd"

PACKAGE_METS = "METS.xml"
DIARIUM = "metadata/descriptive/diarium.xml"
DOCUMENTS_CSV = "metadata/descriptive/handlingar.csv"
CASES_CSV = "metadata/descriptive/arenden.csv"
PREMIS = "metadata/preservation/premis.xml"
SCHEMA = "schemas/nora-diarium-1.xsd"
README = "documentation/las-mig.txt"
REP_DIR = f"representations/{REPRESENTATION}"
REP_METS = f"{REP_DIR}/METS.xml"
REP_DATA = f"{REP_DIR}/data"

DOCUMENT_FIELDS = [
    "reference",
    "case",
    "case_title",
    "registered_on",
    "document_date",
    "direction",
    "party",
    "subject",
    "secrecy_provision",
    "account",
    "handling_officer",
    "record_type",
    "record_id",
    "files",
]
CASE_FIELDS = ["reference", "title", "administration", "account", "collective", "opened_on"]


def can_export(user: User) -> bool:
    return user.is_authenticated and user.has_perm("archive.export_archive")


@dataclass
class Scope:
    administration: Administration | None = None
    account: SocialAccount | None = None
    year: int | None = None

    @property
    def slug(self) -> str:
        if self.account is not None:
            name = f"konto-{self.account.pk}"
        elif self.administration is not None:
            name = f"forvaltning-{slugify(self.administration.register_series)}"
        else:
            name = "alla"
        return f"{name}-{self.year}" if self.year else name

    def objid(self, now: datetime.datetime) -> str:
        """``nora-<series>-<year>-<UTC time>``: the package's id and root folder."""
        if self.account is not None:
            name = f"konto{self.account.pk}"
        elif self.administration is not None:
            name = slugify(self.administration.register_series) or "forvaltning"
        else:
            name = "alla"
        stamp = now.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        return f"nora-{name}-{self.year or 'alla-ar'}-{stamp}"

    @property
    def label(self) -> str:
        if self.account is not None:
            what = f"kontot {self.account.display_name}"
        elif self.administration is not None:
            what = f"{self.administration.name} ({self.administration.register_series})"
        else:
            what = "alla förvaltningar"
        return f"Diarium och ögonblicksbilder för {what}, {self.year or 'alla år'}"


# --- What goes in --------------------------------------------------------------------


def _documents(scope: Scope):
    qs = Document.objects.select_related(
        "case__administration", "account", "handling_officer", "record_type"
    ).order_by("case__year", "case__series", "case__number", "number")
    if scope.account is not None:
        qs = qs.filter(Q(account=scope.account) | Q(case__account=scope.account))
    elif scope.administration is not None:
        qs = qs.filter(case__administration=scope.administration)
    if scope.year:
        qs = qs.filter(case__year=scope.year)
    return qs


def _cases(scope: Scope):
    qs = Case.objects.select_related("administration", "account").order_by(
        "year", "series", "number"
    )
    if scope.account is not None:
        qs = qs.filter(
            Q(account=scope.account) | Q(documents__in=_documents(scope).order_by().values("pk"))
        ).distinct()
    elif scope.administration is not None:
        qs = qs.filter(administration=scope.administration)
    if scope.year:
        qs = qs.filter(year=scope.year)
    return qs


def _snapshots(scope: Scope):
    """Snapshots of the accounts in scope made in the year (if the model is installed)."""
    try:
        snapshot = apps.get_model("archive", "Snapshot")
    except LookupError:
        return []
    qs = snapshot.objects.select_related("account", "made_by").order_by("made_at", "pk")
    if scope.account is not None:
        qs = qs.filter(account=scope.account)
    elif scope.administration is not None:
        qs = qs.filter(account__unit__administration=scope.administration)
    if scope.year:
        qs = qs.filter(made_at__year=scope.year)
    return qs


def _batches(queryset):
    batch = []
    for item in queryset.iterator(chunk_size=BATCH):
        batch.append(item)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _stored_files(record) -> list:
    found = []
    for f in record._meta.concrete_fields:
        if isinstance(f, FileField):
            value = getattr(record, f.attname)
            if value and value.storage.exists(value.name):
                found.append(value)
    return found


def _record_files(documents: list[Document]) -> dict[int, list]:
    """The stored files that exist of the records the documents link, one query
    per kind of record in the batch."""
    wanted: dict[int, list[Document]] = defaultdict(list)
    for document in documents:
        if document.record_id and document.record_type_id:
            wanted[document.record_type_id].append(document)
    found: dict[int, list] = {}
    for type_id, linked in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        records = model._default_manager.in_bulk([d.record_id for d in linked])
        for document in linked:
            record = records.get(document.record_id)
            if record is not None:
                found[document.pk] = _stored_files(record)
    return found


def _data_path(stored_name: str) -> str | None:
    """Where a stored file goes in the package: its (generated) storage name
    under the representation's data folder. None for a name that would leave it."""
    name = posixpath.normpath(stored_name.replace("\\", "/").lstrip("/"))
    if name in {".", ""} or name.startswith("../") or name == "..":
        return None
    return f"{REP_DATA}/{name}"


def _iso(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _mimetype(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


# --- Writing ---------------------------------------------------------------------------


@dataclass
class PackedFile:
    path: str  # relative to the package root folder
    size: int
    sha256: str
    mimetype: str
    created: str


class _HashingWriter:
    """Writes to a zip member and keeps the size and SHA-256 of what went through."""

    def __init__(self, target):
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data) -> int:
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.digest.update(data)
        self.size += len(data)
        self.target.write(data)
        return len(data)


class _PackageWriter:
    def __init__(self, package: zipfile.ZipFile, objid: str, created: str):
        self.package = package
        self.objid = objid
        self.created = created

    def open(self, path: str, mimetype: str, created: str | None = None):
        return _Member(self, path, mimetype, created or self.created)

    def add_bytes(self, path: str, data: bytes, mimetype: str) -> PackedFile:
        entry = self.open(path, mimetype)
        with entry as target:
            target.write(data)
        return entry.packed

    def add_xml(self, path: str, element) -> PackedFile:
        entry = self.open(path, "application/xml")
        with entry as target:
            etree.ElementTree(element).write(
                target, xml_declaration=True, encoding="UTF-8", pretty_print=True
            )
        return entry.packed

    def add_stored(self, path: str, field_file) -> PackedFile:
        try:
            created = _iso(field_file.storage.get_created_time(field_file.name))
        except (NotImplementedError, OSError):
            created = self.created
        entry = self.open(path, _mimetype(path), created)
        with field_file.storage.open(field_file.name, "rb") as source, entry as target:
            while chunk := source.read(CHUNK):
                target.write(chunk)
        return entry.packed

    def add_folder(self, path: str) -> None:
        self.package.writestr(f"{self.objid}/{path.rstrip('/')}/", b"")


class _Member:
    def __init__(self, writer: _PackageWriter, path: str, mimetype: str, created: str):
        self.writer, self.path, self.mimetype, self.created = writer, path, mimetype, created
        self.packed: PackedFile | None = None

    def __enter__(self) -> _HashingWriter:
        name = f"{self.writer.objid}/{self.path}"
        self._target = self.writer.package.open(name, "w", force_zip64=True)
        self._hashing = _HashingWriter(self._target)
        return self._hashing

    def __exit__(self, *exc) -> None:
        self._target.close()
        self.packed = PackedFile(
            self.path,
            self._hashing.size,
            self._hashing.digest.hexdigest(),
            self.mimetype,
            self.created,
        )


def _csv_line(values) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerow(csv_row(values))
    return buffer.getvalue().encode("utf-8")


def _href(path: str) -> str:
    return quote(path, safe="/")


def _m(tag: str) -> str:
    return f"{{{METS_NS}}}{tag}"


def _xl(tag: str) -> str:
    return f"{{{XLINK_NS}}}{tag}"


def _cs(tag: str) -> str:
    return f"{{{CSIP_NS}}}{tag}"


def _p(tag: str) -> str:
    return f"{{{PREMIS_NS}}}{tag}"


def _d(tag: str) -> str:
    return f"{{{DIARIUM_NS}}}{tag}"


def _checksum_attrs(packed: PackedFile) -> dict:
    return {
        "MIMETYPE": packed.mimetype,
        "SIZE": str(packed.size),
        "CREATED": packed.created,
        "CHECKSUM": packed.sha256,
        "CHECKSUMTYPE": "SHA-256",
    }


def _content_type_attrs() -> dict:
    """The content information type of a file group. Ours is OTHER, so its name
    goes with it (CSIP63); the reference validator asks it of every group."""
    return {
        _cs("CONTENTINFORMATIONTYPE"): CONTENT_INFORMATION_TYPE,
        _cs("OTHERCONTENTINFORMATIONTYPE"): OTHER_CONTENT_INFORMATION_TYPE,
    }


def _mets_root(objid: str, label: str) -> etree._Element:
    root = etree.Element(
        _m("mets"),
        nsmap={"mets": METS_NS, "xlink": XLINK_NS, "csip": CSIP_NS, "xsi": XSI_NS},
    )
    root.set("OBJID", objid)
    root.set("LABEL", label)
    root.set("TYPE", CONTENT_CATEGORY)
    root.set(_cs("CONTENTINFORMATIONTYPE"), CONTENT_INFORMATION_TYPE)
    root.set(_cs("OTHERCONTENTINFORMATIONTYPE"), OTHER_CONTENT_INFORMATION_TYPE)
    root.set("PROFILE", PROFILE)
    root.set(f"{{{XSI_NS}}}schemaLocation", METS_SCHEMA_LOCATION)
    return root


def _mets_header(root, created: str, actor: User | None) -> None:
    """The agents: the software that made the package is the one CREATOR
    (CSIP10-16); the municipality is the archival creator (arkivbildare,
    ARCHIVIST) and the submitting organisation, each identified by its
    organisation number (SIP: ``IDENTIFICATIONCODE``); the registrar who wrote
    it is named as the submitting person."""
    header = etree.SubElement(
        root,
        _m("metsHdr"),
        {"CREATEDATE": created, "RECORDSTATUS": "NEW", _cs("OAISPACKAGETYPE"): "SIP"},
    )
    software = etree.SubElement(
        header, _m("agent"), ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE"
    )
    etree.SubElement(software, _m("name")).text = SOFTWARE
    etree.SubElement(
        software, _m("note"), {_cs("NOTETYPE"): "SOFTWARE VERSION"}
    ).text = SOFTWARE_VERSION
    organisation_number = settings.ORGANISATION_NUMBER
    for role in ({"ROLE": "ARCHIVIST"}, {"ROLE": "OTHER", "OTHERROLE": "SUBMITTER"}):
        organisation = etree.SubElement(header, _m("agent"), TYPE="ORGANIZATION", **role)
        etree.SubElement(organisation, _m("name")).text = ORGANISATION
        etree.SubElement(
            organisation, _m("note"), {_cs("NOTETYPE"): "IDENTIFICATIONCODE"}
        ).text = organisation_number
    if actor is not None:
        person = etree.SubElement(
            header, _m("agent"), ROLE="OTHER", OTHERROLE="SUBMITTER", TYPE="INDIVIDUAL"
        )
        etree.SubElement(person, _m("name")).text = actor.get_full_name() or actor.get_username()
        etree.SubElement(person, _m("note")).text = actor.get_username()


def _file_element(parent, file_id: str, packed: PackedFile, href: str):
    element = etree.SubElement(parent, _m("file"), ID=file_id, **_checksum_attrs(packed))
    etree.SubElement(
        element,
        _m("FLocat"),
        {"LOCTYPE": "URL", _xl("type"): "simple", _xl("href"): _href(href)},
    )
    return element


def _md_ref(parent, packed: PackedFile, mdtype: str, **extra):
    attrs = {
        "LOCTYPE": "URL",
        _xl("type"): "simple",
        _xl("href"): _href(packed.path),
        "MDTYPE": mdtype,
        **extra,
        **_checksum_attrs(packed),
        "LABEL": posixpath.basename(packed.path),
    }
    return etree.SubElement(parent, _m("mdRef"), attrs)


def _representation_mets(data_files: list[PackedFile], created: str) -> etree._Element:
    root = _mets_root(REPRESENTATION, "Lagrade filer: skärmdumpar, ögonblicksbilder och PDF")
    _mets_header(root, created, None)
    file_sec = etree.SubElement(root, _m("fileSec"), ID="rep-filesec")
    group = etree.SubElement(
        file_sec, _m("fileGrp"), {"ID": "rep-grp-data", "USE": "Data", **_content_type_attrs()}
    )
    prefix = f"{REP_DIR}/"
    for number, packed in enumerate(data_files, start=1):
        _file_element(group, f"rep-file-{number}", packed, packed.path.removeprefix(prefix))
    struct = etree.SubElement(root, _m("structMap"), ID="rep-structmap", TYPE="PHYSICAL")
    struct.set("LABEL", "CSIP")
    top = etree.SubElement(struct, _m("div"), ID="rep-div", LABEL=REPRESENTATION)
    data = etree.SubElement(top, _m("div"), ID="rep-div-data", LABEL="Data")
    etree.SubElement(data, _m("fptr"), FILEID="rep-grp-data")
    return root


def _package_mets(
    *,
    objid: str,
    label: str,
    created: str,
    actor: User,
    descriptive: list[tuple[PackedFile, str, dict]],
    preservation: PackedFile,
    documentation: list[PackedFile],
    schemas: list[PackedFile],
    representation: PackedFile,
) -> etree._Element:
    root = _mets_root(objid, label)
    _mets_header(root, created, actor)
    dmd_ids = []
    for number, (packed, mdtype, extra) in enumerate(descriptive, start=1):
        dmd_id = f"dmd-{number}"
        dmd_ids.append(dmd_id)
        section = etree.SubElement(root, _m("dmdSec"), ID=dmd_id, CREATED=created, STATUS="CURRENT")
        _md_ref(section, packed, mdtype, **extra)
    amd = etree.SubElement(root, _m("amdSec"), ID="amd-1")
    digiprov = etree.SubElement(
        amd, _m("digiprovMD"), ID="digiprov-premis", CREATED=created, STATUS="CURRENT"
    )
    _md_ref(digiprov, preservation, "PREMIS", MDTYPEVERSION="3.0")

    file_sec = etree.SubElement(root, _m("fileSec"), ID="filesec")
    number = 0
    for group_id, use, files in (
        ("grp-documentation", "Documentation", documentation),
        ("grp-schemas", "Schemas", schemas),
    ):
        group = etree.SubElement(
            file_sec, _m("fileGrp"), {"ID": group_id, "USE": use, **_content_type_attrs()}
        )
        for packed in files:
            number += 1
            _file_element(group, f"file-{number}", packed, packed.path)
    rep_group = etree.SubElement(
        file_sec,
        _m("fileGrp"),
        {
            "ID": f"grp-{REPRESENTATION}",
            "USE": f"Representations/{REPRESENTATION}",
            **_content_type_attrs(),
            "ADMID": "digiprov-premis",
        },
    )
    _file_element(rep_group, f"file-{REPRESENTATION}-mets", representation, representation.path)

    struct = etree.SubElement(root, _m("structMap"), ID="structmap", TYPE="PHYSICAL", LABEL="CSIP")
    top = etree.SubElement(struct, _m("div"), ID="div-package", LABEL=objid)
    etree.SubElement(
        top,
        _m("div"),
        ID="div-metadata",
        LABEL="Metadata",
        DMDID=" ".join(dmd_ids),
        ADMID="digiprov-premis",
    )
    for div_id, div_label, group_id in (
        ("div-documentation", "Documentation", "grp-documentation"),
        ("div-schemas", "Schemas", "grp-schemas"),
    ):
        div = etree.SubElement(top, _m("div"), ID=div_id, LABEL=div_label)
        etree.SubElement(div, _m("fptr"), FILEID=group_id)
    # CSIP103-112: one "Representations" division pointing at the file group,
    # with a division per representation pointing at its METS.
    representations = etree.SubElement(
        top, _m("div"), ID="div-representations", LABEL="Representations"
    )
    etree.SubElement(representations, _m("fptr"), FILEID=f"grp-{REPRESENTATION}")
    rep_div = etree.SubElement(
        representations,
        _m("div"),
        ID=f"div-{REPRESENTATION}",
        LABEL=f"Representations/{REPRESENTATION}",
    )
    etree.SubElement(
        rep_div,
        _m("mptr"),
        {
            "LOCTYPE": "URL",
            _xl("type"): "simple",
            _xl("href"): _href(representation.path),
            _xl("title"): f"grp-{REPRESENTATION}",
        },
    )
    return root


@dataclass
class PackageResult:
    objid: str
    documents: int = 0
    cases: int = 0
    snapshots: int = 0
    data_files: int = 0
    files: list[PackedFile] = field(default_factory=list)


def _person(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def write_package(*, scope: Scope, actor: User, out) -> PackageResult:
    """Write the SIP for ``scope`` as a zip to the binary file ``out``.
    The caller checks ``can_export`` (the registrar)."""
    now = timezone.now()
    created = _iso(now)
    objid = scope.objid(now)
    result = PackageResult(objid=objid)

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        writer = _PackageWriter(package, objid, created)
        data_files: dict[str, PackedFile] = {}

        def pack(field_file) -> str | None:
            path = _data_path(field_file.name)
            if path is None:
                return None
            if path not in data_files:
                data_files[path] = writer.add_stored(path, field_file)
            return path

        # 1. The stored files, once each; remember which document has which.
        document_files: dict[int, list[str]] = {}
        linked = _documents(scope).select_related(None).only("id", "record_type", "record_id")
        for batch in _batches(linked):
            for pk, stored in _record_files(batch).items():
                document_files[pk] = [p for p in (pack(f) for f in stored) if p]
        snapshot_files: dict[int, str] = {}
        snapshots = list(_snapshots(scope))
        for snapshot in snapshots:
            if snapshot.pdf and snapshot.pdf.storage.exists(snapshot.pdf.name):
                path = pack(snapshot.pdf)
                if path:
                    snapshot_files[snapshot.pk] = path
        if not data_files:
            writer.add_folder(REP_DATA)
        data = sorted(data_files.values(), key=lambda p: p.path)
        result.data_files = len(data)
        result.snapshots = len(snapshots)
        representation = writer.add_xml(REP_METS, _representation_mets(data, created))

        # 2. Descriptive metadata: the register as XML (streamed) and CSV.
        # The CSV rows are written in the same pass, to spooled files copied in after.
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
                    document_files,
                    snapshots,
                    snapshot_files,
                    data_files,
                    csv_out=(cases_rows, document_rows),
                )
            diarium = entry.packed
            cases_csv = _copy_csv(writer, CASES_CSV, CASE_FIELDS, cases_rows)
            documents_csv = _copy_csv(writer, DOCUMENTS_CSV, DOCUMENT_FIELDS, document_rows)

        # 3. Preservation metadata, schema, documentation.
        premis = writer.add_xml(
            PREMIS, _premis(objid, created, actor, data, snapshots, snapshot_files, data_files)
        )
        schema = writer.add_bytes(SCHEMA, DIARIUM_XSD.encode("utf-8"), "application/xml")
        readme = writer.add_bytes(README, _readme(scope, objid, created, result), "text/plain")

        # 4. The package METS, last: it holds every other file's hash.
        root = _package_mets(
            objid=objid,
            label=scope.label,
            created=created,
            actor=actor,
            descriptive=[
                (diarium, "OTHER", {"OTHERMDTYPE": "NORA-DIARIUM"}),
                (cases_csv, "OTHER", {"OTHERMDTYPE": "CSV"}),
                (documents_csv, "OTHER", {"OTHERMDTYPE": "CSV"}),
            ],
            preservation=premis,
            documentation=[readme],
            schemas=[schema],
            representation=representation,
        )
        package_mets = writer.add_xml(PACKAGE_METS, root)
        result.files = [
            *data,
            representation,
            diarium,
            cases_csv,
            documents_csv,
            premis,
            schema,
            readme,
            package_mets,
        ]
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


def build_package(*, scope: Scope, actor: User, out=None):
    """Write the package to ``out`` (a new temporary file when omitted) and
    return it, rewound. The caller checks ``can_export``."""
    if out is None:
        # Returned open to the caller, who streams and closes it.
        out = tempfile.SpooledTemporaryFile(max_size=32 << 20)  # noqa: SIM115
    write_package(scope=scope, actor=actor, out=out)
    out.seek(0)
    return out


# --- Descriptive metadata --------------------------------------------------------------


def _element(tag: str, text=None, **attrs) -> etree._Element:
    element = etree.Element(
        _d(tag),
        {k: v for k, v in attrs.items() if v not in (None, "")},
        nsmap={None: DIARIUM_NS},
    )
    if text not in (None, ""):
        element.text = str(text)
    return element


def _child(parent, tag: str, text=None, **attrs) -> None:
    if text in (None, "") and not attrs:
        return
    parent.append(_element(tag, text, **attrs))


def _file_ref(parent, path: str, data_files: dict[str, PackedFile]) -> None:
    packed = data_files[path]
    _child(parent, "file", href=_href(path), size=str(packed.size), sha256=packed.sha256)


def _write_diarium(
    target, scope, objid, created, document_files, snapshots, snapshot_files, data_files, csv_out
) -> tuple[int, int]:
    """Stream the register (cases, documents, snapshots) as XML (schema
    ``schemas/nora-diarium-1.xsd``), and the CSV rows of the cases and documents
    to ``csv_out``. Returns the number of cases and documents."""
    cases_rows, document_rows = csv_out
    cases = documents = 0
    attrs = {"objid": objid, "created": created}
    if scope.administration is not None:
        attrs["administration"] = scope.administration.name
        attrs["series"] = scope.administration.register_series
    if scope.account is not None:
        attrs["account"] = scope.account.display_name
    if scope.year:
        attrs["year"] = str(scope.year)
    with etree.xmlfile(target, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(_d("register"), attrs, nsmap={None: DIARIUM_NS}):
            with xf.element(_d("cases")):
                for case in _cases(scope).iterator(chunk_size=BATCH):
                    element = _element(
                        "case",
                        reference=case.reference,
                        series=case.series,
                        year=str(case.year),
                        number=str(case.number),
                        opened=_iso(case.opened_on),
                        collective="true" if case.is_collective else "false",
                    )
                    _child(element, "title", case.title)
                    _child(element, "administration", case.administration.name)
                    _child(element, "account", case.account.display_name if case.account else "")
                    xf.write("\n", element, pretty_print=True)
                    cases_rows.write(_case_row(case))
                    cases += 1
            with xf.element(_d("documents")):
                for document in _documents(scope).iterator(chunk_size=BATCH):
                    element = _element(
                        "document",
                        reference=document.reference,
                        case=document.case.reference,
                        number=str(document.number),
                        direction=document.direction,
                    )
                    _child(element, "registered", _iso(document.registered_on))
                    _child(element, "date", _iso(document.document_date))
                    _child(element, "subject", document.subject)
                    _child(element, "party", document.party)
                    if document.secrecy_provision:
                        _child(
                            element,
                            "secrecy",
                            provision=document.secrecy_provision,
                            masked="true" if document.subject_masked else "false",
                        )
                    _child(
                        element,
                        "account",
                        document.account.display_name if document.account else "",
                    )
                    _child(element, "handlingOfficer", _person(document.handling_officer))
                    if document.record_type_id and document.record_id:
                        _child(
                            element,
                            "record",
                            type=f"{document.record_type.app_label}.{document.record_type.model}",
                            id=str(document.record_id),
                        )
                    for path in document_files.get(document.pk, []):
                        _file_ref(element, path, data_files)
                    xf.write("\n", element, pretty_print=True)
                    document_rows.write(_document_row(document, document_files))
                    documents += 1
            with xf.element(_d("snapshots")):
                for snapshot in snapshots:
                    element = _element(
                        "snapshot",
                        id=str(snapshot.pk),
                        account=snapshot.account.display_name,
                        reason=snapshot.reason,
                        final="true" if snapshot.final else "false",
                        made=_iso(snapshot.made_at),
                        periodStart=_iso(snapshot.period_start),
                        periodEnd=_iso(snapshot.period_end),
                        screenshotsTakenOn=_iso(snapshot.screenshots_taken_on),
                        sha256=snapshot.sha256,
                    )
                    _child(element, "madeBy", _person(snapshot.made_by))
                    if snapshot.pk in snapshot_files:
                        _file_ref(element, snapshot_files[snapshot.pk], data_files)
                    xf.write("\n", element, pretty_print=True)
    return cases, documents


def _case_row(case: Case) -> bytes:
    return _csv_line(
        [
            case.reference,
            case.title,
            case.administration.name,
            case.account.display_name if case.account else "",
            case.is_collective,
            _iso(case.opened_on),
        ]
    )


def _document_row(d: Document, document_files: dict[int, list[str]]) -> bytes:
    return _csv_line(
        [
            d.reference,
            d.case.reference,
            d.case.title,
            _iso(d.registered_on),
            _iso(d.document_date),
            d.direction,
            d.party,
            d.subject,
            d.secrecy_provision,
            d.account.display_name if d.account else "",
            _person(d.handling_officer),
            d.record_type.model if d.record_type else "",
            d.record_id or "",
            " ".join(document_files.get(d.pk, [])),
        ]
    )


def _copy_csv(writer: _PackageWriter, path: str, header: list[str], rows) -> PackedFile:
    """A CSV (semicolon, UTF-8 with BOM for spreadsheets) from the spooled rows."""
    rows.seek(0)
    entry = writer.open(path, "text/csv")
    with entry as target:
        target.write("\ufeff".encode())
        target.write(_csv_line(header))
        while chunk := rows.read(CHUNK):
            target.write(chunk)
    return entry.packed


# --- Preservation metadata (PREMIS 3) --------------------------------------------------


def _identifier(parent, kind: str, value: str, id_type: str = "local") -> None:
    element = etree.SubElement(parent, _p(kind))
    etree.SubElement(element, _p(f"{kind}Type")).text = id_type
    etree.SubElement(element, _p(f"{kind}Value")).text = value


def _event(root, *, event_id, event_type, when, detail, outcome, agents, objects) -> None:
    event = etree.SubElement(root, _p("event"))
    _identifier(event, "eventIdentifier", event_id)
    etree.SubElement(event, _p("eventType")).text = event_type
    etree.SubElement(event, _p("eventDateTime")).text = when
    info = etree.SubElement(event, _p("eventDetailInformation"))
    etree.SubElement(info, _p("eventDetail")).text = detail
    result = etree.SubElement(event, _p("eventOutcomeInformation"))
    etree.SubElement(result, _p("eventOutcome")).text = outcome
    for agent_id, role in agents:
        link = etree.SubElement(event, _p("linkingAgentIdentifier"))
        etree.SubElement(link, _p("linkingAgentIdentifierType")).text = "local"
        etree.SubElement(link, _p("linkingAgentIdentifierValue")).text = agent_id
        etree.SubElement(link, _p("linkingAgentRole")).text = role
    for value in objects:
        link = etree.SubElement(event, _p("linkingObjectIdentifier"))
        etree.SubElement(link, _p("linkingObjectIdentifierType")).text = "local"
        etree.SubElement(link, _p("linkingObjectIdentifierValue")).text = value


def _agent(root, agent_id: str, name: str, agent_type: str, note: str = "") -> None:
    agent = etree.SubElement(root, _p("agent"))
    _identifier(agent, "agentIdentifier", agent_id)
    etree.SubElement(agent, _p("agentName")).text = name
    etree.SubElement(agent, _p("agentType")).text = agent_type
    if agent_type == "software":
        etree.SubElement(agent, _p("agentVersion")).text = SOFTWARE_VERSION
    if note:
        etree.SubElement(agent, _p("agentNote")).text = note


def _premis(objid, created, actor, data, snapshots, snapshot_files, data_files):
    """The files with their fixity; for each snapshot its creation and a fixity
    check of the PDF against the SHA-256 stored when it was made; the packing."""
    root = etree.Element(_p("premis"), nsmap={"premis": PREMIS_NS, "xsi": XSI_NS}, version="3.0")
    root.set(f"{{{XSI_NS}}}schemaLocation", PREMIS_SCHEMA_LOCATION)
    xsi_type = f"{{{XSI_NS}}}type"
    package = etree.SubElement(root, _p("object"), {xsi_type: "premis:intellectualEntity"})
    _identifier(package, "objectIdentifier", objid)
    for packed in data:
        obj = etree.SubElement(root, _p("object"), {xsi_type: "premis:file"})
        _identifier(obj, "objectIdentifier", packed.path)
        characteristics = etree.SubElement(obj, _p("objectCharacteristics"))
        etree.SubElement(characteristics, _p("compositionLevel")).text = "0"
        fixity = etree.SubElement(characteristics, _p("fixity"))
        etree.SubElement(fixity, _p("messageDigestAlgorithm")).text = "SHA-256"
        etree.SubElement(fixity, _p("messageDigest")).text = packed.sha256
        etree.SubElement(characteristics, _p("size")).text = str(packed.size)
        designation = etree.SubElement(
            etree.SubElement(characteristics, _p("format")), _p("formatDesignation")
        )
        etree.SubElement(designation, _p("formatName")).text = packed.mimetype

    people: dict[int, User] = {actor.pk: actor}
    for snapshot in snapshots:
        path = snapshot_files.get(snapshot.pk)
        agents = [("agent-software", "executing program")]
        if snapshot.made_by_id:
            people[snapshot.made_by_id] = snapshot.made_by
            agents.append((f"agent-user-{snapshot.made_by_id}", "implementer"))
        _event(
            root,
            event_id=f"event-snapshot-{snapshot.pk}-creation",
            event_type="creation",
            when=_iso(snapshot.made_at),
            detail=(
                f"Ögonblicksbild (PDF/A-2b) av kontot {snapshot.account.display_name}: "
                f"{snapshot.get_reason_display()}, perioden {_iso(snapshot.period_start)}–"
                f"{_iso(snapshot.period_end)}, skärmdumparna tagna "
                f"{_iso(snapshot.screenshots_taken_on)}. SHA-256 vid skapandet: {snapshot.sha256}."
            ),
            outcome="success",
            agents=agents,
            objects=[path] if path else [],
        )
        packed = data_files.get(path) if path else None
        if packed is None:
            detail, outcome = "Filen saknades i lagringen vid exporten.", "failure"
        elif packed.sha256 == snapshot.sha256:
            detail, outcome = (
                f"SHA-256 i paketet stämmer med den vid skapandet: {packed.sha256}.",
                "success",
            )
        else:
            detail, outcome = (
                f"SHA-256 i paketet ({packed.sha256}) skiljer sig från den vid skapandet "
                f"({snapshot.sha256}).",
                "failure",
            )
            logger.warning("Snapshot %s: stored file does not match its SHA-256", snapshot.pk)
        _event(
            root,
            event_id=f"event-snapshot-{snapshot.pk}-fixity",
            event_type="fixity check",
            when=created,
            detail=detail,
            outcome=outcome,
            agents=[("agent-software", "executing program")],
            objects=[path] if path else [],
        )
    _event(
        root,
        event_id="event-packing",
        event_type="packing",
        when=created,
        detail=f"Paketet {objid} skrevs med {len(data)} lagrade filer; SHA-256 för varje fil.",
        outcome="success",
        agents=[
            ("agent-software", "executing program"),
            (f"agent-user-{actor.pk}", "implementer"),
            ("agent-organisation", "authorizer"),
        ],
        objects=[objid],
    )
    _agent(root, "agent-software", SOFTWARE, "software")
    _agent(root, "agent-organisation", ORGANISATION, "organization")
    for pk, person in sorted(people.items()):
        _agent(root, f"agent-user-{pk}", _person(person), "person", person.get_username())
    return root


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

Innehåll: {result.cases} ärenden, {result.documents} handlingar, {result.snapshots} ögonblicksbilder, {result.data_files} lagrade filer.

Sekretess: handlingar med en sekretessbestämmelse finns med och är markerade
med bestämmelsen (elementet secrecy i diarium.xml, kolumnen secrecy_provision i
handlingar.csv). Sekretessen följer med handlingarna till arkivmyndigheten
(offentlighets- och sekretesslagen 11 kap. 4 §).

Scheman för METS, PREMIS, xlink och CSIP-tilläggen finns inte i paketet; de anges
med xsi:schemaLocation.

Kontroll: python manage.py validate_archive_package <paketet.zip>
kontrollerar strukturen, METS-attributen och storlek och SHA-256 för varje fil.
""".encode()


DIARIUM_XSD = f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Nora social: the register (diarium) of an archive package, version 1. -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns="{DIARIUM_NS}"
           targetNamespace="{DIARIUM_NS}"
           elementFormDefault="qualified">
  <xs:element name="register">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="cases">
          <xs:complexType><xs:sequence>
            <xs:element ref="case" minOccurs="0" maxOccurs="unbounded"/>
          </xs:sequence></xs:complexType>
        </xs:element>
        <xs:element name="documents">
          <xs:complexType><xs:sequence>
            <xs:element ref="document" minOccurs="0" maxOccurs="unbounded"/>
          </xs:sequence></xs:complexType>
        </xs:element>
        <xs:element name="snapshots">
          <xs:complexType><xs:sequence>
            <xs:element ref="snapshot" minOccurs="0" maxOccurs="unbounded"/>
          </xs:sequence></xs:complexType>
        </xs:element>
      </xs:sequence>
      <xs:attribute name="objid" type="xs:string" use="required"/>
      <xs:attribute name="created" type="xs:dateTime" use="required"/>
      <xs:attribute name="administration" type="xs:string"/>
      <xs:attribute name="series" type="xs:string"/>
      <xs:attribute name="account" type="xs:string"/>
      <xs:attribute name="year" type="xs:int"/>
    </xs:complexType>
  </xs:element>

  <xs:element name="case">
    <xs:annotation><xs:documentation>An ärende, e.g. KS 2026/17.</xs:documentation></xs:annotation>
    <xs:complexType>
      <xs:sequence>
        <xs:element name="title" type="xs:string" minOccurs="0"/>
        <xs:element name="administration" type="xs:string"/>
        <xs:element name="account" type="xs:string" minOccurs="0"/>
      </xs:sequence>
      <xs:attribute name="reference" type="xs:string" use="required"/>
      <xs:attribute name="series" type="xs:string" use="required"/>
      <xs:attribute name="year" type="xs:int" use="required"/>
      <xs:attribute name="number" type="xs:positiveInteger" use="required"/>
      <xs:attribute name="opened" type="xs:date" use="required"/>
      <xs:attribute name="collective" type="xs:boolean" use="required"/>
    </xs:complexType>
  </xs:element>

  <xs:element name="document">
    <xs:annotation><xs:documentation>A registered document, e.g. KS 2026/17-3
      (OSL 5 kap. 1-2 §); secrecy carries its provision (5 kap. 5 §).</xs:documentation></xs:annotation>
    <xs:complexType>
      <xs:sequence>
        <xs:element name="registered" type="xs:date"/>
        <xs:element name="date" type="xs:date"/>
        <xs:element name="subject" type="xs:string" minOccurs="0"/>
        <xs:element name="party" type="xs:string" minOccurs="0"/>
        <xs:element name="secrecy" minOccurs="0">
          <xs:complexType>
            <xs:attribute name="provision" type="xs:string" use="required"/>
            <xs:attribute name="masked" type="xs:boolean" use="required"/>
          </xs:complexType>
        </xs:element>
        <xs:element name="account" type="xs:string" minOccurs="0"/>
        <xs:element name="handlingOfficer" type="xs:string" minOccurs="0"/>
        <xs:element name="record" minOccurs="0">
          <xs:complexType>
            <xs:attribute name="type" type="xs:string" use="required"/>
            <xs:attribute name="id" type="xs:positiveInteger" use="required"/>
          </xs:complexType>
        </xs:element>
        <xs:element ref="file" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
      <xs:attribute name="reference" type="xs:string" use="required"/>
      <xs:attribute name="case" type="xs:string" use="required"/>
      <xs:attribute name="number" type="xs:positiveInteger" use="required"/>
      <xs:attribute name="direction" use="required">
        <xs:simpleType>
          <xs:restriction base="xs:string">
            <xs:enumeration value="received"/>
            <xs:enumeration value="drawn_up"/>
          </xs:restriction>
        </xs:simpleType>
      </xs:attribute>
    </xs:complexType>
  </xs:element>

  <xs:element name="snapshot">
    <xs:annotation><xs:documentation>A snapshot of an account as PDF/A-2b (policy §10).</xs:documentation></xs:annotation>
    <xs:complexType>
      <xs:sequence>
        <xs:element name="madeBy" type="xs:string" minOccurs="0"/>
        <xs:element ref="file" minOccurs="0"/>
      </xs:sequence>
      <xs:attribute name="id" type="xs:positiveInteger" use="required"/>
      <xs:attribute name="account" type="xs:string" use="required"/>
      <xs:attribute name="reason" type="xs:string" use="required"/>
      <xs:attribute name="final" type="xs:boolean" use="required"/>
      <xs:attribute name="made" type="xs:dateTime" use="required"/>
      <xs:attribute name="periodStart" type="xs:date" use="required"/>
      <xs:attribute name="periodEnd" type="xs:date" use="required"/>
      <xs:attribute name="screenshotsTakenOn" type="xs:date" use="required"/>
      <xs:attribute name="sha256" type="xs:string" use="required"/>
    </xs:complexType>
  </xs:element>

  <xs:element name="file">
    <xs:annotation><xs:documentation>A stored file, by its path from the package root.</xs:documentation></xs:annotation>
    <xs:complexType>
      <xs:attribute name="href" type="xs:string" use="required"/>
      <xs:attribute name="size" type="xs:nonNegativeInteger" use="required"/>
      <xs:attribute name="sha256" type="xs:string" use="required"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
"""


# --- Validation ------------------------------------------------------------------------


@dataclass
class Validation:
    objid: str = ""
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _ZipSource:
    def __init__(self, source):
        self.zip = zipfile.ZipFile(source)
        self.raw = [i.filename for i in self.zip.infolist() if not i.is_dir()]
        self.root = ""

    def open(self, name: str):
        return self.zip.open(self.root + name)

    def size(self, name: str) -> int:
        return self.zip.getinfo(self.root + name).file_size

    def close(self) -> None:
        self.zip.close()


class _FolderSource:
    def __init__(self, folder: Path):
        self.folder = folder
        self.raw = []
        self.links = []
        for directory, dirs, files in os.walk(folder):
            for name in [*dirs, *files]:
                full = Path(directory, name)
                relative = full.relative_to(folder).as_posix()
                if full.is_symlink():
                    self.links.append(relative)
                elif name in files:
                    self.raw.append(relative)
        self.root = ""

    def open(self, name: str):
        return (self.folder / (self.root + name)).open("rb")

    def size(self, name: str) -> int:
        return (self.folder / (self.root + name)).stat().st_size

    def close(self) -> None:
        pass


def _unsafe_member(name: str) -> bool:
    parts = name.split("/")
    return name.startswith("/") or "\\" in name or ".." in parts or ":" in parts[0]


def _parse(source, name: str, problems: list[str]):
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        with source.open(name) as stream:
            return etree.parse(stream, parser).getroot()
    except (etree.XMLSyntaxError, OSError, KeyError) as error:
        problems.append(f"{name}: går inte att läsa som XML ({error}).")
        return None


def _resolve(base: str, href: str | None) -> str | None:
    """The package path an href points to, or None when it is absolute, has a
    scheme, or climbs (``..``): such a reference could leave the package."""
    if not href:
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or parts.query or parts.fragment:
        return None
    path = unquote(parts.path)
    if path.startswith("/") or "\\" in path or ".." in path.split("/"):
        return None
    joined = posixpath.normpath(posixpath.join(base, path))
    if joined.startswith("../") or joined in {".", ".."}:
        return None
    return joined


def _check_mets_root(mets, name: str, expected_objid: str, problems: list[str]) -> None:
    if mets.tag != _m("mets"):
        problems.append(f"{name}: rotelementet är inte mets i namnrymden {METS_NS}.")
        return
    for attribute, requirement in (("OBJID", "CSIP1"), ("TYPE", "CSIP2"), ("PROFILE", "CSIP6")):
        if not mets.get(attribute):
            problems.append(f"{name}: attributet {attribute} saknas ({requirement}).")
    if expected_objid and mets.get("OBJID") and mets.get("OBJID") != expected_objid:
        problems.append(
            f"{name}: OBJID {mets.get('OBJID')!r} är inte mappens namn {expected_objid!r} (CSIP1)."
        )
    content_type = mets.get(_cs("CONTENTINFORMATIONTYPE"))
    if not content_type:
        problems.append(f"{name}: attributet csip:CONTENTINFORMATIONTYPE saknas (CSIP4).")
    elif content_type == "OTHER" and not mets.get(_cs("OTHERCONTENTINFORMATIONTYPE")):
        problems.append(f"{name}: csip:OTHERCONTENTINFORMATIONTYPE saknas (CSIP5).")
    header = mets.find(_m("metsHdr"))
    if header is None:
        problems.append(f"{name}: metsHdr saknas (CSIP117).")
    else:
        if not header.get("CREATEDATE"):
            problems.append(f"{name}: metsHdr saknar CREATEDATE (CSIP7).")
        if not header.get(_cs("OAISPACKAGETYPE")):
            problems.append(f"{name}: metsHdr saknar csip:OAISPACKAGETYPE (CSIP8).")
        if not any(a.get("ROLE") == "CREATOR" for a in header.findall(_m("agent"))):
            problems.append(f"{name}: metsHdr saknar en agent med ROLE=CREATOR (CSIP10).")
    if mets.find(_m("fileSec")) is None:
        problems.append(f"{name}: fileSec saknas (CSIP58).")
    if not any(
        s.get("TYPE") == "PHYSICAL" and s.get("LABEL") == "CSIP"
        for s in mets.findall(_m("structMap"))
    ):
        problems.append(f"{name}: structMap med TYPE=PHYSICAL och LABEL=CSIP saknas (CSIP80–82).")


_FILE_ATTRIBUTES = ("ID", "MIMETYPE", "SIZE", "CREATED", "CHECKSUM", "CHECKSUMTYPE")


def _references(mets, name: str, base: str, problems: list[str]):
    """(path, declared size, declared SHA-256, use) for each file and mdRef of a METS."""
    found = []
    for element in mets.iter(_m("file"), _m("mdRef")):
        is_file = element.tag == _m("file")
        label = element.get("ID") or element.get("LABEL") or "?"
        missing = [a for a in _FILE_ATTRIBUTES[0 if is_file else 1 :] if not element.get(a)]
        if missing:
            problems.append(f"{name}: {label} saknar {', '.join(missing)}.")
        if element.get("CHECKSUMTYPE") and element.get("CHECKSUMTYPE") != "SHA-256":
            problems.append(f"{name}: {label} har CHECKSUMTYPE {element.get('CHECKSUMTYPE')}.")
        locator = element.find(_m("FLocat")) if is_file else element
        if locator is None:
            problems.append(f"{name}: {label} saknar FLocat.")
            continue
        href = locator.get(_xl("href"))
        if locator.get("LOCTYPE") != "URL":
            problems.append(f"{name}: {label} har inte LOCTYPE=URL.")
        path = _resolve(base, href)
        if path is None:
            problems.append(
                f"{name}: {label} pekar på {href!r}, som inte är en relativ sökväg inom paketet."
            )
            continue
        use = element.getparent().get("USE", "") if is_file else ""
        found.append((path, element.get("SIZE"), (element.get("CHECKSUM") or "").lower(), use))
    for pointer in mets.iter(_m("mptr")):
        href = pointer.get(_xl("href"))
        if _resolve(base, href) is None:
            problems.append(
                f"{name}: mptr pekar på {href!r}, som inte är en relativ sökväg inom paketet."
            )
    return found


def _sha256(source, name: str) -> str:
    with source.open(name) as stream:
        return stream_sha256(stream)


def _open_source(source):
    if isinstance(source, str | Path):
        path = Path(source)
        if path.is_dir():
            return _FolderSource(path)
        return _ZipSource(path)
    return _ZipSource(source)


def validate_package(source) -> Validation:
    """Check a package ``write_package`` wrote: a zip (path or file object) or
    the unpacked package folder. Problems are in Swedish, each naming the file."""
    result = Validation()
    problems = result.problems
    try:
        package = _open_source(source)
    except (zipfile.BadZipFile, OSError) as error:
        problems.append(f"Paketet går inte att öppna som zip eller mapp ({error}).")
        return result
    try:
        _validate(package, result)
    finally:
        package.close()
    return result


def _validate(package, result: Validation) -> None:
    problems = result.problems
    for name in [*package.raw, *getattr(package, "links", [])]:
        if _unsafe_member(name):
            problems.append(f"{name}: sökvägen pekar utanför paketet.")
    for name in getattr(package, "links", []):
        problems.append(f"{name}: symboliska länkar hör inte hemma i ett paket.")
    raw = [n for n in package.raw if not _unsafe_member(n)]

    # The root folder: a zip holds one folder named by OBJID; an unpacked
    # package may be given as that folder itself.
    objid = ""
    if PACKAGE_METS not in raw:
        tops = {n.split("/", 1)[0] for n in raw}
        loose = [n for n in raw if "/" not in n]
        if len(tops) != 1 or loose:
            problems.append(
                "Paketet ska ha en enda rotmapp (paketets OBJID) med METS.xml; "
                f"hittade {', '.join(sorted(tops)) or 'inget'}."
            )
            return
        objid = tops.pop()
        package.root = f"{objid}/"
    elif isinstance(package, _FolderSource):
        objid = package.folder.resolve().name
    names = {n.removeprefix(package.root) for n in raw}
    result.objid = objid

    if PACKAGE_METS not in names:
        problems.append(f"{objid}/METS.xml saknas i paketets rotmapp.")
        return
    if not any(n.startswith("metadata/") for n in names):
        problems.append("Mappen metadata/ saknas eller är tom.")
    if not any(n.startswith("representations/") for n in names):
        problems.append("Mappen representations/ saknas eller är tom.")

    mets = _parse(package, PACKAGE_METS, problems)
    if mets is None:
        return
    _check_mets_root(mets, PACKAGE_METS, objid, problems)
    if mets.get("OBJID"):
        result.objid = mets.get("OBJID")
    references = _references(mets, PACKAGE_METS, "", problems)

    representations = [r for r in references if r[3].startswith("Representations/")]
    if not representations:
        problems.append("METS.xml: ingen fileGrp med USE=Representations/... (CSIP113).")
    for path, *_ in representations:
        if posixpath.basename(path) != "METS.xml" or path not in names:
            continue
        rep_mets = _parse(package, path, problems)
        if rep_mets is None:
            continue
        folder = posixpath.dirname(path)
        _check_mets_root(rep_mets, path, posixpath.basename(folder), problems)
        references += _references(rep_mets, path, folder, problems)

    listed: dict[str, tuple] = {}
    for path, size, checksum, _use in references:
        if path in listed:
            continue
        listed[path] = (size, checksum)
        if path not in names:
            problems.append(f"{path}: finns i METS men saknas i paketet.")
            continue
        result.checked += 1
        actual_size = package.size(path)
        if size is not None and str(actual_size) != size:
            problems.append(f"{path}: storleken är {actual_size} byte, METS säger {size}.")
        if checksum and _sha256(package, path) != checksum:
            problems.append(f"{path}: SHA-256 stämmer inte med METS.")
    for path in sorted(names - listed.keys() - {PACKAGE_METS}):
        problems.append(f"{path}: finns i paketet men inte i någon METS.")


def verify_package(source) -> list[str]:
    """Problems with a package (empty when it is valid); see ``validate_package``."""
    return validate_package(source).problems
