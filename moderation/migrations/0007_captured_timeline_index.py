"""The timeline's index: an account's captured objects in the order the page
shows them (first seen, newest first, then id), so a page's keys are read from
the index alone at any depth (issue 17, "Speed and scale"; docs/performance.md).
It replaces the index on (account, first_seen_at), its prefix."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("channels_registry", "0009_account_import_run"),
        ("moderation", "0006_raw_event_failure"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="capturedobject",
            name="moderation__account_4f9b5f_idx",
        ),
        migrations.AddIndex(
            model_name="capturedobject",
            index=models.Index(fields=["account", "first_seen_at", "id"], name="captured_timeline"),
        ),
    ]
