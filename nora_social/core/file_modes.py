"""One file mode for everything the app writes (kernel: imports no app).

Uploads, generated PDFs (plans, snapshots), archive packages and the SQLite
database hold personal data and public records with secrecy: readable by the
app's user and its group (the backup job, the web server's worker group),
never by every account on the server. ``FILE_UPLOAD_PERMISSIONS`` is the one
mode; Django applies it to what goes through the storage, and this module to
what the app writes itself. The process umask matches it, so files made by
libraries (SQLite and its journal) start out the same.
"""

import io
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper


def file_mode() -> int:
    return settings.FILE_UPLOAD_PERMISSIONS


def directory_mode() -> int:
    return settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS


def apply_umask() -> None:
    """Files and folders created by this process get no more than the app's modes."""
    os.umask(0o777 & ~(file_mode() | directory_mode()))


def restrict(path: str | os.PathLike) -> None:
    """Give a file the app's mode (a rename keeps the mode of the temporary file)."""
    os.chmod(path, file_mode())


def open_new(path: str | os.PathLike) -> io.BufferedWriter:
    """A new file for binary writing, created with the app's mode."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode())
    os.fchmod(fd, file_mode())  # the umask may have taken bits away
    return os.fdopen(fd, "wb")


def restrict_sqlite(
    sender: type[BaseDatabaseWrapper], connection: BaseDatabaseWrapper, **kwargs: Any
) -> None:
    """``connection_created``: a SQLite database made before the umask (or by
    another tool) gets the app's mode; SQLite gives its journal and WAL files
    the database file's mode."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    if path.is_file() and path.stat().st_mode & 0o777 != file_mode():
        restrict(path)
