"""Backup and restore: one encrypted archive of the database and the stored files,
with a manifest of row counts and SHA-256 checksums. A round trip into a fresh
database gives the same counts and files; a changed archive is refused; secrets
are never plaintext in the archive, not even inside the encryption."""

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pyotp
import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from accounts.models import User
from channels_registry.models import EscrowDeposit
from nora_social import backup
from tests.factories import PASSWORD, make_active_account
from tests.migrated import copy_sqlite_template, drop_pg_database, fresh_pg_database

BASE_DIR = Path(settings.BASE_DIR)
ESCROW_PASSWORD = "Hemligt-lösen-7Q!x-rutt"
RECOVERY = "återställning-kod-4711-äpple"


@pytest.fixture
def data(org, platform, staff, info_officer):
    """People, an account with deposited access, a TOTP seed and stored files."""
    account = make_active_account(unit=org["unit"], platform=platform)
    deposit = account.escrow_deposits.get()
    deposit.login_name = "nora.kommun.fb"
    deposit.password = ESCROW_PASSWORD
    deposit.recovery_codes = RECOVERY
    deposit.save()
    staff.totp_secret = pyotp.random_base32()
    staff.totp_confirmed_at = timezone.now()
    staff.save()
    media = Path(settings.MEDIA_ROOT)
    (media / "moderation" / "2025" / "03").mkdir(parents=True)
    (media / "moderation" / "2025" / "03" / "skarmbild.png").write_bytes(os.urandom(5000))
    (media / "activity_plans" / "2025").mkdir(parents=True)
    (media / "activity_plans" / "2025" / "plan-1 v1.pdf").write_bytes(b"%PDF-1.7\n" * 300)
    return {"account": account, "totp_secret": str(staff.totp_secret), "staff": staff}


def _media_hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _raw_column(model, field_name: str, pk) -> str:
    quote = connection.ops.quote_name
    column = model._meta.get_field(field_name).column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(column)} FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()[0]


def _plain_tar(path: Path) -> bytes:
    """The archive's content with the encryption taken off, as one byte string."""
    buffer = io.BytesIO()
    backup.decrypt_archive(path, buffer)
    return gzip.decompress(buffer.getvalue())


def _make_backup(tmp_path) -> Path:
    output = tmp_path / "backups" / "nora.backup"
    call_command("backup", output=str(output), stdout=io.StringIO())
    return output


# --- A fresh database for the round trip ---------------------------------------


