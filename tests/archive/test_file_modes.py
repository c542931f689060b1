"""One file mode for everything the app writes: snapshot PDFs, archive packages
and the SQLite database are readable by the app's user and group only (0640),
the same as uploads, however permissive the server's umask."""

import os
import stat

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.utils import ConnectionHandler
from django.utils import timezone

from nora_social.core import file_modes
from tests.archive.snapshot_helpers import make_snapshot

pytestmark = pytest.mark.django_db

APP_MODE = 0o640


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def permissive_umask():
    """The common default umask (0022), under which files come out 0644."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_the_one_mode_is_the_upload_mode():
    assert settings.FILE_UPLOAD_PERMISSIONS == APP_MODE
    assert settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o750


def test_a_snapshot_pdf_is_not_world_readable(account, staff, permissive_umask):
    snapshot = make_snapshot(account, staff)
    assert mode(snapshot.pdf.path) == APP_MODE


def test_an_archive_package_from_the_command_is_not_world_readable(
    registrar, org, account, tmp_path, permissive_umask
):
    call_command(
        "write_archive_package",
        administration="KS",
        year=timezone.localdate().year,
        user=registrar.username,
        output=str(tmp_path),
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    (package,) = tmp_path.glob("nora-*.zip")
    assert mode(package) == APP_MODE


def _connect_sqlite(path) -> None:
    handler = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": path}})
    connection = handler["default"]
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS probe (id integer)")
    finally:
        connection.close()


def test_a_new_sqlite_database_is_not_world_readable(tmp_path, permissive_umask):
    path = tmp_path / "db.sqlite3"
    _connect_sqlite(str(path))
    assert mode(path) == APP_MODE


def test_an_existing_world_readable_sqlite_database_is_restricted_on_connect(tmp_path):
    path = tmp_path / "db.sqlite3"
    _connect_sqlite(str(path))
    path.chmod(0o644)
    _connect_sqlite(str(path))
    assert mode(path) == APP_MODE


def test_the_process_umask_leaves_new_files_at_the_app_mode(tmp_path):
    previous = os.umask(0o022)
    try:
        file_modes.apply_umask()
        (tmp_path / "ny.txt").write_text("x")
        (tmp_path / "mapp").mkdir()
    finally:
        os.umask(previous)
    assert mode(tmp_path / "ny.txt") == APP_MODE
    assert mode(tmp_path / "mapp") == 0o750
