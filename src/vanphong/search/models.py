"""One row per searchable object. The full-text part lives beside it, per database engine:
an FTS5 table `search_fts` over this table's `folded`, `access` and `sender` columns (external
content, kept in step by triggers) on SQLite, a generated `tsv` tsvector column with a GIN index on
PostgreSQL (see migrations/0003 and backends/)."""

from __future__ import annotations

from django.db import models

from vanphong.core.models import Organisation


class SearchEntry(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    object_id = models.BigIntegerField()
    secrecy = models.PositiveSmallIntegerField(default=0)
    # Structured fields for filters and display (the text itself is in the full-text index).
    doc_type = models.CharField(max_length=20, blank=True)
    date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, blank=True)
    sender = models.CharField(max_length=255, blank=True)
    title = models.TextField()
    body = models.TextField(blank=True)
    # Tokens of the text: folded (matched) and exact (ranks exact-diacritic matches first).
    folded = models.TextField(blank=True, default="")
    exact = models.TextField(blank=True, default="")
    # The kind, organisation, access and filter tokens indexed beside the text (core.searchable,
    # search.index_tokens).
    access = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_object")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
