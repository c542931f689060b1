"""What was captured is written once (issue 17: "Nothing captured is ever
updated in place"): the database refuses an UPDATE of a captured object, a
version, its content or a raw event. Deletion stays possible for disposal and
the CSAM purge, which leave their own entries."""

from django.db import migrations

TABLES = (
    "moderation_capturedobject",
    "moderation_capturedversion",
    "moderation_capturedcontent",
    "moderation_rawevent",
)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(
                f"""
                CREATE OR REPLACE FUNCTION {table}_refuse_update() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION '{table} rows are never updated';
                END;
                $$ LANGUAGE plpgsql;
                CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
                    FOR EACH ROW EXECUTE FUNCTION {table}_refuse_update();
                """
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                f"""
                CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
                BEGIN
                    SELECT RAISE(ABORT, '{table} rows are never updated');
                END;
                """
            )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table};")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_refuse_update();")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")


class Migration(migrations.Migration):
    dependencies = [("moderation", "0003_platform_capture")]

    operations = [migrations.RunPython(forwards, backwards)]
