"""`vanphong search check`: the index compared with the data."""

from __future__ import annotations

from dataclasses import dataclass

from vanphong.core.searchable import KINDS
from vanphong.search.backends import backend
from vanphong.search.indexing import entry_fields
from vanphong.search.models import SearchEntry


@dataclass(frozen=True)
class CheckReport:
    entries: int
    missing: list[tuple[str, int]]
    stale: list[tuple[str, int]]
    orphans: list[tuple[str, int]]
    problems: list[str]  # the full-text index itself (Backend.problems)
    size_bytes: int

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.orphans or self.problems)


def check() -> CheckReport:
    """Compare the index with the data: objects missing from it, entries whose text, fields or tokens
    are out of date, entries of objects that no longer exist, and the full-text index itself."""
    missing: list[tuple[str, int]] = []
    stale: list[tuple[str, int]] = []
    orphans: list[tuple[str, int]] = []
    entries = 0
    for kind in KINDS.values():
        rows = {entry.object_id: entry for entry in SearchEntry.objects.filter(kind=kind.name)}
        entries += len(rows)
        for obj in kind.objects().iterator(chunk_size=500):
            data = kind.build(obj)
            entry = rows.pop(obj.pk, None)
            if data is None:
                if entry is not None:
                    stale.append((kind.name, obj.pk))
                continue
            if entry is None:
                missing.append((kind.name, obj.pk))
            elif any(getattr(entry, name) != value for name, value in entry_fields(kind, data).items()):
                stale.append((kind.name, obj.pk))
        orphans.extend((kind.name, object_id) for object_id in rows)
    engine = backend()
    return CheckReport(entries, missing, stale, orphans, engine.problems(), engine.size_bytes())
