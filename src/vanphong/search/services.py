"""Index and query: keeping entries in step with the data, and searching within what a user may see."""

from __future__ import annotations

import datetime
import heapq
import itertools
import json
import math
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import psycopg
from django.db import connection, transaction
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from vanphong.core.access import Actor
from vanphong.core.models import Clearance
from vanphong.core.searchable import ALL, KINDS, Access, IndexData, Kind, kind_label, secrecy_token
from vanphong.search.backends import ENTRY_TABLE, Selection, backend, simplify
from vanphong.search.index_tokens import (
    date_cover,
    date_tokens,
    filter_scope,
    kind_token,
    org_kind_token,
    org_token,
    scope_tokens,
    status_token,
)
from vanphong.search.models import SearchEntry
from vanphong.search.query import SECRECY_KEYWORDS, Filters, Query, QueryError, Term, parse
from vanphong.search.registry import place_label
from vanphong.search.text import folded_words, highlight, indexable, tokens

# The newest WINDOW matches are counted (beyond, the total is estimated) and the newest RANKED of them
# ranked (BM25 in Python, exact-diacritic matches weighted EXACT_WEIGHT times); the others follow
# newest first.
WINDOW = 1000
RANKED = 500
RELEVANCE, NEWEST = "relevance", "newest"
ORDERS = (RELEVANCE, NEWEST)
INSERT_ROWS = 500  # rows per INSERT statement in bulk_index
PROBE = 200  # matches sampled to estimate how many entries hold a word (its IDF)
K1, B, EXACT_WEIGHT = 1.2, 0.75, 3.0
# What ranking reads of an entry's token streams: characters of the exact one, bytes of the folded one
# (the same for Vietnamese, which folds to ASCII): the title, the summary and about a page and a half.
RANK_CHARS = 4096
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


def _fields(kind: Kind, data: IndexData) -> dict[str, Any]:
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
        fields = _fields(KINDS[kind_name], data)
        fields.update(
            kind=kind_name, object_id=object_id, updated_at=now, date=ops.adapt_datefield_value(data.date)
        )
        rows.append([fields[column] for column in ENTRY_COLUMNS])
    return rows


_UPDATED = ", ".join(f"{c} = excluded.{c}" for c in ENTRY_COLUMNS if c not in ("kind", "object_id"))


def _write(rows: list[list[Any]]) -> None:
    """Insert the entries of `rows`, or update those that exist: an entry keeps its id, and with it
    its place in the newest-first order (backends.py), when its object changes."""
    columns = ", ".join(ENTRY_COLUMNS)
    row_sql = "(" + ", ".join(["%s"] * len(ENTRY_COLUMNS)) + ")"
    with transaction.atomic(), connection.cursor() as cursor:
        # Many rows per statement: SQLite's FTS5 writes its pending terms at every statement that fires
        # the trigger, so one row per statement would write a segment per row.
        for start in range(0, len(rows), INSERT_ROWS):
            part = rows[start : start + INSERT_ROWS]
            cursor.execute(
                f"INSERT INTO {ENTRY_TABLE} ({columns}) VALUES {', '.join([row_sql] * len(part))}"
                f" ON CONFLICT (kind, object_id) DO UPDATE SET {_UPDATED}",
                [value for row in part for value in row],
            )


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


def access_for(actor: Actor) -> Access | None:
    """The tokens the actor holds, over every searchable kind; None when they may see nothing.
    Kinds with the same access rule share one branch: (org+incoming OR org+outgoing) AND rule."""
    if not actor.is_member or actor.organisation is None:
        return None
    by_rule: dict[str, tuple[Access, list[Access]]] = {}
    for kind in KINDS.values():
        expression = kind.access(actor)
        if expression is not None:
            scope = org_kind_token(actor.organisation.pk, kind.name)
            by_rule.setdefault(repr(expression), (expression, []))[1].append(scope)
    if not by_rule:
        return None
    parts: list[Access] = []
    for expression, kinds in by_rule.values():
        parts.append(("and", [("or", kinds), expression]))
    combined: Access = ("or", parts)
    return combined


def _scope_filter(filters: Filters) -> tuple[str, int | None]:
    """The type and year that narrow the organisation+kind tokens (index_tokens.filter_scope); a year
    given with a date range is left to the date tokens."""
    return filters.doc_type, (filters.year if not (filters.date_from or filters.date_to) else None)


def _narrow(expression: Access, scopes: set[str], doc_type: str, year: int | None) -> Access:
    """`expression` with its organisation+kind tokens narrowed to `doc_type` and `year`."""
    if isinstance(expression, str):
        return filter_scope(expression, doc_type, year) if expression in scopes else expression
    operator, parts = expression
    return (operator, [_narrow(part, scopes, doc_type, year) for part in parts])


