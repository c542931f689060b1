"""The register's full-text index on SQLite (the demo of ``make run``).

An FTS5 table of each document's Swedish normal forms and a trigger that drops
a deleted document's row (see ``archive/search.py``). Documents registered
before this migration are indexed here. PostgreSQL has its tsvector and GIN
index (0002, 0006) and gets nothing.
"""

from django.db import migrations

from archive.register import search


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in search.sqlite_index_sql():
        schema_editor.execute(statement)
    Document = apps.get_model("archive", "Document")
    rows = Document.objects.using(schema_editor.connection.alias).values_list(
        "pk", "subject", "party", "search_text"
    )
    search.index_documents(list(rows), using=schema_editor.connection)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {search.FTS_TABLE}_delete")
    schema_editor.execute(f"DROP TABLE IF EXISTS {search.FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("archive", "0006_search_speed")]

    operations = [migrations.RunPython(create, drop)]
