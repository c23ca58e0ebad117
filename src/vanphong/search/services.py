"""Index and query: keeping entries in step with the data, and searching within what a user may see."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.safestring import SafeString

from vanphong.core.access import Actor
from vanphong.core.models import Clearance
from vanphong.search.backends import backend
from vanphong.search.models import SearchEntry
from vanphong.search.query import Query, parse
from vanphong.search.registry import KINDS, Access, IndexData, Kind, kind_token, org_token, place_label
from vanphong.search.text import exact_words, folded_words, highlight


def _tokens(data: IndexData) -> tuple[str, str]:
    text = " ".join([data.title, *(segment.text for segment in data.segments)])
    return " ".join(folded_words(text)), " ".join(exact_words(text))


def _access_tokens(kind: Kind, data: IndexData) -> str:
    return " ".join([kind_token(kind.name), org_token(data.organisation_id), *sorted(set(data.access))])


def index_object(kind: Kind, obj: Any) -> SearchEntry | None:
    """Write (or remove) the entry of one object, inside the caller's transaction."""
    data = kind.build(obj)
    if data is None:
        remove_object(kind, obj.pk)
        return None
    folded, exact = _tokens(data)
    access = _access_tokens(kind, data)
    with transaction.atomic(savepoint=False):
        entry, _created = SearchEntry.objects.update_or_create(
            kind=kind.name,
            object_id=obj.pk,
            defaults={
                "organisation_id": data.organisation_id,
                "secrecy": data.secrecy,
                "doc_type": data.doc_type,
                "date": data.date,
                "status": data.status,
                "sender": " ".join(folded_words(data.sender)),
                "title": data.title,
                "body": _segments_json(data),
                "access": access,
            },
        )
        backend().upsert(entry.pk, folded, exact, access)
    return entry


def bulk_index(kind: Kind, items: list[tuple[int, IndexData]]) -> int:
    """Index many objects at once (reindex, imports, benchmarks): one statement per table per batch.

    `items` are (object id, data). Existing entries of these objects are replaced.
    """
    if not items:
        return 0
    ids = [object_id for object_id, _data in items]
    with transaction.atomic():
        old = list(SearchEntry.objects.filter(kind=kind.name, object_id__in=ids).values_list("pk", flat=True))
        if old:
            backend().delete(old)
            SearchEntry.objects.filter(pk__in=old).delete()
        entries = SearchEntry.objects.bulk_create(
            [
                SearchEntry(
                    organisation_id=data.organisation_id,
                    kind=kind.name,
                    object_id=object_id,
                    secrecy=data.secrecy,
                    doc_type=data.doc_type,
                    date=data.date,
                    status=data.status,
                    sender=" ".join(folded_words(data.sender)),
                    title=data.title,
                    body=_segments_json(data),
                    access=_access_tokens(kind, data),
                )
                for object_id, data in items
            ]
        )
        if any(entry.pk is None for entry in entries):  # databases that do not return ids
            by_object = dict(
                SearchEntry.objects.filter(kind=kind.name, object_id__in=ids).values_list("object_id", "pk")
            )
            for entry in entries:
                entry.pk = by_object[entry.object_id]
        rows = []
        for entry, (_object_id, data) in zip(entries, items, strict=True):
            folded, exact = _tokens(data)
            rows.append((entry.pk, folded, exact, entry.access))
        backend().bulk_upsert(rows)
    return len(items)


def _segments_json(data: IndexData) -> str:
    return json.dumps(
        {"url": data.url, "segments": [dataclasses.asdict(segment) for segment in data.segments]},
        ensure_ascii=False,
    )


def remove_object(kind: Kind, object_id: Any) -> None:
    ids = list(SearchEntry.objects.filter(kind=kind.name, object_id=object_id).values_list("pk", flat=True))
    if ids:
        backend().delete(ids)
        SearchEntry.objects.filter(pk__in=ids).delete()


def access_for(actor: Actor) -> Access | None:
    """The tokens the actor holds, over every searchable kind; None when they may see nothing."""
    if not actor.is_member or actor.organisation is None:
        return None
    parts: list[Access] = []
    for kind in KINDS.values():
        expression = kind.access(actor)
        if expression is not None:
            parts.append(("and", [kind_token(kind.name), expression]))
    if not parts:
        return None
    combined: Access = ("and", [org_token(actor.organisation.pk), ("or", parts)])
    return combined


