"""The full-text part of the index: what both databases answer, and the SQL they share.

Both backends (sqlite.py: FTS5; postgresql.py: tsvector + GIN) index the same tokens made in Python
(the folded words of the text, and the kind, organisation, access and filter tokens of the entry) and
receive the same query tree, so they match the same entries. Neither ranks: both return the newest
matches by entry id (an inverted index walks its doclists in id order and stops at the LIMIT, so a word
held by 80% of a million entries costs no more than a rare one), and search.ranking ranks that window
in Python, identically on both databases. Every statement the search app sends is here or in the two
backends.

The index is derived from the entry row by the database (migrations/0003): FTS5 external content
kept in step by triggers on SQLite, a generated tsvector column with a GIN index on PostgreSQL. A
full reindex (`deferred`) stops that for its duration and builds the index once at the end: several
times faster than keeping it in step row by row.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

from vanphong.core.searchable import ALL, Access
from vanphong.search.query import Term

ENTRY_TABLE = "search_searchentry"
ROWS_PER_STATEMENT = 500  # rows per INSERT, ids per IN (...)
# What a result shows, read straight from the entry table (no model instances: a page is one query).
RESULT_COLUMNS = "id, kind, object_id, title, body, date, secrecy"


def simplify(expression: Access) -> Access | None:
    """The same expression with nested "and"/"or" flattened, ALL folded away; None: matches nothing."""
    if isinstance(expression, str):
        return expression
    operator, parts = expression
    if operator == "not":
        inner = simplify(parts[0])
        if inner is None:
            return ALL
        return None if inner == ALL else ("not", [inner])
    items = [simplify(part) for part in parts]
    flat: list[Access] = []
    if operator == "and":
        if any(item is None for item in items):
            return None
        for item in items:
            assert item is not None
            if isinstance(item, tuple) and item[0] == "and":
                flat.extend(item[1])
            else:
                flat.append(item)
        if len(flat) == 1 and not (isinstance(flat[0], tuple) and flat[0][0] == "not"):
            return flat[0]
        return ("and", flat)
    present = [item for item in items if item is not None]
    if not present:
        return None
    if ALL in present:
        return ALL
    for item in present:
        if isinstance(item, tuple) and item[0] == "or":
            flat.extend(item[1])
        else:
            flat.append(item)
    return flat[0] if len(flat) == 1 else ("or", flat)


def split(parts: list[Access]) -> tuple[list[Access], list[Access]]:
    positive = [part for part in parts if not (isinstance(part, tuple) and part[0] == "not")]
    negative = [part[1][0] for part in parts if isinstance(part, tuple) and part[0] == "not"]
    if negative and not positive:
        raise ValueError(
            "An access expression excludes without including anything: put the 'not' in an 'and'."
        )
    return positive, negative


# What a query selects: words and phrases to include, to exclude, the access and filter expression,
# and the sender's words (a phrase in the sender field).
Selection = tuple[list[Term], list[Term], Access, str]


class Backend(ABC):
    @abstractmethod
    def select(
        self, selection: Selection, limit: int, below: int | None = None, oldest_first: bool = False
    ) -> list[int]:
        """Ids of the newest `limit` matches, newest first, below the id `below` if given;
        `oldest_first`: the oldest, oldest first."""

    @abstractmethod
    def problems(self) -> list[str]:
        """What could make the full-text index differ from the entries."""

    @abstractmethod
    def size_bytes(self) -> int:
        """Size of the full-text index."""

    def newest(
        self, selection: Selection, limit: int, below: int | None = None, offset: int = 0
    ) -> list[int]:
        """Ids of the newest `limit` matches after the first `offset`, all below `below` if given."""
        return self.select(selection, limit + offset, below)[offset:]

    def oldest(self, selection: Selection) -> int | None:
        """Id of the oldest match (an index walks its lists from either end)."""
        found = self.select(selection, 1, oldest_first=True)
        return found[0] if found else None

    @abstractmethod
    def suspend(self) -> None:
        """Stop keeping the full-text index in step with the entries (bulk writes follow)."""

    @abstractmethod
    def resume(self) -> None:
        """Build the full-text index from all entries and keep it in step again, in one transaction."""

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Bulk writes with the full-text index built once, at the end. Until then searches may miss
        or show stale entries; if the process dies meanwhile, `search check` reports it and a
        reindex repairs it."""
        self.suspend()
        try:
            yield
        finally:
            self.resume()

    # The statements both databases share.

    def write(self, columns: Sequence[str], rows: list[list[Any]]) -> None:
        """Insert the entries of `rows` (values in `columns` order), or update those that exist: an entry
        keeps its id, and with it its place in the newest-first order, when its object changes."""
        names = ", ".join(columns)
        updated = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in ("kind", "object_id"))
        row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
        with transaction.atomic(), connection.cursor() as cursor:
            # Many rows per statement: SQLite's FTS5 writes its pending terms at every statement that fires
            # the trigger, so one row per statement would write a segment per row.
            for start in range(0, len(rows), ROWS_PER_STATEMENT):
                part = rows[start : start + ROWS_PER_STATEMENT]
                cursor.execute(
                    f"INSERT INTO {ENTRY_TABLE} ({names}) VALUES {', '.join([row_sql] * len(part))}"
                    f" ON CONFLICT (kind, object_id) DO UPDATE SET {updated}",
                    [value for row in part for value in row],
                )

    def delete_all(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {ENTRY_TABLE}")

    def id_span(self) -> tuple[int, int]:
        """The first and the last entry id (0, 0 without entries)."""
        with connection.cursor() as cursor:
            # Two subqueries: SQLite reads min() or max() of the key from the index only when alone.
            cursor.execute(f"SELECT (SELECT min(id) FROM {ENTRY_TABLE}), (SELECT max(id) FROM {ENTRY_TABLE})")
            low, high = cursor.fetchone()
        return low or 0, high or 0

    def result_rows(self, ids: list[int]) -> dict[int, tuple[Any, ...]]:
        """The RESULT_COLUMNS of the entries, by id."""
        with connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(f"SELECT {RESULT_COLUMNS} FROM {ENTRY_TABLE} WHERE id IN ({marks})", ids)
            return {row[0]: row for row in cursor.fetchall()}

    # The year of an entry's date as text ("2026"), in this database's SQL.
    year_sql: str

    def facet_rows(self, ids: list[int]) -> Iterator[tuple[str, str, str | None, int, int]]:
        """(kind, doc_type, year, secrecy, count) of the entries, a statement per ROWS_PER_STATEMENT."""
        year = self.year_sql
        with connection.cursor() as cursor:
            for start in range(0, len(ids), ROWS_PER_STATEMENT):
                part = ids[start : start + ROWS_PER_STATEMENT]
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(
                    f"SELECT kind, doc_type, {year}, secrecy, count(*) FROM {ENTRY_TABLE}"
                    f" WHERE id IN ({marks}) GROUP BY kind, doc_type, {year}, secrecy",
                    part,
                )
                yield from cursor.fetchall()

    @abstractmethod
    def rank_texts(self, ids: list[int], prefix: int, exact: bool) -> list[tuple[int, bytes, bytes | None]]:
        """(id, the first `prefix` bytes of the folded stream, the exact stream or None) of the entries."""
