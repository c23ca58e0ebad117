"""Token streams as the index keeps them now (services._tokens): the exact stream only as far as ranking
reads it (RANK_CHARS, cut between two words), the folded one as both databases can index it
(text.indexable: no overlong words, no more than a PostgreSQL tsvector holds).

Only entries that differ are rewritten, found by a filter both databases answer; the full-text index
follows (FTS5 trigger on UPDATE OF folded, generated tsv on PostgreSQL).
"""

from django.db import migrations
from django.db.models import Q
from django.db.models.functions import Length

RANK_CHARS = 4096  # services.RANK_CHARS when this migration was written


def bound_streams(apps, schema_editor):
    from vanphong.search.text import MAX_WORD, TSVECTOR_BYTES, indexable

    entry_model = apps.get_model("search", "SearchEntry")
    rows = entry_model.objects.annotate(exact_length=Length("exact"), folded_length=Length("folded")).filter(
        Q(exact_length__gt=RANK_CHARS)
        | Q(folded_length__gt=TSVECTOR_BYTES // 5)  # at most 4 bytes a character, and the positions
        | Q(folded__regex=rf"[^ ]{{{MAX_WORD + 1}}}")
    )
    batch = []
    for entry in rows.only("id", "folded", "exact").iterator(chunk_size=200):
        if len(entry.exact) > RANK_CHARS:
            entry.exact = entry.exact[: RANK_CHARS + 1].rpartition(" ")[0]
        entry.folded = indexable(entry.folded)
        batch.append(entry)
        if len(batch) >= 200:
            entry_model.objects.bulk_update(batch, ["folded", "exact"])
            batch = []
    entry_model.objects.bulk_update(batch, ["folded", "exact"])


class Migration(migrations.Migration):
    dependencies = [("search", "0004_scope_tokens")]

    # Backwards: the old code reads shorter streams as they are.
    operations = [migrations.RunPython(bound_streams, migrations.RunPython.noop)]