def filter_access(filters: Filters) -> Access | None:
    """The structured filters as index tokens, except the type and year that narrow the scope
    tokens of the access expression (find); None when they exclude everything (an empty range)."""
    parts: list[Access] = []
    scope_year = _scope_filter(filters)[1]
    if filters.kind:
        parts.append(kind_token(filters.kind))
    if filters.status:
        parts.append(status_token(filters.status))
    if filters.secrecy is not None:
        parts.append(secrecy_token(filters.secrecy))
    if (filters.year and not scope_year) or filters.date_from or filters.date_to:
        low, high = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
        if filters.year:
            low, high = datetime.date(filters.year, 1, 1), datetime.date(filters.year, 12, 31)
        low = max(low, filters.date_from or low)
        high = min(high, filters.date_to or high)
        if low > high:
            return None
        parts.append(("or", list(date_cover(low, high))))
    return ("and", parts) if parts else ALL


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

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


@dataclass(frozen=True)
class Results:
    query: Query
    total: int
    results: list[Result]
    page: int
    per_page: int
    # More than WINDOW matches: `total` is an estimate (shown as "about N"), rounded to two digits.
    estimated: bool = False
    facets: list[Facet] = field(default_factory=list)

    @property
    def ranked(self) -> int:
        return RANKED

    @property
    def counted(self) -> int:
        return WINDOW

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


# What a result shows, read straight from the entry table (no model instances: a page is one query).
RESULT_COLUMNS = "id, kind, object_id, title, body, date, secrecy"


def _result(row: tuple[Any, ...], score: float, query: Query) -> Result:
    _id, kind, object_id, title, body, date, secrecy = row
    stored = json.loads(body or "{}")
    words = query.words
    title, _found = highlight(title, words, radius=40)
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
        kind=kind,
        object_id=object_id,
        title=title,
        url=stored.get("url", ""),
        snippet=snippet,
        place=place,
        place_url=place_url,
        date=date,
        secrecy=secrecy,
        score=score,
    )


def _id_span() -> tuple[int, int]:
    with connection.cursor() as cursor:
        # Two subqueries: SQLite reads min() or max() of the key from the index only when alone.
        cursor.execute(f"SELECT (SELECT min(id) FROM {ENTRY_TABLE}), (SELECT max(id) FROM {ENTRY_TABLE})")
        low, high = cursor.fetchone()
    return low or 0, high or 0


def _round(value: float) -> int:
    digits = len(str(int(value)))
    return int(round(value, 2 - digits)) if digits > 2 else int(value)


def _estimate(found: int, oldest: int, span: tuple[int, int]) -> int:
    """How many ids of `span` (first, last) match, from the density of the `found` matches between
    `oldest` and the last id."""
    first, last = span
    return _round(found + found / (last - oldest + 1) * (oldest - first))


def _idf(term: Term, span: tuple[int, int]) -> float:
    """BM25's IDF of a word or phrase over all entries; the count of entries holding it is estimated
    from its newest PROBE matches (an inverted index cannot count a common word quickly)."""
    found = backend().newest(([term], [], ALL, ""), PROBE)
    low, high = span
    size = high - low + 1
    holding = len(found) if len(found) < PROBE else min(size, _estimate(len(found), found[-1], span))
    return math.log(1 + (size - holding + 0.5) / (holding + 0.5))


def _rank_texts(ids: list[int], exact: bool) -> list[tuple[int, bytes, bytes | None]]:
    """(id, the folded stream's first RANK_CHARS + 1 bytes, the exact stream or None) of the entries."""
    if connection.vendor == "postgresql":
        # textsend: the text's bytes as stored, without a conversion; bytea comes back in binary (no hex),
        # which needs a cursor binding parameters on the server (Django's bind them in the client).
        columns = f"substring(textsend(folded) from 1 for {RANK_CHARS + 1}), " + (
            "textsend(exact)" if exact else "NULL::bytea"
        )
        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(f"SELECT id, {columns} FROM {ENTRY_TABLE} WHERE id = ANY(%s)", [ids], binary=True)
            return cursor.fetchall()
    columns = f"substr(CAST(folded AS BLOB), 1, {RANK_CHARS + 1}), " + (
        "CAST(exact AS BLOB)" if exact else "NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {columns} FROM {ENTRY_TABLE} WHERE id IN ({', '.join(['%s'] * len(ids))})", ids
        )
        return cursor.fetchall()


