"""What goes in an archive package: the scope (an administration's or an
account's register for a year) and the cases, documents, snapshots and stored
files it selects, read in batches.
"""

import datetime
import posixpath
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import FileField, Q
from django.utils.text import slugify

from accounts.models import Administration
from archive.export.layout import BATCH, REP_DATA
from archive.models import Case, Document, DocumentFile
from channels_registry.models import SocialAccount
from nora_social.core import records


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


def _scope_accounts(scope: Scope):
    if scope.account is not None:
        return SocialAccount.objects.filter(pk=scope.account.pk)
    if scope.administration is not None:
        return SocialAccount.objects.filter(unit__administration=scope.administration)
    return SocialAccount.objects.all()


def _kind_files(scope: Scope) -> Iterator[records.PackageFile]:
    """The files record kinds keep beside their records for the scope's
    accounts and year (the capture's WARC files), as each kind names them."""
    start = datetime.date(scope.year, 1, 1) if scope.year else None
    end = datetime.date(scope.year, 12, 31) if scope.year else None
    for kind in records.kinds():
        if kind.package_files is not None:
            yield from kind.package_files(_scope_accounts(scope), start, end)


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
    per kind of record in the batch, then the file filed with each document and
    the documents' own files (a drawn-up report's PDF/A and spreadsheet), one
    query for the batch."""
    found = _linked_record_files(documents)
    for document in documents:
        # A file filed with the entry from outside (a letter, a scanned form).
        if document.file and document.file.storage.exists(document.file.name):
            found.setdefault(document.pk, []).append(document.file)
    own = DocumentFile.objects.filter(document__in=[d.pk for d in documents]).order_by("pk")
    for stored in own.only("pk", "document_id", "file"):
        if stored.file and stored.file.storage.exists(stored.file.name):
            found.setdefault(stored.document_id, []).append(stored.file)
    return found


def _linked_record_files(documents: list[Document]) -> dict[int, list]:
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
