"""Notifications point to their record by a generic relation (content type and
id) instead of only by URL, so disposal and purge can find them. Existing rows
are linked from their URLs: the URL name says the kind of record and the URL's
number which one. A row whose URL names no record, or a record that no longer
exists, stays without a link."""

from collections import defaultdict
from urllib.parse import urlsplit

import django.db.models.deletion
from django.db import migrations, models
from django.urls import Resolver404, resolve

# The URL names that notices have used, and the record each names (as of this
# migration: later URL changes do not concern the rows it links).
RECORDS = {
    "activity_plans:plan_detail": ("activity_plans", "ActivityPlan"),
    "archive:snapshot_request": ("archive", "SnapshotRequest"),
    "channels_registry:account_detail": ("channels_registry", "SocialAccount"),
    "moderation:action_detail": ("moderation", "ModerationAction"),
    "moderation:escalation_detail": ("moderation", "Escalation"),
    "moderation:post_detail": ("moderation", "Post"),
    "moderation:question_detail": ("moderation", "Question"),
}


def _named_records(notifications):
    """(app label, model name) → [(notification id, record id)] from the URLs."""
    found = defaultdict(list)
    for pk, url in notifications.exclude(url="").values_list("pk", "url").iterator():
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            continue
        target = RECORDS.get(match.view_name)
        record_id = match.kwargs.get("pk")
        if target is not None and record_id is not None:
            found[target].append((pk, record_id))
    return found


def link_to_records(apps, schema_editor):
    Notification = apps.get_model("accounts", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for (app_label, model_name), pairs in _named_records(Notification.objects.all()).items():
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:  # the app is not installed or not yet migrated
            continue
        existing = set(
            model.objects.filter(pk__in={record for _, record in pairs}).values_list(
                "pk", flat=True
            )
        )
        if not existing:
            continue
        content_type, _ = ContentType.objects.get_or_create(
            app_label=app_label, model=model_name.lower()
        )
        notes_of = defaultdict(list)
        for note, record in pairs:
            if record in existing:
                notes_of[record].append(note)
        for record, notes in notes_of.items():
            Notification.objects.filter(pk__in=notes).update(
                about_type=content_type, about_id=record
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_single_sign_on"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="about_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="about_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                fields=["about_type", "about_id"], name="accounts_no_about_t_b8f589_idx"
            ),
        ),
        migrations.RunPython(link_to_records, migrations.RunPython.noop, elidable=True),
    ]