@dataclass(frozen=True)
class Result:
    kind: str
    object_id: int
    title: str
    url: str
    snippet: SafeString
    place: str
    place_url: str
    date: Any
    secrecy: int
    score: float

    @property
    def secrecy_label(self) -> str:
        return str(Clearance(self.secrecy).label)


@dataclass(frozen=True)
class Results:
    query: Query
    total: int
    results: list[Result]
    page: int
    per_page: int

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _result(entry: SearchEntry, score: float, query: Query) -> Result:
    stored = json.loads(entry.body or "{}")
    words = query.words
    title, _found = highlight(entry.title, words, radius=40)
    snippet, place, place_url = SafeString(""), "", stored.get("url", "")
    for segment in stored.get("segments", []):
        text, found = highlight(segment["text"], words)
        if found:
            snippet, place, place_url = text, place_label(segment), segment["url"]
            break
    else:
        segments = stored.get("segments", [])
        if segments:
            snippet, _found = highlight(segments[0]["text"], words)
    return Result(
        kind=entry.kind,
        object_id=entry.object_id,
        title=title,
        url=stored.get("url", ""),
        snippet=snippet,
        place=place,
        place_url=place_url,
        date=entry.date,
        secrecy=entry.secrecy,
        score=score,
    )


def search(actor: Actor, text: str | Query, page: int = 1, per_page: int = 20) -> Results:
    """Search within what the actor may see; the access tokens are part of the full-text query,
    so the total, the pages and the snippets never include anything else."""
    query = parse(text) if isinstance(text, str) else text
    page = max(1, page)
    access = access_for(actor)
    if query.is_empty or access is None:
        return Results(query, 0, [], page, per_page)
    hits, total = backend().search(query, access, per_page, (page - 1) * per_page)
    entries = SearchEntry.objects.in_bulk([hit.entry_id for hit in hits])
    results = [_result(entries[hit.entry_id], hit.score, query) for hit in hits if hit.entry_id in entries]
    return Results(query, total, results, page, per_page)


def reindex(kind_names: list[str] | None = None, batch: int = 1000) -> int:
    """Rebuild the entries of every object (or of some kinds). Returns the number indexed."""
    count = 0
    for kind in KINDS.values():
        if kind_names and kind.name not in kind_names:
            continue
        with transaction.atomic():
            existing = set(SearchEntry.objects.filter(kind=kind.name).values_list("object_id", flat=True))
            seen: set[int] = set()
            items: list[tuple[int, IndexData]] = []
            for obj in kind.model._default_manager.all().iterator(chunk_size=batch):
                data = kind.build(obj)
                if data is not None:
                    items.append((obj.pk, data))
                if len(items) >= batch:
                    count += bulk_index(kind, items)
                    seen.update(object_id for object_id, _data in items)
                    items = []
            count += bulk_index(kind, items)
            seen.update(object_id for object_id, _data in items)
            for stale in existing - seen:
                remove_object(kind, stale)
    return count


@dataclass(frozen=True)
class CheckReport:
    entries: int
    missing: list[tuple[str, int]]
    stale: list[tuple[str, int]]
    orphans: list[tuple[str, int]]
    unindexed_entries: int
    size_bytes: int

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.orphans or self.unindexed_entries)


def check() -> CheckReport:
    """Compare the index with the data: objects missing from it, entries whose text or access is out
    of date, entries of objects that no longer exist."""
    missing: list[tuple[str, int]] = []
    stale: list[tuple[str, int]] = []
    orphans: list[tuple[str, int]] = []
    indexed = backend().indexed_ids()
    entries = 0
    for kind in KINDS.values():
        rows = {entry.object_id: entry for entry in SearchEntry.objects.filter(kind=kind.name)}
        entries += len(rows)
        objects = kind.model._default_manager.all()
        for obj in objects.iterator(chunk_size=500):
            data = kind.build(obj)
            entry = rows.pop(obj.pk, None)
            if data is None:
                if entry is not None:
                    stale.append((kind.name, obj.pk))
                continue
            if entry is None:
                missing.append((kind.name, obj.pk))
            elif (
                entry.title,
                entry.secrecy,
                entry.organisation_id,
                entry.status,
                entry.body,
                entry.access,
            ) != (
                data.title,
                data.secrecy,
                data.organisation_id,
                data.status,
                _segments_json(data),
                _access_tokens(kind, data),
            ):
                stale.append((kind.name, obj.pk))
        orphans.extend((kind.name, object_id) for object_id in rows)
    unindexed = SearchEntry.objects.exclude(pk__in=indexed).count() if indexed is not None else 0
    return CheckReport(entries, missing, stale, orphans, unindexed, backend().size_bytes())
