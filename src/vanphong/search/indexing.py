"""Keeping the index in step with the data: an object's entry written or removed in the transaction that
changes it (signals), many at once (bulk_index, imports), and a full or partial reindex."""

from __future__ import annotations

import datetime
import heapq
import itertools
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from vanphong.core.searchable import KINDS, IndexData, Kind, secrecy_token
from vanphong.search.backends import backend
from vanphong.search.backends.base import ROWS_PER_STATEMENT
from vanphong.search.index_tokens import date_tokens, kind_token, org_token, scope_tokens, status_token
from vanphong.search.models import SearchEntry
from vanphong.search.ranking import RANK_CHARS
from vanphong.search.text import indexable, tokens

ENTRY_COLUMNS = (
    "organisation_id",
    "kind",
    "object_id",
    "secrecy",
    "doc_type",
    "date",
    "status",
    "sender",
    "title",
    "body",
    "folded",
    "exact",
    "access",
    "updated_at",
)


def _tokens(data: IndexData) -> tuple[str, str]:
    """The folded stream (matched, and ranked by its first RANK_CHARS characters) and the exact one,
    kept only as far as ranking reads it, cut between two words."""
    folded, exact = tokens(" ".join([data.title, *(segment.text for segment in data.segments)]))
    if len(exact) > RANK_CHARS:
        exact = exact[: RANK_CHARS + 1].rpartition(" ")[0]
    return indexable(folded), exact


def _access_tokens(kind: Kind, data: IndexData) -> str:
    """Every token indexed beside the text: kind, organisation, both in one (and narrowed by type and
    year), exactly one secrecy level, the kind's access tokens and the filter tokens (status, year,
    month and day)."""
    found = {
        kind_token(kind.name),
        org_token(data.organisation_id),
        *scope_tokens(data.organisation_id, kind.name, data.doc_type, data.date),
        secrecy_token(data.secrecy),
        *data.access,
    }
    if data.status:
        found.add(status_token(data.status))
    if data.date:
        found.update(date_tokens(data.date))
    return " ".join(sorted(found))


def entry_fields(kind: Kind, data: IndexData) -> dict[str, Any]:
    """The values of an entry's columns made from its object's data (all but its kind, key and time)."""
    folded, exact = _tokens(data)
    return {
        "organisation_id": data.organisation_id,
        "secrecy": data.secrecy,
        "doc_type": data.doc_type,
        "date": data.date,
        "status": data.status,
        "sender": tokens(data.sender)[0],
        "title": data.title,
        "body": _segments_json(data),
        "folded": folded,
        "exact": exact,
        "access": _access_tokens(kind, data),
    }


# An object to index: its kind's name, its key and its entry's data.
Item = tuple[str, int, IndexData]


def index_objects(kind: Kind, objects: Iterable[Any]) -> None:
    """Write (or remove) the entries of objects of one kind, inside the caller's transaction; the
    database updates the full-text index from the rows (trigger on SQLite, generated column on
    PostgreSQL)."""
    items: list[Item] = []
    gone: list[int] = []
    for obj in {obj.pk: obj for obj in objects}.values():
        data = kind.build(obj)
        if data is None:
            gone.append(obj.pk)
        else:
            items.append((kind.name, obj.pk, data))
    with transaction.atomic(savepoint=False):
        if gone:
            SearchEntry.objects.filter(kind=kind.name, object_id__in=gone).delete()
        bulk_index(items)


def _rows(items: list[Item], now: Any) -> list[list[Any]]:
    """The entry rows of `items`, columns in ENTRY_COLUMNS order. Touches no database: it also runs
    in the worker processes of bulk_index_stream."""
    ops = connection.ops
    rows = []
    for kind_name, object_id, data in items:
        fields = entry_fields(KINDS[kind_name], data)
        fields.update(
            kind=kind_name, object_id=object_id, updated_at=now, date=ops.adapt_datefield_value(data.date)
        )
        rows.append([fields[column] for column in ENTRY_COLUMNS])
    return rows


def _write(rows: list[list[Any]]) -> None:
    """Insert the entries of `rows`, or update those that exist (Backend.write)."""
    backend().write(ENTRY_COLUMNS, rows)


def _now() -> Any:
    return connection.ops.adapt_datetimefield_value(timezone.now())


def bulk_index(items: list[Item]) -> int:
    """Index many objects at once (imports, reindex), no model instances; existing entries are
    updated in place. An object must not appear twice."""
    if items:
        _write(_rows(items, _now()))
    return len(items)


