"""Removing a record with everything that hangs on it, for a disposal run and a
confirmed purge alike: its register entry and minor-mark, its dependants, every
history row, the notices that lead to it, and (after commit) its files.
"""

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import (
    FileField,
    Model,
    ProtectedError,
)
from django.urls import reverse

from accounts.models import Notification
from archive.models import (
    DisposableType,
    Document,
    MinorRecord,
    SnapshotRequest,
    SnapshotScreenshot,
)

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
    _delete_rows(Document, list(documents.values_list("pk", flat=True)), removed)
    marks = MinorRecord.objects.filter(record_type=content_type, record_id=record.pk)
    _delete_rows(MinorRecord, list(marks.values_list("pk", flat=True)), removed)
    return reference


# Any: a record of another app, known here only by its label (imports point one way).
def _notice_urls(record: Any) -> list[str]:
    """Where the notices about this record lead (the services' ``notify`` urls)."""
    label = record._meta.label
    if label == DisposableType.ACTIVITY_PLAN:
        return [reverse("activity_plans:plan_detail", args=[record.pk])]
    if label == DisposableType.QUESTION:
        return [reverse("moderation:question_detail", args=[record.pk])]
    if label == DisposableType.SNAPSHOT:
        return [reverse("archive:snapshot_request", args=[record.request_id])]
    if label == DisposableType.MODERATION_ACTION:
        from moderation.models import Escalation

        return [
            reverse("moderation:escalation_detail", args=[pk])
            for pk in Escalation.objects.filter(action=record).values_list("pk", flat=True)
        ]
    return []


def _remove_dependants(record: Any, removed: Removed) -> None:
    Notification.objects.filter(url__in=_notice_urls(record)).delete()
    label = record._meta.label
    if label == DisposableType.MODERATION_ACTION:
        from moderation.models import Escalation

        escalations = list(Escalation.objects.filter(action=record).values_list("pk", flat=True))
        if escalations:
            through = Escalation.notified.through
            through.objects.filter(escalation_id__in=escalations).delete()
        _delete_rows(Escalation, escalations, removed)
    elif label == DisposableType.POST:
        from moderation.models import PostCorrection

        corrections = list(PostCorrection.objects.filter(post=record).values_list("pk", flat=True))
        _delete_rows(PostCorrection, corrections, removed)
    elif label == DisposableType.ACTIVITY_PLAN:
        from activity_plans.models import Decision, PlanRevision

        # Written once and refusing delete() one by one, like the plan's record.
        _delete_rows(Decision, list(record.decisions.values_list("pk", flat=True)), removed)
        _delete_rows(PlanRevision, list(record.revisions.values_list("pk", flat=True)), removed)


def _remove_owned(record: Any, removed: Removed) -> None:
    """After the record: rows it pointed to that exist only for it, and history
    rows of its many-to-many fields."""
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
    if record._meta.label == DisposableType.SNAPSHOT:
        # The request and its uploaded screenshots are the snapshot's material.
        screenshots = list(SnapshotScreenshot.objects.filter(request_id=record.request_id))
        removed.file_names.extend(
            (shot.image.storage, shot.image.name) for shot in screenshots if shot.image
        )
        _delete_rows(SnapshotScreenshot, [shot.pk for shot in screenshots], removed)
        _delete_rows(SnapshotRequest, [record.request_id], removed)


def _remove(record: Model, removed: Removed) -> bool:
    """Remove one record with everything of it. False (and nothing removed) if
    another record still points to it (a later correction, a removal of a post)."""
    model = type(record)
    files = _file_names(record)
    removed_for = Removed()
    try:
        with transaction.atomic():
            reference = _remove_register_entries(record, removed_for)
            _remove_dependants(record, removed_for)
            _delete_rows(model, [record.pk], removed_for)
            _remove_owned(record, removed_for)
    except ProtectedError:
        return False
    removed.records += 1
    removed.history_rows += removed_for.history_rows
    removed.references[record.pk] = reference
    removed.file_names.extend(removed_for.file_names)
    for file_field, name in files:
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
