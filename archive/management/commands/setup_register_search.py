"""Install the Swedish search configuration now and rebuild every document's
search vector: for a server that got the hunspell files after migrating."""

import importlib

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from archive import search
from archive.models import Document


class Command(BaseCommand):
    help = "Skapar sökkonfigurationen nora_swedish (PostgreSQL) och bygger om sökindexet."

    def handle(self, *args, **options):
        if not search.is_postgresql():
            raise CommandError("Only PostgreSQL has a search configuration; SQLite needs none.")
        migration = importlib.import_module("archive.migrations.0002_search_config")
        with transaction.atomic(), connection.schema_editor(atomic=False) as editor:
            migration.create(None, editor)
            count = Document.objects.update(search_vector=search.document_vector())
        self.stdout.write(
            f"Configuration {search.CONFIG}: "
            f"{'hunspell' if search.has_dictionary() else 'stock swedish (no dictionary)'}; "
            f"{count} documents re-indexed."
        )
