"""The gaps a recorded removal (disposal, purge) leaves in an account's chain of
captured versions: written once, like the chain itself (the database refuses
an UPDATE)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


TABLE = "moderation_chaingap"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {TABLE}_refuse_update() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{TABLE} rows are never updated';
            END;
            $$ LANGUAGE plpgsql;
            CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
                FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse_update();
            """
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"""
            CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
            BEGIN
                SELECT RAISE(ABORT, '{TABLE} rows are never updated');
            END;
            """
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update ON {TABLE};")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {TABLE}_refuse_update();")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update;")


class Migration(migrations.Migration):
    dependencies = [
        ("channels_registry", "0007_platform_connections"),
        ("moderation", "0004_captured_rows_are_never_updated"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChainGap",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("first_seq", models.PositiveBigIntegerField()),
                ("last_seq", models.PositiveBigIntegerField()),
                ("enter_hash", models.CharField(max_length=64)),
                ("leave_hash", models.CharField(max_length=64)),
                ("gap_hash", models.CharField(max_length=64)),
                ("record_id", models.PositiveBigIntegerField()),
                ("platform_id", models.CharField(max_length=200)),
                ("removed_by", models.CharField(max_length=20)),
                ("removal_number", models.PositiveBigIntegerField()),
                ("removal_reference", models.CharField(blank=True, max_length=100)),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="channels_registry.socialaccount",
                    ),
                ),
            ],
            options={
                "verbose_name": "lucka i kedjan",
                "verbose_name_plural": "luckor i kedjan",
                "ordering": ["account_id", "first_seq"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("account", "first_seq"), name="one_gap_per_position"
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