def rank(query: Query, ids: list[int], span: tuple[int, int]) -> list[tuple[int, float]]:
    """`ids` best first (then newest first), with their scores.

    BM25 over word and phrase frequencies in the folded text, each weighted by its IDF, plus the same
    over the exact text, EXACT_WEIGHT times, for the words typed with diacritics. Lengths in bytes.
    Only the first RANK_CHARS of a text count (the title, the summary and the first pages of its files),
    so a ranking costs the same however long the matching texts are."""
    if not ids:
        return []
    terms = query.include
    # The texts as UTF-8 bytes: counting in bytes gives the same counts, and decoding Vietnamese text
    # into Python strings would cost more than all the rest of the ranking. The folded prefix is read one
    # byte longer: longer than RANK_CHARS, it may end inside a word, which is then left out.
    rows = [
        (entry_id, folded if len(folded) <= RANK_CHARS else folded.rpartition(b" ")[0], exact)
        for entry_id, folded, exact in _rank_texts(ids, query.wants_exact)
    ]
    idfs = [_idf(term, span) for term in terms] if len(terms) > 1 else [1.0]
    # (column, b" phrase ", weight): the folded phrase of every term, the exact one of those with diacritics.
    specs = [
        (1, f" {' '.join(term.folded)} ".encode(), idf * (K1 + 1))
        for term, idf in zip(terms, idfs, strict=True)
    ]
    specs += [
        (2, f" {' '.join(term.exact)} ".encode(), idf * (K1 + 1) * EXACT_WEIGHT)
        for term, idf in zip(terms, idfs, strict=True)
        if query.wants_exact and term.diacritics
    ]
    average = sum(len(row[1]) for row in rows) / len(rows) or 1
    slope, base = K1 * B / average, K1 * (1 - B)
    scored = []
    for row in rows:
        norm = base + slope * len(row[1])
        padded = (b"", b" %s " % row[1], b" %s " % (row[2] or b""))
        score = 0.0
        for column, phrase, weight in specs:
            frequency = padded[column].count(phrase)
            if frequency:
                score += weight * frequency / (frequency + norm)
        scored.append((row[0], round(score, 6)))
    scored.sort(key=lambda pair: (-pair[1], -pair[0]))
    return scored


@dataclass(frozen=True)
class Found:
    hits: list[tuple[int, float]]  # (entry id, score) of the page
    total: int
    estimated: bool
    window: list[int]  # ids of the newest WINDOW matches, newest first


def find(actor: Actor, query: Query, page: int, per_page: int, order: str = RELEVANCE) -> Found:
    """The entry ids of one page of results and the total, within what the actor may see.

    Order: by relevance, the newest RANKED matches by score, then older matches newest first; newest
    first (ORDERS). Every page is one slice of one order. Up to WINDOW matches the total is exact,
    beyond it estimated."""
    if order not in ORDERS:
        raise QueryError(_("Unknown order “%(value)s”.") % {"value": order})
    access = access_for(actor)
    doc_type, year = _scope_filter(query.filters)
    if access is not None and (doc_type or year):
        assert actor.organisation is not None  # access_for gives None otherwise
        scopes = {org_kind_token(actor.organisation.pk, name) for name in KINDS}
        access = _narrow(access, scopes, doc_type, year)
    filters = filter_access(query.filters)
    combined = simplify(("and", [access, filters])) if access is not None and filters is not None else None
    if query.is_empty or combined is None:
        return Found([], 0, False, [])
    sender = " ".join(folded_words(query.filters.sender))
    selection: Selection = (query.include, query.exclude, combined, sender)
    engine = backend()
    window = engine.newest(selection, WINDOW)
    if order == NEWEST:
        ordered = [(entry_id, 0.0) for entry_id in window]
    else:
        ranked = rank(query, window[:RANKED], _id_span())
        ordered = ranked + [(entry_id, 0.0) for entry_id in window[RANKED:]]
    offset = (page - 1) * per_page
    hits = ordered[offset : offset + per_page]
    if len(window) == WINDOW and offset + per_page > WINDOW:
        skip = max(0, offset - WINDOW)
        older = engine.newest(selection, per_page - len(hits), below=window[-1], offset=skip)
        hits += [(entry_id, 0.0) for entry_id in older]
    if len(window) < WINDOW:
        return Found(hits, len(window), False, window)
    # Matches lie between the oldest one and the newest: a filter on dates keeps them in one stretch.
    first = engine.oldest(selection) or window[-1]
    return Found(hits, _estimate(len(window), window[-1], (first, window[0])), True, window)


@dataclass(frozen=True)
class FacetValue:
    value: str  # as written after the filter's name in a query: "NQ", "2026", "incoming", "mat"
    label: str
    count: int | None  # None when the total is estimated (the values are those of the newest matches)
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str  # the filter (query.FILTER_NAMES): kind, type, year, secrecy
    label: str
    values: list[FacetValue]


