"""The Swedish text search configuration and the GIN index (PostgreSQL only).

See ``archive/search.py`` for why hunspell. ``make search-dict`` (called by
``make system-deps``) installs ``hunspell-sv`` and puts ``sv_se.dict`` and
``sv_se.affix`` in the server's ``tsearch_data``. Without them the configuration
is a copy of ``swedish`` and a warning says so.
"""

import warnings

from django.db import migrations

CONFIG = "nora_swedish"
DICTIONARY = "nora_swedish_hunspell"
TOKENS = "asciiword, word, hword, hword_part, hword_asciipart, asciihword"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [CONFIG])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.swedish)")
        cursor.execute("SELECT 1 FROM pg_ts_dict WHERE dictname = %s", [DICTIONARY])
        have_dictionary = cursor.fetchone() is not None
        if not have_dictionary:
            try:
                cursor.execute("SAVEPOINT nora_dict")
                cursor.execute(
                    f"CREATE TEXT SEARCH DICTIONARY {DICTIONARY} "
                    "(TEMPLATE = ispell, DictFile = sv_se, AffFile = sv_se, StopWords = swedish)"
                )
                cursor.execute("RELEASE SAVEPOINT nora_dict")
                have_dictionary = True
            except Exception as exc:  # noqa: BLE001 - any failure means: no dictionary files
                cursor.execute("ROLLBACK TO SAVEPOINT nora_dict")
                warnings.warn(
                    "The Swedish hunspell dictionary (sv_se.dict/sv_se.affix) is not in "
                    "PostgreSQL's tsearch_data; register search falls back to the stock "
                    f"'swedish' stemmer, which misses inflected forms. Run `make search-dict`. ({exc})",
                    RuntimeWarning,
                    stacklevel=1,
                )
        if have_dictionary:
            cursor.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR {TOKENS} "
                f"WITH {DICTIONARY}, swedish_stem"
            )
        # 0006 replaces this index with archive_document_admin_search_gin.
        cursor.execute(
            "SELECT 1 FROM pg_indexes WHERE indexname IN "
            "('archive_document_search_gin', 'archive_document_admin_search_gin')"
        )
        if cursor.fetchone() is None:
            cursor.execute(
                "CREATE INDEX archive_document_search_gin "
                "ON archive_document USING gin (search_vector)"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS archive_document_search_gin")
        cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
        cursor.execute(f"DROP TEXT SEARCH DICTIONARY IF EXISTS {DICTIONARY}")


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