@pytest.fixture
def fresh_database_url(tmp_path):
    """An empty, migrated database of the same engine as the tests use (a copy of
    the suite's migrated template, tests/migrated.py), dropped afterwards."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        copy_sqlite_template(tmp_path / "restored.sqlite3")
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"nora_restore_{uuid.uuid4().hex[:12]}"
    url = fresh_pg_database(db, name)
    try:
        yield url
    finally:
        drop_pg_database(db, name)


_RESTORE_AND_REPORT = """
import hashlib, io, json, sys
from pathlib import Path
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
call_command("migrate", verbosity=0)
out = io.StringIO()
call_command("restore", input=sys.argv[1], stdout=out)
from nora_social.backup import table_counts
from accounts.models import User
from channels_registry.models import EscrowDeposit
root = Path(settings.MEDIA_ROOT)
deposit = EscrowDeposit.objects.get()
print(json.dumps({
    "output": out.getvalue(),
    "counts": table_counts(),
    "files": {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
              for p in sorted(root.rglob("*")) if p.is_file()},
    "escrow_password": str(deposit.password),
    "totp_secret": str(User.objects.get(username=sys.argv[2]).totp_secret),
    "login_works": User.objects.get(username=sys.argv[2]).check_password(sys.argv[3]),
}))
"""


def _restore_in_child(archive: Path, database_url: str, tmp_path: Path, username: str):
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "nora_social.settings",
            "PYTHONDONTWRITEBYTECODE": "1",
            "NORA_TESTING": "true",
            "NORA_DEV_FAST_SWEEP": "false",
            "DATABASE_URL": database_url,
            "VAR_DIR": str(tmp_path / "child-var"),
            "MEDIA_ROOT": str(tmp_path / "restored-media"),
            "ESCROW_KEYS": ",".join(settings.ESCROW_KEYS),
            "BACKUP_KEY": ",".join(settings.BACKUP_KEYS),
        }
    )
    return subprocess.run(  # noqa: S603 - fixed argv: this interpreter and a constant script
        [sys.executable, "-c", _RESTORE_AND_REPORT, str(archive), username, PASSWORD],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_round_trip_into_a_fresh_database_keeps_every_row_and_file(
    data, tmp_path, fresh_database_url
):
    counts_before = backup.table_counts()
    files_before = _media_hashes(Path(settings.MEDIA_ROOT))
    archive = _make_backup(tmp_path)

    result = _restore_in_child(archive, fresh_database_url, tmp_path, data["staff"].username)

    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert "checksums match" in report["output"]
    assert report["counts"] == counts_before
    assert counts_before["accounts_user"] >= 5
    assert counts_before["channels_registry_escrowdeposit"] == 1
    assert counts_before["accounts_historicaluser"] > 0
    assert report["files"] == files_before
    assert len(files_before) == 2
    # Secrets come back as the same ciphertext, readable with the same keys.
    assert report["escrow_password"] == ESCROW_PASSWORD
    assert report["totp_secret"] == data["totp_secret"]
    assert report["login_works"] is True


def test_manifest_lists_row_counts_and_checksums(data, tmp_path):
    archive = _make_backup(tmp_path)

    with tarfile.open(fileobj=io.BytesIO(_plain_tar(archive))) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        members = {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}

    assert manifest["format"] == backup.FORMAT
    assert manifest["tables"]["accounts_user"] == User.objects.count()
    assert manifest["tables"]["channels_registry_escrowdeposit"] == 1
    assert "django_session" not in manifest["tables"]
    assert set(manifest["files"]) == set(members) - {"manifest.json"}
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(members[name]).hexdigest() == digest
    assert "media/activity_plans/2025/plan-1 v1.pdf" in manifest["files"]
    assert "accounts.0002_stepup_hardening" in manifest["migrations"]


def test_archive_holds_secrets_only_as_stored_ciphertext(data, tmp_path):
    deposit = EscrowDeposit.objects.get()
    stored_token = _raw_column(EscrowDeposit, "password", deposit.pk)
    archive = _make_backup(tmp_path)

    plain = _plain_tar(archive)
    encrypted = archive.read_bytes()

    for secret in (ESCROW_PASSWORD, RECOVERY, data["totp_secret"], "recovery-secret-xyz"):
        needle = secret.encode("utf-8")
        assert needle not in plain, secret
        assert needle not in encrypted
    # The stored token itself is what is kept, so the same keys still open it.
    assert stored_token.encode("ascii") in plain
    assert stored_token.encode("ascii") not in encrypted


def test_a_changed_archive_is_refused_and_nothing_changes(data, tmp_path):
    archive = _make_backup(tmp_path)
    users = User.objects.count()
    raw = bytearray(archive.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    archive.write_bytes(bytes(raw))

    with pytest.raises(CommandError, match="changed or damaged"):
        call_command("restore", input=str(archive), verify_only=True)
    with pytest.raises(CommandError, match="changed or damaged"):
        call_command("restore", input=str(archive))
    assert User.objects.count() == users


def test_a_cut_archive_is_refused(data, tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "CHUNK_SIZE", 1024)
    archive = _make_backup(tmp_path)
    raw = archive.read_bytes()
    # Drop the last sealed chunk: every remaining chunk is still authentic.
    chunks, offset = [], len(backup.MAGIC)
    while offset < len(raw):
        (length,) = backup._LENGTH.unpack_from(raw, offset)
        chunks.append(raw[offset : offset + backup._LENGTH.size + length])
        offset += backup._LENGTH.size + length
    assert len(chunks) > 3
    archive.write_bytes(backup.MAGIC + b"".join(chunks[:-1]))

    with pytest.raises(CommandError, match="cut short"):
        call_command("restore", input=str(archive), verify_only=True)

    archive.write_bytes(backup.MAGIC + chunks[1] + chunks[0] + b"".join(chunks[2:]))
    with pytest.raises(CommandError, match="out of order"):
        call_command("restore", input=str(archive), verify_only=True)


def test_an_archive_with_a_wrong_checksum_inside_is_refused(data, tmp_path, monkeypatch):
    """Made with the right key but not matching its manifest (a bug or a forgery
    by someone holding the key): still refused."""
    real_sha = backup._sha256_file
    monkeypatch.setattr(
        backup,
        "_sha256_file",
        lambda path: "0" * 64 if path.name == "skarmbild.png" else real_sha(path),
    )
    archive = _make_backup(tmp_path)
    monkeypatch.setattr(backup, "_sha256_file", real_sha)

    with pytest.raises(CommandError, match=r"does not match its manifest.*skarmbild\.png"):
        call_command("restore", input=str(archive), verify_only=True)


def test_another_key_cannot_open_the_archive(data, tmp_path, settings):
    archive = _make_backup(tmp_path)
    settings.BACKUP_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(CommandError, match="BACKUP_KEY does not hold the key"):
        call_command("restore", input=str(archive), verify_only=True)


def test_an_old_key_listed_after_a_new_one_still_opens_old_archives(data, tmp_path, settings):
    archive = _make_backup(tmp_path)
    settings.BACKUP_KEYS = [Fernet.generate_key().decode(), *settings.BACKUP_KEYS]

    out = io.StringIO()
    call_command("restore", input=str(archive), verify_only=True, stdout=out)

    assert "verified" in out.getvalue()


def test_restore_refuses_a_database_in_use(data, tmp_path):
    archive = _make_backup(tmp_path)
    before = backup.table_counts()

    with pytest.raises(CommandError, match="The database is not empty") as error:
        call_command("restore", input=str(archive))

    assert "accounts_user" in str(error.value)
    assert "manage.py migrate" in str(error.value)
    assert backup.table_counts() == before


def test_restore_refuses_a_media_root_with_files(settings, tmp_path):
    root = tmp_path / "media-in-use"
    (root / "x").mkdir(parents=True)
    (root / "x" / "old.pdf").write_bytes(b"%PDF")
    settings.MEDIA_ROOT = root

    with pytest.raises(backup.BackupError, match="already holds files"):
        backup._check_media_root_empty()


def test_backup_needs_a_key(db, tmp_path, settings):
    settings.BACKUP_KEYS = []
    with pytest.raises(CommandError, match="BACKUP_KEY is not set"):
        _make_backup(tmp_path)
    assert not (tmp_path / "backups" / "nora.backup").exists()


def test_production_has_no_fallback_backup_key(production_settings):
    assert production_settings["BACKUP_KEYS"] == []


def test_backup_never_overwrites_a_file(db, tmp_path):
    archive = _make_backup(tmp_path)
    before = archive.read_bytes()
    with pytest.raises(CommandError, match="already exists"):
        _make_backup(tmp_path)
    assert archive.read_bytes() == before


def test_archive_is_readable_only_by_its_owner(db, tmp_path):
    archive = _make_backup(tmp_path)
    assert archive.stat().st_mode & 0o077 == 0


def test_restore_refuses_entries_outside_the_archive_layout():
    for name in ("../etc/passwd", "/etc/passwd", "media/../../x", "other.json"):
        with pytest.raises(backup.BackupError, match="unexpected entry"):
            backup._safe_member_name(name)
    assert backup._safe_member_name("media/a/b.png") == "media/a/b.png"
