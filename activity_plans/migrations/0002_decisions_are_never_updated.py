"""A decision and a submitted version are written once (DESIGN.md "Lifecycles"):
the database refuses an UPDATE, so not even QuerySet.update() or raw SQL can
rewrite the approval trail. Deletion stays possible for disposal (gallring)."""

from django.db import migrations

TABLES = ("activity_plans_decision", "activity_plans_planrevision")


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
    dependencies = [("activity_plans", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
