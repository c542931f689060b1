"""Removing a record with everything that hangs on it, for a disposal run and a
confirmed purge alike: its register entry and minor-mark, its dependants and
owned rows as its kind names them, every history row, the notices about any of
them, and (after commit) its files.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import FileField, Model, ProtectedError

from accounts.models import Notification
from archive.models import Document, DocumentFile, MinorRecord
from nora_social.core import records

# --- Removal (shared by disposal and purge) --------------------------------------


@dataclass
class Removed:
    records: int = 0
    history_rows: int = 0
    files: int = 0
    references: dict = field(default_factory=dict)
    file_names: list = field(default_factory=list)


def _file_names(record: Model) -> list[tuple[FileField, str]]:
    return [
        (f, getattr(record, f.attname).name)
        for f in record._meta.concrete_fields
        if isinstance(f, FileField) and getattr(record, f.attname)
    ]


def _delete_rows(model: type[Model], pks: list[int], removed: Removed) -> None:
    """Rows with their history rows, by queryset (append-only models refuse
    ``delete()`` one by one)."""
    if not pks:
        return
    model._default_manager.filter(pk__in=pks).delete()
    # After the rows: deleting a tracked row writes a "-" history row with its
    # values, which must go too.
    history = getattr(model, "history", None)
    if history is not None:
        removed.history_rows += history.model.objects.filter(id__in=pks).delete()[0]


def _remove_register_entries(record: Model, removed: Removed) -> str:
    content_type = ContentType.objects.get_for_model(record)
    documents = Document.objects.filter(record_type=content_type, record_id=record.pk)
    reference = ""
    for document in documents.select_related("case"):
        reference = document.reference
        if document.file:
            # A file filed with the entry (an appeal's letter) goes with it.
            removed.file_names.append((document.file.storage, document.file.name))
    pks = list(documents.values_list("pk", flat=True))
    # The document's own files go with it (rows first: they point to it).
    own = DocumentFile.objects.filter(document_id__in=pks)
    removed.file_names.extend((f.file.storage, f.file.name) for f in own.only("pk", "file"))
    _delete_rows(DocumentFile, list(own.values_list("pk", flat=True)), removed)
    _delete_rows(Document, pks, removed)
    marks = MinorRecord.objects.filter(record_type=content_type, record_id=record.pk)
    _delete_rows(MinorRecord, list(marks.values_list("pk", flat=True)), removed)
    return reference


def _remove_notices(groups: list[tuple[type[Model], list[int]]]) -> None:
    """The notices about the record and its rows (a plan to approve, a forwarded
    question, an escalation, a snapshot request): they would lead nowhere."""
    for model, pks in groups:
        if pks and not model._meta.auto_created:
            content_type = ContentType.objects.get_for_model(model)
            Notification.objects.filter(about_type=content_type, about_id__in=pks).delete()


def _remove_m2m_history(record: Model, removed: Removed) -> None:
    """History rows of the record's many-to-many fields."""
    for m2m in record._meta.many_to_many:
        try:
            history_model = apps.get_model(
                record._meta.app_label, f"Historical{record._meta.object_name}_{m2m.name}"
            )
        except LookupError:
            continue
        # By the record's own column: its history rows are already gone.
        rows = history_model.objects.filter(**{f"{m2m.m2m_field_name()}_id": record.pk})
        removed.history_rows += rows.delete()[0]


def _remove(record: Model, removed: Removed, removal: records.Removal) -> bool:
    """Remove one record with everything of it, as its kind says: the rows that
    exist only for it before it (``dependants``), the rows it owns after it
    (``owned``), their files, and the notices about any of them. The kind hears
    of the ``removal`` first (``removing``: a chain records its gap), in the same
    transaction. False (and nothing removed) if another record still points to
    it (a later correction, a removal of a post)."""
    model = type(record)
    kind = records.kind_for(record)
    dependants = list(kind.dependants(record)) if kind and kind.dependants else []
    owned = list(kind.owned(record)) if kind and kind.owned else []
    own_files = _file_names(record)
    other_files = (
        [(f.storage, f.name) for f in kind.files(record) if f] if kind and kind.files else []
    )
    removed_for = Removed()
    try:
        with transaction.atomic():
            if kind and kind.removing:
                kind.removing(record, removal)
            reference = _remove_register_entries(record, removed_for)
            _remove_notices([(model, [record.pk]), *dependants, *owned])
            for dependant, pks in dependants:
                _delete_rows(dependant, pks, removed_for)
            _delete_rows(model, [record.pk], removed_for)
            _remove_m2m_history(record, removed_for)
            for owned_model, pks in owned:
                _delete_rows(owned_model, pks, removed_for)
    except ProtectedError:
        return False
    removed.records += 1
    removed.history_rows += removed_for.history_rows
    removed.references[record.pk] = reference
    removed.file_names.extend(other_files)
    removed.file_names.extend(removed_for.file_names)
    for file_field, name in own_files:
        # A correction may keep the earlier entry's screenshot: the file goes
        # only when no row still names it.
        if not model._default_manager.filter(**{file_field.attname: name}).exists():
            removed.file_names.append((file_field.storage, name))
    return True


def _delete_files_after_commit(removed: Removed) -> None:
    removed.files = len(removed.file_names)
    names = list(removed.file_names)

    def delete():
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete)