def bulk_index_stream(batches: Iterable[list[Item]], workers: int | None = None) -> int:
    """bulk_index of every batch, the text of the next batches tokenised in worker processes while
    this one writes: the database takes one writer, and tokenising is most of the rest of the work.
    `workers` defaults to one per CPU (this process mostly waits for them: measured on two CPUs, two
    workers index faster than one); none (serial) with one CPU or where processes cannot be forked.
    Workers touch no database (_rows)."""
    cpus = os.cpu_count() or 1
    workers = (cpus if cpus > 1 else 0) if workers is None else workers
    if workers < 1 or "fork" not in multiprocessing.get_all_start_methods():
        return sum(bulk_index(batch) for batch in batches)
    now, count = _now(), 0
    pending: deque[tuple[int, Future[list[list[Any]]]]] = deque()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for batch in batches:
            if batch:
                pending.append((len(batch), pool.submit(_rows, batch, now)))
            while len(pending) > workers or (pending and pending[0][1].done()):
                size, rows = pending.popleft()
                _write(rows.result())
                count += size
        for size, rows in pending:
            _write(rows.result())
            count += size
    return count


def _segments_json(data: IndexData) -> str:
    segments = [
        {"label": s.label, "text": s.text, "url": s.url, "file": s.file, "page": s.page}
        for s in data.segments
    ]
    return json.dumps({"url": data.url, "segments": segments}, ensure_ascii=False)


def remove_object(kind: Kind, object_id: Any) -> None:
    SearchEntry.objects.filter(kind=kind.name, object_id=object_id).delete()


def _items(kind: Kind) -> Iterator[Item]:
    """The items of every object of a kind that has an entry, oldest first (Kind.objects)."""
    for obj in kind.objects().iterator(chunk_size=500):
        data = kind.build(obj)
        if data is not None:
            yield kind.name, obj.pk, data


def _batched(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def reindex(kind_names: list[str] | None = None, batch: int = 1000, workers: int | None = None) -> int:
    """Rebuild the entries of every object (or of some kinds). Returns the number indexed.

    Everything: the entries are written anew, all kinds merged oldest first, so that the newest-first
    order of entry ids is the order of dates, and the full-text index is built once at the end
    (backends.Backend.deferred). Some kinds: their entries are updated in place (keeping their ids)."""
    if kind_names:
        return sum(_reindex_kind(KINDS[name], batch, workers) for name in kind_names)
    engine = backend()
    with engine.deferred(), transaction.atomic():
        engine.delete_all()
        merged = heapq.merge(
            *(_items(kind) for kind in KINDS.values()), key=lambda item: item[2].date or datetime.date.min
        )
        return bulk_index_stream(_batched(merged, batch), workers)


def _reindex_kind(kind: Kind, batch: int, workers: int | None) -> int:
    """Update the entries of one kind in place, in one transaction; entries of vanished objects go."""
    seen: set[int] = set()

    def tracked() -> Iterator[Item]:
        for item in _items(kind):
            seen.add(item[1])
            yield item

    with transaction.atomic():
        existing = set(SearchEntry.objects.filter(kind=kind.name).values_list("object_id", flat=True))
        count = bulk_index_stream(_batched(tracked(), batch), workers)
        stale = sorted(existing - seen)
        for start in range(0, len(stale), ROWS_PER_STATEMENT):
            SearchEntry.objects.filter(
                kind=kind.name, object_id__in=stale[start : start + ROWS_PER_STATEMENT]
            ).delete()
    return count


def connect_signals() -> None:
    """Keep the index in step with the data, in the same transaction as the write: saves, deletes and
    bulk creations (core.signals.bulk_created, which services send after bulk_create)."""
    from vanphong.core.signals import bulk_created

    def changed(sender: type[models.Model], instances: list[Any]) -> None:
        for kind in KINDS.values():
            if sender is kind.model:
                index_objects(kind, instances)
            elif sender in kind.parents:
                parents = [kind.parents[sender](instance) for instance in instances]
                index_objects(kind, [parent for parent in parents if parent is not None])

    def saved(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
        if not kwargs.get("raw"):
            changed(sender, [instance])

    def created(sender: type[models.Model], instances: list[Any], **kwargs: Any) -> None:
        changed(sender, list(instances))

    def deleted(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
        for kind in KINDS.values():
            if sender is kind.model:
                remove_object(kind, instance.pk)
            elif sender in kind.parents:
                parent = kind.parents[sender](instance)
                if parent is not None and parent.pk is not None:
                    index_objects(kind, [parent])

    post_save.connect(saved, weak=False, dispatch_uid="vanphong-search-saved")
    bulk_created.connect(created, weak=False, dispatch_uid="vanphong-search-bulk-created")
    post_delete.connect(deleted, weak=False, dispatch_uid="vanphong-search-deleted")
