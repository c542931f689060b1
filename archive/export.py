"""Archive export: an account's or an administration's register, as one zip
for transfer to the archive authority (arkivlagen; policy §10).

The package holds the cases and document entries as CSV and JSON, the stored
files of the linked records and snapshots that exist (screenshots, plan and
snapshot PDFs), and a manifest with the SHA-256 and size of every file, both as
``manifest.json`` and as a ``sha256sum``-style ``manifest-sha256.txt``, so the
receiver can check it with ordinary tools. ``verify_package`` checks a package
against its manifest.

This is a plain transfer package, not yet the FGS Paketstruktur (E-ARK CSIP/SIP
with METS) the issue asks for in the end.
"""

import csv
import datetime
import hashlib
import io
import json
import posixpath
import tempfile
import zipfile
from dataclasses import dataclass

from django.apps import apps
from django.db.models import FileField, Q
from django.utils import timezone

from accounts.models import Administration, User
from archive.models import Case, Document
from channels_registry.models import SocialAccount

MANIFEST = "manifest.json"
MANIFEST_TXT = "manifest-sha256.txt"
CHUNK = 1 << 16

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
            name = f"forvaltning-{self.administration.register_series.lower()}"
        else:
            name = "alla"
        return f"{name}-{self.year}" if self.year else name


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


def _cases(scope: Scope, documents):
    qs = Case.objects.select_related("administration", "account").order_by(
        "year", "series", "number"
    )
    if scope.account is not None:
        qs = qs.filter(Q(account=scope.account) | Q(documents__in=documents)).distinct()
    elif scope.administration is not None:
        qs = qs.filter(administration=scope.administration)
    if scope.year:
        qs = qs.filter(year=scope.year)
    return qs


def _record_files(document: Document) -> list:
    """The stored files of the record a document links, that exist."""
    if not document.record_id or document.record_type is None:
        return []
    model = document.record_type.model_class()
    if model is None:
        return []
    record = model._default_manager.filter(pk=document.record_id).first()
    if record is None:
        return []
    found = []
    for f in record._meta.concrete_fields:
        if isinstance(f, FileField):
            value = getattr(record, f.attname)
            if value and value.storage.exists(value.name):
                found.append(value)
    return found


def _snapshot_files(scope: Scope) -> list:
    """Snapshot PDFs of the accounts in scope (if the snapshot model is installed)."""
    try:
        snapshot = apps.get_model("archive", "Snapshot")
    except LookupError:
        return []
    qs = snapshot.objects.all()
    if scope.account is not None:
        qs = qs.filter(account=scope.account)
    elif scope.administration is not None:
        qs = qs.filter(account__unit__administration=scope.administration)
    if scope.year:
        qs = qs.filter(made_at__year=scope.year)
    return [s.pdf for s in qs if s.pdf and s.pdf.storage.exists(s.pdf.name)]


def _package_name(stored_name: str) -> str:
    # Stored names are generated (random) paths under MEDIA_ROOT; keep them.
    return posixpath.join("filer", stored_name.replace("\\", "/").lstrip("/"))


def _csv_bytes(header: list[str], rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else str(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _iso(value) -> str:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def build_package(*, scope: Scope, actor: User, out=None):
    """Write the zip to ``out`` (a new temporary file when omitted) and return
    it, rewound. The caller checks ``can_export``."""
    if out is None:
        # Returned open to the caller, who streams and closes it.
        out = tempfile.SpooledTemporaryFile(max_size=32 << 20)  # noqa: SIM115
    documents = list(_documents(scope))
    cases = list(_cases(scope, [d.pk for d in documents]))
    manifest: list[dict] = []

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:

        def add_bytes(name: str, data: bytes) -> None:
            package.writestr(name, data)
            manifest.append(
                {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            )

        def add_file(name: str, field_file) -> None:
            digest = hashlib.sha256()
            size = 0
            with (
                field_file.storage.open(field_file.name, "rb") as source,
                package.open(name, "w", force_zip64=True) as target,
            ):
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    target.write(chunk)
            manifest.append({"path": name, "sha256": digest.hexdigest(), "size": size})

        written: set[str] = set()
        rows = []
        for document in documents:
            names = []
            for field_file in _record_files(document):
                name = _package_name(field_file.name)
                if name not in written:
                    add_file(name, field_file)
                    written.add(name)
                names.append(name)
            rows.append(
                {
                    "reference": document.reference,
                    "case": document.case.reference,
                    "case_title": document.case.title,
                    "registered_on": _iso(document.registered_on),
                    "document_date": _iso(document.document_date),
                    "direction": document.direction,
                    "party": document.party,
                    "subject": document.subject,
                    "secrecy_provision": document.secrecy_provision,
                    "account": document.account.display_name if document.account else "",
                    "handling_officer": str(document.handling_officer or ""),
                    "record_type": document.record_type.model if document.record_type else "",
                    "record_id": document.record_id or "",
                    "files": names,
                }
            )
        for field_file in _snapshot_files(scope):
            name = _package_name(field_file.name)
            if name not in written:
                add_file(name, field_file)
                written.add(name)

        case_rows = [
            {
                "reference": c.reference,
                "title": c.title,
                "administration": c.administration.name,
                "account": c.account.display_name if c.account else "",
                "collective": c.is_collective,
                "opened_on": _iso(c.opened_on),
            }
            for c in cases
        ]
        add_bytes(
            "diarium/handlingar.csv",
            _csv_bytes(
                DOCUMENT_FIELDS,
                ([*(r[k] for k in DOCUMENT_FIELDS[:-1]), " ".join(r["files"])] for r in rows),
            ),
        )
        add_bytes(
            "diarium/handlingar.json",
            json.dumps(rows, ensure_ascii=False, indent=2).encode("utf-8"),
        )
        add_bytes(
            "diarium/arenden.csv",
            _csv_bytes(CASE_FIELDS, ([r[k] for k in CASE_FIELDS] for r in case_rows)),
        )
        add_bytes(
            "diarium/arenden.json",
            json.dumps(case_rows, ensure_ascii=False, indent=2).encode("utf-8"),
        )
        header = {
            "created_at": timezone.now().isoformat(),
            "created_by": actor.get_username(),
            "administration": scope.administration.name if scope.administration else None,
            "account": scope.account.display_name if scope.account else None,
            "year": scope.year,
            "algorithm": "SHA-256",
            "files": manifest,
        }
        package.writestr(MANIFEST, json.dumps(header, ensure_ascii=False, indent=2))
        package.writestr(MANIFEST_TXT, "".join(f"{m['sha256']}  {m['path']}\n" for m in manifest))
    out.seek(0)
    return out


def verify_package(source) -> list[str]:
    """Problems with a package: a file missing, extra, or not matching its hash.
    An empty list means every file matches the manifest."""
    problems = []
    with zipfile.ZipFile(source) as package:
        try:
            manifest = json.loads(package.read(MANIFEST))
        except (KeyError, ValueError):
            return ["manifest.json saknas eller går inte att läsa."]
        listed = {m["path"]: m for m in manifest.get("files", [])}
        present = set(package.namelist()) - {MANIFEST, MANIFEST_TXT}
        for name in sorted(present - listed.keys()):
            problems.append(f"{name}: finns inte i manifestet.")
        for name, item in sorted(listed.items()):
            if name not in present:
                problems.append(f"{name}: saknas i paketet.")
                continue
            digest = hashlib.sha256()
            with package.open(name) as member:
                while chunk := member.read(CHUNK):
                    digest.update(chunk)
            if digest.hexdigest() != item["sha256"]:
                problems.append(f"{name}: kontrollsumman stämmer inte.")
    return problems
