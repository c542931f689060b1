"""The zip an archive package is written into: each member is hashed as it is
written, and stored files are streamed in chunks.
"""

import hashlib
import zipfile
from dataclasses import dataclass

from lxml import etree

from archive.export.layout import CHUNK, _iso, _mimetype

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

    def add_stored(self, path: str, field_file, mimetype: str = "") -> PackedFile:
        try:
            created = _iso(field_file.storage.get_created_time(field_file.name))
        except (NotImplementedError, OSError):
            created = self.created
        entry = self.open(path, mimetype or _mimetype(path), created)
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
