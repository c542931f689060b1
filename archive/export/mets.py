"""The METS files of an archive package: the package's own and its representation's."""

import posixpath

from django.conf import settings
from lxml import etree

from accounts.models import User
from archive.export.layout import (
    CONTENT_CATEGORY,
    CONTENT_INFORMATION_TYPE,
    CSIP_NS,
    METS_NS,
    METS_SCHEMA_LOCATION,
    ORGANISATION,
    OTHER_CONTENT_INFORMATION_TYPE,
    PROFILE,
    REP_DIR,
    REPRESENTATION,
    SOFTWARE,
    SOFTWARE_VERSION,
    XLINK_NS,
    XSI_NS,
    _cs,
    _href,
    _m,
    _xl,
)
from archive.export.package import PackedFile


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
    root = _mets_root(REPRESENTATION, "Lagrade filer: skärmdumpar, ögonblicksbilder, PDF och WARC")
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
    dmd_ids = _metadata_sections(root, created, descriptive, preservation)
    _package_file_sec(root, documentation, schemas, representation)
    _package_struct_map(root, objid, dmd_ids, representation)
    return root


def _metadata_sections(
    root, created: str, descriptive: list[tuple[PackedFile, str, dict]], preservation: PackedFile
) -> list[str]:
    """One ``dmdSec`` per descriptive file and the ``amdSec`` with the PREMIS."""
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
    return dmd_ids


def _package_file_sec(
    root,
    documentation: list[PackedFile],
    schemas: list[PackedFile],
    representation: PackedFile,
) -> None:
    """The package ``fileSec``: documentation, schemas and the representation METS."""
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


def _package_struct_map(root, objid: str, dmd_ids: list[str], representation: PackedFile) -> None:
    """The physical ``structMap`` (CSIP): metadata, documentation, schemas and
    the representations."""
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
