"""The index for a million documents (issue 4's goals): the text's tokens are kept in the entry
(folded for matching, exact for ranking in Python), filters become tokens, and the full-text part is
derived from the entry row by the database itself, so it can never drift from it:

- SQLite: an FTS5 table over the entry's `folded`, `access` and `sender` columns (external content:
  no second copy of the text), kept in step by triggers in the same transaction;
- PostgreSQL: `tsv` is a generated column (folded words, and the access and filter tokens prefixed
  with "=", which text never produces) with a GIN index.

Existing entries get their tokens from their stored title and segments; nothing else is needed.
"""

import json

from django.db import migrations, models

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(folded, access, sender, content='search_searchentry',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_searchentry BEGIN"
    " INSERT INTO search_fts(rowid, folded, access, sender) VALUES (new.id, new.folded, new.access, new.sender);"
    " END",
    "CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_searchentry BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, folded, access, sender)"
    " VALUES ('delete', old.id, old.folded, old.access, old.sender); END",
    "CREATE TRIGGER search_entry_fts_update AFTER UPDATE OF folded, access, sender ON search_searchentry BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, folded, access, sender)"
    " VALUES ('delete', old.id, old.folded, old.access, old.sender);"
    " INSERT INTO search_fts(rowid, folded, access, sender) VALUES (new.id, new.folded, new.access, new.sender);"
    " END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_CREATE = [
    "ALTER TABLE search_searchentry ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple'::regconfig, folded)"
    " || array_to_tsvector(string_to_array('=' || replace(access, ' ', ' ='), ' '))) STORED",
    # Kept in the row (compressed if need be) while the texts go to TOAST: a query reading the newest
    # rows and checking their tsv then reads one heap page per row instead of chasing TOAST chunks.
    "ALTER TABLE search_searchentry ALTER COLUMN tsv SET STORAGE MAIN",
    "CREATE INDEX search_entry_tsv ON search_searchentry USING gin (tsv)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_entry_tsv",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS tsv",
]


def fill_tokens(apps, schema_editor):
    from vanphong.core.searchable import secrecy_token
    from vanphong.search.index_tokens import _code, date_tokens, org_kind_token, status_token
    from vanphong.search.text import tokens

    entry_model = apps.get_model("search", "SearchEntry")
    batch = []
    for entry in entry_model.objects.all().iterator(chunk_size=1000):
        stored = json.loads(entry.body or "{}")
        text = " ".join([entry.title, *(segment["text"] for segment in stored.get("segments", []))])
        entry.folded, entry.exact = tokens(text)
        access = set(entry.access.split())
        access |= {secrecy_token(entry.secrecy), org_kind_token(entry.organisation_id, entry.kind)}
        if entry.doc_type:
            access.add(f"zzt{_code(entry.doc_type)}")  # type token of that time (0004 replaces it)
        if entry.status:
            access.add(status_token(entry.status))
        if entry.date:
            access.update(date_tokens(entry.date))
        entry.access = " ".join(sorted(access))
        batch.append(entry)
        if len(batch) >= 1000:
            entry_model.objects.bulk_update(batch, ["folded", "exact", "access"])
            batch = []
    entry_model.objects.bulk_update(batch, ["folded", "exact", "access"])


def to_entry_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        statements = [*POSTGRES_DROP, *POSTGRES_CREATE]
    else:
        statements = [*SQLITE_DROP, *SQLITE_CREATE]
    for statement in statements:
        schema_editor.execute(statement)


def to_separate_index(apps, schema_editor):
    """Back to 0002's empty structures; `vanphong search reindex` fills them again."""
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_DROP:
            schema_editor.execute(statement)
        schema_editor.execute("ALTER TABLE search_searchentry ADD COLUMN tsv tsvector")
        schema_editor.execute("CREATE INDEX search_entry_tsv ON search_searchentry USING gin (tsv)")
    else:
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "folded, exact, access, tokenize = 'unicode61 remove_diacritics 0')"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [
        migrations.AddField(
            model_name="searchentry", name="folded", field=models.TextField(blank=True, default="")
        ),
        migrations.AddField(
            model_name="searchentry", name="exact", field=models.TextField(blank=True, default="")
        ),
        migrations.RemoveIndex(model_name="searchentry", name="search_sear_organis_27762b_idx"),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.RunPython(to_entry_index, to_separate_index),
    ]
