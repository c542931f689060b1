"""Where a report lives while it is made and after: a folder in the media
storage, ``reports/<token>/``, with ``manifest.json`` (who asked, the period and
scope, the state, the steps done, the files and the diarium reference) beside
the files. The manifest is replaced atomically (a rename), so a reader never
sees half of one; the task is the only writer once the report is queued."""

import datetime
import json
import os
import re
import uuid
from dataclasses import asdict, dataclass, field

from django.conf import settings

from nora_social.core import file_modes

ROOT = "reports"
TOKEN = re.compile(r"^[0-9a-f]{32}$")
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
FILES = {
    "pdf": ("arsrapport.pdf", "application/pdf"),
    "xlsx": (
        "arsrapport.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "csv": ("arsrapport-csv.zip", "application/zip"),
}


@dataclass
class Manifest:
    token: str
    requested_by: int
    requested_at: str
    start: str
    end: str
    administration_id: int | None
    scope_name: str
    state: str = QUEUED
    step: int = 0
    steps: int = 1
    files: dict[str, str] = field(default_factory=dict)
    document_id: int | None = None
    document_reference: str = ""
    finished_at: str = ""

    @property
    def start_date(self) -> datetime.date:
        return datetime.date.fromisoformat(self.start)

    @property
    def end_date(self) -> datetime.date:
        return datetime.date.fromisoformat(self.end)

    @property
    def percent(self) -> int:
        return 100 if self.state == DONE else int(100 * self.step / max(self.steps, 1))

    @property
    def done(self) -> bool:
        return self.state == DONE

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)


def new_token() -> str:
    return uuid.uuid4().hex


def folder(token: str) -> str:
    if not TOKEN.match(token):
        raise ValueError("not a report token")
    return os.path.join(settings.MEDIA_ROOT, ROOT, token)


def _write_atomic(path: str, data: bytes) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    part = f"{path}.{uuid.uuid4().hex}.part"
    with file_modes.open_new(part) as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(part, path)


def save(manifest: Manifest) -> None:
    data = json.dumps(asdict(manifest), ensure_ascii=False, indent=1).encode("utf-8")
    _write_atomic(os.path.join(folder(manifest.token), "manifest.json"), data)


def load(token: str) -> Manifest | None:
    try:
        path = os.path.join(folder(token), "manifest.json")
        with open(path, encoding="utf-8") as handle:
            return Manifest(**json.load(handle))
    except (ValueError, OSError, TypeError):
        return None


def write_file(manifest: Manifest, kind: str, data: bytes) -> None:
    name = FILES[kind][0]
    _write_atomic(os.path.join(folder(manifest.token), name), data)
    manifest.files[kind] = name


def file_path(manifest: Manifest, kind: str) -> str | None:
    name = manifest.files.get(kind)
    if not name:
        return None
    path = os.path.join(folder(manifest.token), name)
    return path if os.path.exists(path) else None


def all_manifests() -> list[Manifest]:
    """Every report, newest first."""
    base = os.path.join(settings.MEDIA_ROOT, ROOT)
    try:
        tokens = [t for t in os.listdir(base) if TOKEN.match(t)]
    except FileNotFoundError:
        return []
    found = [m for m in (load(t) for t in tokens) if m is not None]
    return sorted(found, key=lambda m: m.requested_at, reverse=True)
