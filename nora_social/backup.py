"""Encrypted backups of the database and the stored files, and their restore.

One archive holds everything: ``manifest.json`` (row counts per table, SHA-256
of every member, the migrations it was made with), ``database.json`` (every
row, Django's serialization), ``encrypted.json`` (the raw Fernet tokens of
``EncryptedTextField`` columns) and ``media/...`` (every file under
MEDIA_ROOT).

Secrets stay ciphertext: the serializer writes an empty string for each
encrypted field and never decrypts it (it is deferred); the stored token is
read as plain text into ``encrypted.json`` and written back the same way on
restore, so neither dumping nor loading passes it through the field. A restored
secret decrypts only with the ESCROW_KEYS of the day the backup was made.

The archive is a gzip'd tar cut into chunks, each a Fernet token (AES-CBC plus
HMAC) over ``(index, is_last, data)``: a changed, reordered, cut or extended
archive fails before anything is restored, and memory stays at one chunk.
"""

import gzip
import hashlib
import io
import json
import os
import shutil
import struct
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model, TextField, Value
from django.db.models.functions import Cast
from django.utils import timezone

from nora_social.core.crypto import EncryptedTextField
from nora_social.core.errors import ServiceError
from nora_social.core.uploads import stream_sha256

FORMAT = "nora-social-backup/1"
MAGIC = b"NORA-SOCIAL-BACKUP-1\n"
CHUNK_SIZE = 4 * 1024 * 1024
_CHUNK_HEADER = struct.Struct(">Q?")
_LENGTH = struct.Struct(">I")

MANIFEST = "manifest.json"
DATABASE = "database.json"
ENCRYPTED = "encrypted.json"
MEDIA_PREFIX = "media/"

# Logins do not survive a restore: people log in again.
EXCLUDED_MODELS = {"sessions.session"}


class BackupError(ServiceError):
    """A backup or restore that cannot go on; the message says why and what to do."""


def backup_fernet() -> MultiFernet:
    keys = list(getattr(settings, "BACKUP_KEYS", []) or [])
    if not keys:
        raise BackupError(
            "BACKUP_KEY is not set. Set it to one or more Fernet keys (newest first, "
            "comma-separated); keep old keys listed while backups made with them are kept."
        )
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        raise BackupError("BACKUP_KEY holds a value that is not a Fernet key.") from exc


# --- What is backed up ---------------------------------------------------------


def _dumped_models() -> list[type[Model]]:
    """Models whose rows are serialized (many-to-many rows go with their owner)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in EXCLUDED_MODELS
    ]


def _counted_models() -> list[type[Model]]:
    """Every table restored, auto-created many-to-many tables included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in EXCLUDED_MODELS
    ]


def _encrypted_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def table_counts() -> dict[str, int]:
    return {
        model._meta.db_table: model._base_manager.count()
        for model in sorted(_counted_models(), key=lambda m: m._meta.db_table)
    }


def _applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


class _CiphertextSerializer(JSONSerializer):
    """Django's JSON serializer, but an encrypted field is written as "": its
    stored token goes to ``encrypted.json`` instead, and it is never decrypted."""

    _current: dict[str, Any]  # the row being written (Django's Python serializer)

    def handle_field(self, obj, field):
        if isinstance(field, EncryptedTextField):
            self._current[field.name] = ""
            return
        super().handle_field(obj, field)


def _all_rows() -> Iterator:
    for model in _dumped_models():
        deferred = [f.name for f in _encrypted_fields(model)]
        queryset = model._base_manager.order_by(model._meta.pk.name)
        if deferred:
            queryset = queryset.defer(*deferred)
        yield from queryset.iterator(chunk_size=2000)


def _raw_tokens() -> dict[str, dict[str, dict[str, str]]]:
    """{model label: {field name: {pk: stored token}}}. ``Cast`` to a plain text
    field reads the column as stored: the encrypted field never decrypts it."""
    tokens: dict[str, dict[str, dict[str, str]]] = {}
    for model in _dumped_models():
        for field in _encrypted_fields(model):
            rows = (
                model._base_manager.exclude(**{f"{field.name}__isnull": True})
                .annotate(_stored=Cast(field.name, output_field=TextField()))
                .exclude(_stored="")
                .order_by("pk")
                .values_list("pk", "_stored")
            )
            found = {str(pk): token for pk, token in rows.iterator(chunk_size=2000)}
            if found:
                tokens.setdefault(model._meta.label, {})[field.name] = found
    return tokens