def facets(query: Query, found: Found) -> list[Facet]:
    """How the matches divide by kind, document type, year and secrecy: counted over all matches when
    the total is exact, else the values of the newest WINDOW matches without counts. Made only from
    matches the user may see (found.window), so they reveal nothing else. A facet with one value
    (every match has it) is left out unless it is the filter chosen."""
    if not found.window:
        return []
    year = "to_char(date, 'YYYY')" if connection.vendor == "postgresql" else "substr(date, 1, 4)"
    counted: dict[str, Counter[Any]] = {name: Counter() for name in ("kind", "type", "year", "secrecy")}
    typed_kinds = set()
    with connection.cursor() as cursor:
        for start in range(0, len(found.window), INSERT_ROWS):
            part = found.window[start : start + INSERT_ROWS]
            cursor.execute(
                f"SELECT kind, doc_type, {year}, secrecy, count(*) FROM {ENTRY_TABLE}"
                f" WHERE id IN ({', '.join(['%s'] * len(part))}) GROUP BY kind, doc_type, {year}, secrecy",
                part,
            )
            for kind, doc_type, year_value, secrecy, count in cursor.fetchall():
                counted["kind"][kind] += count
                counted["secrecy"][secrecy] += count
                if doc_type:
                    counted["type"][doc_type] += count
                    typed_kinds.add(kind)
                if year_value:
                    counted["year"][year_value] += count
    names: dict[str, tuple[str, str]] = {}  # folded symbol: (symbol, name)
    for loader in {KINDS[kind].type_labels for kind in typed_kinds if kind in KINDS}:
        if loader is not None:  # kinds sharing one table of types share one loader: read once
            names.update(loader())
    chosen = query.filters
    # (filter name, label, [(value, label, count, selected)], sort key)
    made: list[tuple[str, str, list[tuple[str, str, int, bool]], Callable[[Any], Any]]] = [
        (
            "kind",
            _("Kind"),
            [(k, kind_label(k), n, k == chosen.kind) for k, n in counted["kind"].items()],
            lambda value: (-value[2], value[1]),
        ),
        (
            "type",
            _("Document type"),
            [
                (*names.get(t, (t.upper(), t.upper())), n, t == chosen.doc_type)
                for t, n in counted["type"].items()
            ],
            lambda value: (-value[2], value[1]),
        ),
        (
            "year",
            _("Year"),
            [(y, y, n, y == str(chosen.year)) for y, n in counted["year"].items()],
            lambda value: -int(value[0]),
        ),
        (
            "secrecy",
            _("Secrecy"),
            [
                (SECRECY_KEYWORDS[level], str(Clearance(level).label), n, level == chosen.secrecy)
                for level, n in counted["secrecy"].items()
            ],
            lambda value: SECRECY_KEYWORDS.index(value[0]),
        ),
    ]
    return [
        Facet(
            name,
            label,
            [
                FacetValue(value, text, None if found.estimated else count, selected)
                for value, text, count, selected in sorted(values, key=order)
            ],
        )
        for name, label, values, order in made
        if len(values) > 1 or any(selected for *_rest, selected in values)
    ]


def search(
    actor: Actor,
    text: str | Query,
    page: int = 1,
    per_page: int = 20,
    order: str = RELEVANCE,
    with_facets: bool = True,
) -> Results:
    """Search within what the actor may see; the access tokens are part of the full-text query,
    so the total, the pages, the snippets and the facets never include anything else."""
    query = parse(text) if isinstance(text, str) else text
    page = max(1, page)
    found = find(actor, query, page, per_page, order)
    rows: dict[int, tuple[Any, ...]] = {}
    if found.hits:
        with connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(found.hits))
            cursor.execute(
                f"SELECT {RESULT_COLUMNS} FROM {ENTRY_TABLE} WHERE id IN ({marks})",
                [entry_id for entry_id, _score in found.hits],
            )
            rows = {row[0]: row for row in cursor.fetchall()}
    results = [_result(rows[entry_id], score, query) for entry_id, score in found.hits if entry_id in rows]
    return Results(
        query,
        found.total,
        results,
        page,
        per_page,
        found.estimated,
        facets(query, found) if with_facets else [],
    )


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
    with backend().deferred(), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {ENTRY_TABLE}")
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
        for start in range(0, len(stale), INSERT_ROWS):
            SearchEntry.objects.filter(
                kind=kind.name, object_id__in=stale[start : start + INSERT_ROWS]
            ).delete()
    return count


@dataclass(frozen=True)
class CheckReport:
    entries: int
    missing: list[tuple[str, int]]
    stale: list[tuple[str, int]]
    orphans: list[tuple[str, int]]
    problems: list[str]  # the full-text index itself (backends.py)
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
            elif any(getattr(entry, name) != value for name, value in _fields(kind, data).items()):
                stale.append((kind.name, obj.pk))
        orphans.extend((kind.name, object_id) for object_id in rows)
    engine = backend()
    return CheckReport(entries, missing, stale, orphans, engine.problems(), engine.size_bytes())
