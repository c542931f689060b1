"""Register search speed (issue 7): the administration on each document, and
indexes that let PostgreSQL find one administration's matches without reading
the other nine administrations' rows.

- ``Document.administration`` is the case's administration, copied (a case never
  changes administration). The search filtered through ``archive_case``; no index
  can reach into another table, so a common word made PostgreSQL read every
  matching document of every administration (15,000 heap pages for 700 hits).
- A btree on (administration, document_date desc, id desc): newest first within
  an administration, read in order.
- The GIN index becomes (administration_id, search_vector) with ``btree_gin``
  (contrib, a trusted extension: no superuser needed), so one index scan could
  intersect the administration with the words. It still serves searches without
  an administration. Without ``btree_gin`` the plain GIN index is kept and a
  warning says so. (Measured later: the search sends the administration as an
  integer literal, and btree_gin's bigint class has no bigint = integer operator
  before PostgreSQL 18, so the scan uses the words only and the administration
  is checked on the rows; casting it made common words slower. README
  "Prestanda".)
- ``search_vector`` gets statistics target 1000: with the default (100) the
  planner misjudges rare lexemes and ANDs the GIN index with a date index that
  returns hundreds of thousands of rows.
"""

import warnings

import django.db.models.deletion
from django.db import migrations, models

OLD_GIN = "archive_document_search_gin"
NEW_GIN = "archive_document_admin_search_gin"


def copy_administration(apps, schema_editor):
    schema_editor.execute(
        "UPDATE archive_document SET administration_id = (SELECT c.administration_id "
        "FROM archive_case c WHERE c.id = archive_document.case_id)"
    )


def speed_up(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        try:
            cursor.execute("SAVEPOINT nora_btree_gin")
            cursor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
            cursor.execute("RELEASE SAVEPOINT nora_btree_gin")
        except Exception as exc:  # noqa: BLE001 - any failure means: no btree_gin here
            cursor.execute("ROLLBACK TO SAVEPOINT nora_btree_gin")
            warnings.warn(
                "btree_gin (PostgreSQL contrib) could not be installed; the register search "
                f"keeps its plain GIN index and is slower per administration. ({exc})",
                RuntimeWarning,
                stacklevel=1,
            )
        else:
            cursor.execute(f"DROP INDEX IF EXISTS {OLD_GIN}")
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {NEW_GIN} "
                "ON archive_document USING gin (administration_id, search_vector)"
            )
        cursor.execute(
            "ALTER TABLE archive_document ALTER COLUMN search_vector SET STATISTICS 1000"
        )
        cursor.execute("ANALYZE archive_document")


def slow_down(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE archive_document ALTER COLUMN search_vector SET STATISTICS -1")
        cursor.execute(f"DROP INDEX IF EXISTS {NEW_GIN}")
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {OLD_GIN} ON archive_document USING gin (search_vector)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_stepup_hardening"),
        ("archive", "0005_retention_snapshots_plans"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="administration",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.administration",
                verbose_name="förvaltning",
            ),
        ),
        migrations.RunPython(copy_administration, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="document",
            name="administration",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.administration",
                verbose_name="förvaltning",
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=["administration", "-document_date", "-id"], name="document_admin_date"
            ),
        ),
        migrations.RunPython(speed_up, slow_down),
    ]