def _media_files() -> list[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found.append((path, MEDIA_PREFIX + path.relative_to(root).as_posix()))
    return found


def _sha256_file(path: Path) -> str:
    with path.open("rb") as fh:
        return stream_sha256(fh)


# --- The encrypted container ---------------------------------------------------


class _EncryptingWriter(io.RawIOBase):
    """A write-only stream that seals every CHUNK_SIZE bytes as one Fernet token."""

    def __init__(self, out, fernet: MultiFernet):
        super().__init__()
        self._out = out
        self._fernet = fernet
        self._buffer = bytearray()
        self._index = 0
        self._out.write(MAGIC)

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._buffer.extend(data)
        while len(self._buffer) >= CHUNK_SIZE:
            self._seal(bytes(self._buffer[:CHUNK_SIZE]), last=False)
            del self._buffer[:CHUNK_SIZE]
        return len(data)

    def _seal(self, data: bytes, *, last: bool) -> None:
        token = self._fernet.encrypt(_CHUNK_HEADER.pack(self._index, last) + data)
        self._out.write(_LENGTH.pack(len(token)) + token)
        self._index += 1

    def finish(self) -> None:
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()


def _decrypted_chunks(fh, fernet: MultiFernet) -> Iterator[bytes]:
    if fh.read(len(MAGIC)) != MAGIC:
        raise BackupError("This file is not a Nora social backup archive.")
    expected = 0
    while True:
        length_bytes = fh.read(_LENGTH.size)
        if len(length_bytes) < _LENGTH.size:
            raise BackupError("The archive is cut short: its last part is missing.")
        (length,) = _LENGTH.unpack(length_bytes)
        token = fh.read(length)
        try:
            plain = fernet.decrypt(token)
        except InvalidToken as exc:
            raise BackupError(
                "The archive has been changed or damaged, or BACKUP_KEY does not hold "
                "the key it was made with. Nothing was restored."
            ) from exc
        index, last = _CHUNK_HEADER.unpack_from(plain)
        if index != expected:
            raise BackupError("The archive's parts are out of order. Nothing was restored.")
        expected += 1
        yield plain[_CHUNK_HEADER.size :]
        if last:
            if fh.read(1):
                raise BackupError("The archive has data after its end. Nothing was restored.")
            return


class _DecryptingReader(io.RawIOBase):
    def __init__(self, fh, fernet: MultiFernet):
        super().__init__()
        self._chunks = _decrypted_chunks(fh, fernet)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def decrypt_archive(path: Path, out) -> None:
    """Write the archive's plain tar.gz to ``out`` (for inspection and tests)."""
    with Path(path).open("rb") as fh:
        shutil.copyfileobj(_DecryptingReader(fh, backup_fernet()), out)


# --- Backup --------------------------------------------------------------------


def create_backup(output: Path) -> dict:
    """Write the database and MEDIA_ROOT to one encrypted archive at ``output``.

    One read transaction (REPEATABLE READ on PostgreSQL) so every table is seen
    at the same moment. The file appears only when complete (rename)."""
    output = Path(output)
    if output.exists():
        raise BackupError(f"{output} already exists; choose a new file name.")
    fernet = backup_fernet()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nora-backup-") as work:
        work_dir = Path(work)
        with transaction.atomic():
            if connection.vendor == "postgresql" and len(connection.atomic_blocks) == 1:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            counts = table_counts()
            database_path = work_dir / DATABASE
            with database_path.open("w", encoding="utf-8") as fh:
                _CiphertextSerializer().serialize(_all_rows(), stream=fh)
            (work_dir / ENCRYPTED).write_text(json.dumps(_raw_tokens()), encoding="utf-8")
            migrations = _applied_migrations()
        members = [(database_path, DATABASE), (work_dir / ENCRYPTED, ENCRYPTED)]
        members += _media_files()
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connection.vendor,
            "migrations": migrations,
            "tables": counts,
            "files": {name: _sha256_file(path) for path, name in members},
        }
        manifest_bytes = json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8")

        partial = output.with_name(output.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw:
                writer = _EncryptingWriter(raw, fernet)
                with (
                    gzip.GzipFile(fileobj=writer, mode="wb", mtime=0) as gz,
                    tarfile.open(fileobj=gz, mode="w|", format=tarfile.PAX_FORMAT) as tar,
                ):
                    info = tarfile.TarInfo(MANIFEST)
                    info.size = len(manifest_bytes)
                    tar.addfile(info, io.BytesIO(manifest_bytes))
                    for path, name in members:
                        info = tarfile.TarInfo(name)
                        info.size = path.stat().st_size
                        info.mode = 0o600
                        with path.open("rb") as fh:
                            tar.addfile(info, fh)
                writer.finish()
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


# --- Restore -------------------------------------------------------------------


def _safe_member_name(name: str) -> str:
    path = PurePosixPath(name)
    if (
        path.is_absolute()
        or ".." in path.parts
        or not path.parts
        or (name not in (MANIFEST, DATABASE, ENCRYPTED) and not name.startswith(MEDIA_PREFIX))
    ):
        raise BackupError(
            f"The archive holds an unexpected entry ({name!r}). Nothing was restored."
        )
    return name


def unpack_and_verify(path: Path, work_dir: Path) -> dict:
    """Decrypt and unpack into ``work_dir``; check every member against the manifest."""
    hashes: dict[str, str] = {}
    with Path(path).open("rb") as fh:
        reader = io.BufferedReader(_DecryptingReader(fh, backup_fernet()))
        try:
            with tarfile.open(fileobj=reader, mode="r|gz") as tar:
                for member in tar:
                    name = _safe_member_name(member.name)
                    if not member.isfile() or name in hashes:
                        raise BackupError(
                            f"The archive holds an unexpected entry ({name!r}). "
                            "Nothing was restored."
                        )
                    target = work_dir / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    digest = hashlib.sha256()
                    source = tar.extractfile(member)
                    assert source is not None  # a regular file, checked above  # nosec B101
                    with target.open("wb") as out:
                        while block := source.read(1024 * 1024):
                            digest.update(block)
                            out.write(block)
                    hashes[name] = digest.hexdigest()
            # The tar stream ends at its end-of-archive blocks, which may lie before
            # the last sealed part: read to the end, so that a cut archive (whose
            # last part, the one marked last, is missing) is refused whatever its size.
            while reader.read(1 << 20):
                pass
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(
                f"The archive cannot be unpacked ({exc}). Nothing was restored."
            ) from exc
    if MANIFEST not in hashes:
        raise BackupError("The archive has no manifest. Nothing was restored.")
    manifest = json.loads((work_dir / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown archive format {manifest.get('format')!r}.")
    del hashes[MANIFEST]
    if hashes != manifest["files"]:
        missing = sorted(set(manifest["files"]) - set(hashes))
        extra = sorted(set(hashes) - set(manifest["files"]))
        changed = sorted(
            n for n in hashes if n in manifest["files"] and hashes[n] != manifest["files"][n]
        )
        raise BackupError(
            "The archive does not match its manifest "
            f"(missing: {missing}, unexpected: {extra}, checksum differs: {changed}). "
            "Nothing was restored."
        )
    return manifest


def database_rows_in_use() -> dict[str, int]:
    """Rows that show a database is in use. A freshly migrated database has none:
    migrations may seed reference data, but never people, history or log-ins."""
    in_use = {}
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    # simple-history's models carry ``instance_type``: the model they record.
    candidates = [user_model] + [m for m in apps.get_models() if hasattr(m, "instance_type")]
    candidates += [apps.get_model("sessions", "Session")]
    for model in candidates:
        count = model._base_manager.count()
        if count:
            in_use[model._meta.db_table] = count
    return in_use


def _check_target(manifest: dict) -> None:
    applied = set(_applied_migrations())
    if not applied:
        raise BackupError(
            "The database has no tables yet. Run `manage.py migrate` on the new, empty "
            "database first, then restore."
        )
    missing = sorted(set(manifest["migrations"]) - applied)
    if missing:
        raise BackupError(
            "The backup was made with migrations this database does not have "
            f"({', '.join(missing[:5])}{' …' if len(missing) > 5 else ''}). "
            "Restore with the version of the application that made the backup, after "
            "`manage.py migrate`."
        )
    in_use = database_rows_in_use()
    if in_use:
        summary = ", ".join(f"{table}: {count}" for table, count in list(in_use.items())[:5])
        raise BackupError(
            f"The database is not empty ({summary}). Restore only into a new, empty "
            "database: create one, run `manage.py migrate`, then restore. Nothing was changed."
        )


def _check_media_root_empty() -> Path:
    root = Path(settings.MEDIA_ROOT)
    if root.exists() and any(p.is_file() for p in root.rglob("*")):
        raise BackupError(
            f"MEDIA_ROOT ({root}) already holds files. Restore into an empty directory. "
            "Nothing was changed."
        )
    return root


def _write_tokens(tokens: dict) -> None:
    """Put each stored token back as it was. A ``Value`` with a plain text
    output field skips the encrypted field, which would encrypt it again."""
    for label, fields in tokens.items():
        model = apps.get_model(label)
        for name, rows in fields.items():
            for pk, token in rows.items():
                model._base_manager.filter(pk=model._meta.pk.to_python(pk)).update(
                    **{name: Value(token, output_field=TextField())}
                )


def _load_database(work_dir: Path, manifest: dict) -> None:
    # Migrations seed reference rows (content types, permissions, role groups):
    # they give way to the backup's own rows, whose primary keys other rows use.
    tables = [model._meta.db_table for model in _counted_models()]
    for sql in connection.ops.sql_flush(no_style(), tables, reset_sequences=False):
        with connection.cursor() as cursor:
            cursor.execute(sql)
    # The backup holds the history rows already; loading must not add new ones
    # (simple-history records many-to-many changes even for fixture loads).
    history_was = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    settings.SIMPLE_HISTORY_ENABLED = False
    try:
        call_command("loaddata", str(work_dir / DATABASE), verbosity=0)
    finally:
        settings.SIMPLE_HISTORY_ENABLED = history_was
    _write_tokens(json.loads((work_dir / ENCRYPTED).read_text(encoding="utf-8")))
    ContentType.objects.clear_cache()
    counts = table_counts()
    wrong = {
        table: (expected, counts.get(table))
        for table, expected in manifest["tables"].items()
        if counts.get(table) != expected
    }
    if wrong:
        raise BackupError(
            f"Row counts after loading differ from the manifest ({wrong}). Nothing was restored."
        )


def _restore_files(work_dir: Path, manifest: dict, media_root: Path, written: list) -> None:
    for name, expected in manifest["files"].items():
        if not name.startswith(MEDIA_PREFIX):
            continue
        target = media_root / name[len(MEDIA_PREFIX) :]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(work_dir / name, target)
        target.chmod(settings.FILE_UPLOAD_PERMISSIONS or 0o640)
        written.append(target)
        if _sha256_file(target) != expected:
            raise BackupError(f"{target} differs from the archive after copying.")


def restore_backup(path: Path, *, verify_only: bool = False) -> dict:
    """Restore an archive into an empty, migrated database and an empty MEDIA_ROOT.

    Order: verify everything, check the target is empty, then load rows, write
    tokens and copy files in one transaction; any failure leaves both as they were."""
    with tempfile.TemporaryDirectory(prefix="nora-restore-") as work:
        work_dir = Path(work)
        manifest = unpack_and_verify(Path(path), work_dir)
        if verify_only:
            return manifest
        _check_target(manifest)
        media_root = _check_media_root_empty()
        written: list[Path] = []
        try:
            with transaction.atomic():
                _load_database(work_dir, manifest)
                _restore_files(work_dir, manifest, media_root, written)
        except BaseException:
            for target in written:
                target.unlink(missing_ok=True)
            raise
    return manifest
