"""Rebuild the register's search index.

PostgreSQL: install the Swedish search configuration now and rebuild every
document's search vector, for a server that got the hunspell files after
migrating. SQLite: re-index every document in the FTS5 table, for a database
whose index is older than the installed word lists (a new simplemma or
snowballstemmer may reduce some words differently)."""

import importlib

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from archive.models import Document
from archive.register import search


class Command(BaseCommand):
    help = "Bygger om diariets sökindex (på PostgreSQL även sökkonfigurationen nora_swedish)."

    def handle(self, *args, **options):
        if not search.is_postgresql():
            with transaction.atomic():
                count = search.rebuild_sqlite_index()
            self.stdout.write(f"SQLite index {search.FTS_TABLE}: {count} documents re-indexed.")
            return
        migration = importlib.import_module("archive.migrations.0002_search_config")
        with transaction.atomic(), connection.schema_editor(atomic=False) as editor:
            migration.create(None, editor)
            count = Document.objects.update(search_vector=search.document_vector())
        self.stdout.write(
            f"Configuration {search.CONFIG}: "
            f"{'hunspell' if search.has_dictionary() else 'stock swedish (no dictionary)'}; "
            f"{count} documents re-indexed."
        )
