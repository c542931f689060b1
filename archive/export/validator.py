"""Checking an archive package as the receiving archive would: the METS files
against their schema and the E-ARK rules the writer follows, every file
referenced, its size and SHA-256 as recorded, and the register against its own
schema. ``verify_package`` returns the problems as a list of lines.
"""

import os
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from archive.export.layout import METS_NS, PACKAGE_METS, _cs, _m, _xl
from nora_social.core.uploads import stream_sha256

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
    names = _package_names(package, result)
    if names is None:
        return
    objid, problems = result.objid, result.problems
    if PACKAGE_METS not in names:
        problems.append(f"{objid}/METS.xml saknas i paketets rotmapp.")
        return
    if not any(n.startswith("metadata/") for n in names):
        problems.append("Mappen metadata/ saknas eller är tom.")
    if not any(n.startswith("representations/") for n in names):
        problems.append("Mappen representations/ saknas eller är tom.")
    references = _mets_references(package, names, result)
    if references is not None:
        _check_listed_files(package, names, references, result)


def _package_names(package, result: Validation) -> set[str] | None:
    """The members' names below the package's root folder, after refusing any
    path that leads outside the package and any symbolic link. A zip holds one
    folder named by OBJID; an unpacked package may be given as that folder
    itself. None when there is no single root folder."""
    problems = result.problems
    for name in [*package.raw, *getattr(package, "links", [])]:
        if _unsafe_member(name):
            problems.append(f"{name}: sökvägen pekar utanför paketet.")
    for name in getattr(package, "links", []):
        problems.append(f"{name}: symboliska länkar hör inte hemma i ett paket.")
    raw = [n for n in package.raw if not _unsafe_member(n)]
    objid = ""
    if PACKAGE_METS not in raw:
        tops = {n.split("/", 1)[0] for n in raw}
        loose = [n for n in raw if "/" not in n]
        if len(tops) != 1 or loose:
            problems.append(
                "Paketet ska ha en enda rotmapp (paketets OBJID) med METS.xml; "
                f"hittade {', '.join(sorted(tops)) or 'inget'}."
            )
            return None
        objid = tops.pop()
        package.root = f"{objid}/"
    elif isinstance(package, _FolderSource):
        objid = package.folder.resolve().name
    result.objid = objid
    return {n.removeprefix(package.root) for n in raw}


def _mets_references(package, names: set[str], result: Validation) -> list | None:
    """The files the package METS and each representation's METS list, after
    checking their roots (CSIP); None when the package METS does not parse."""
    problems = result.problems
    mets = _parse(package, PACKAGE_METS, problems)
    if mets is None:
        return None
    _check_mets_root(mets, PACKAGE_METS, result.objid, problems)
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
    return references


def _check_listed_files(package, names: set[str], references: list, result: Validation) -> None:
    """Every listed file is there with the size and SHA-256 its METS gives, and
    no file is left unlisted."""
    problems = result.problems
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
