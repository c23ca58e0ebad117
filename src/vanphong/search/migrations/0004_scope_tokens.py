"""Filters by document type and year become narrowed organisation+kind tokens (index_tokens.filter_scope:
"loai:NQ nam:2024" is one short list instead of long ones ANDed), replacing the separate type token.

Existing entries get their new tokens from their own columns; the database follows (FTS5 trigger on
UPDATE OF access, generated tsv on PostgreSQL).
"""

from django.db import migrations

TYPE_PREFIX = "zzt"  # the type token of migration 0003, no longer used


def add_scope_tokens(apps, schema_editor):
    from vanphong.search.index_tokens import scope_tokens

    entry_model = apps.get_model("search", "SearchEntry")
    batch = []
    for entry in entry_model.objects.all().iterator(chunk_size=1000):
        access = {token for token in entry.access.split() if not token.startswith(TYPE_PREFIX)}
        access |= scope_tokens(entry.organisation_id, entry.kind, entry.doc_type, entry.date)
        entry.access = " ".join(sorted(access))
        batch.append(entry)
        if len(batch) >= 1000:
            entry_model.objects.bulk_update(batch, ["access"])
            batch = []
    entry_model.objects.bulk_update(batch, ["access"])


class Migration(migrations.Migration):
    dependencies = [("search", "0003_tokens_in_entries")]

    # Backwards: the old code finds nothing by type until `vanphong search reindex`.
    operations = [migrations.RunPython(add_scope_tokens, migrations.RunPython.noop)]
