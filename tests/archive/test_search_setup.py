"""The setup command re-creates the configuration (PostgreSQL) and re-indexes
documents (both backends)."""

import pytest
from django.core.management import call_command
from django.db import connection

from archive.models import Document
from archive.register import search
from tests.archive.conftest import ON_POSTGRES, only_postgres, register

pytestmark = pytest.mark.django_db


@only_postgres
def test_setup_reindexes_every_document(account, registrar):
    document = register(registrar, account, subject="Frågorna om bilderna")
    Document.objects.filter(pk=document.pk).update(search_vector=None)
    call_command("setup_register_search")
    assert search.has_dictionary()
    assert Document.objects.filter(search_vector__isnull=False).count() == 1
    found = search.apply_text_search(Document.objects.all(), "bild", rank=False)
    assert list(found) == [document]


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's index")
def test_setup_reindexes_every_document_on_sqlite(account, registrar):
    document = register(registrar, account, subject="Frågorna om bilderna")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM archive_document_fts")
    assert not search.apply_text_search(Document.objects.all(), "bild", rank=False).exists()
    call_command("setup_register_search")
    found = search.apply_text_search(Document.objects.all(), "frågan", rank=False)
    assert list(found) == [document]
