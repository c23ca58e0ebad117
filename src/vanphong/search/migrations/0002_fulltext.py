"""The full-text part of the index, per engine: an FTS5 table on SQLite, a tsvector column with a GIN
index on PostgreSQL. Tokens are made in Python (search/text.py), so both see the same words."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_searchentry ADD COLUMN tsv tsvector")
        schema_editor.execute("CREATE INDEX search_entry_tsv ON search_searchentry USING gin (tsv)")
    else:
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "folded, exact, access, tokenize = 'unicode61 remove_diacritics 0')"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_tsv")
        schema_editor.execute("ALTER TABLE search_searchentry DROP COLUMN IF EXISTS tsv")
    else:
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
