"""The full-text part of the index on each database: SQLite FTS5 and PostgreSQL tsvector + GIN.

Both index the same tokens made in Python (the folded words of the text, and the kind, organisation,
access and filter tokens of the entry) and receive the same query tree, so they match the same
entries. Neither ranks: both return the newest matches by entry id (an inverted index walks its
doclists in id order and stops at the LIMIT, so a word held by 80% of a million entries costs no
more than a rare one), and services.py ranks that window in Python, identically on both databases.

The index is derived from the entry row by the database (migrations/0003): FTS5 external content
kept in step by triggers on SQLite, a generated tsvector column with a GIN index on PostgreSQL. A
full reindex (`deferred`) stops that for its duration and builds the index once at the end: several
times faster than keeping it in step row by row.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

from vanphong.core.searchable import ALL, Access
from vanphong.search.query import Term

ENTRY_TABLE = "search_searchentry"
# PostgreSQL (PostgresBackend.select): entries checked in the first stretch from either end, and in the
# longest; the cost of checking one entry walking the key index against that of one match found through
# the GIN index (its heap row fetched, then sorted): about 1-2 and 2-5 µs, measured on 100,000 and on
# 1,000,000 entries.
FIRST_STRETCH, LAST_WALK = 500, 50_000
WALK_COST, GIN_COST = 1.0, 3.0
# As created by migrations/0003 (the same statements, "IF NOT EXISTS" to restore them).
_ADD_NEW = (
    "INSERT INTO search_fts(rowid, folded, access, sender)"
    " VALUES (new.id, new.folded, new.access, new.sender);"
)
_REMOVE_OLD = (
    "INSERT INTO search_fts(search_fts, rowid, folded, access, sender)"
    " VALUES ('delete', old.id, old.folded, old.access, old.sender);"
)
SQLITE_TRIGGERS = {
    name: f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {ENTRY_TABLE} BEGIN {body} END"
    for name, event, body in (
        ("search_entry_fts_insert", "INSERT", _ADD_NEW),
        ("search_entry_fts_delete", "DELETE", _REMOVE_OLD),
        ("search_entry_fts_update", "UPDATE OF folded, access, sender", f"{_REMOVE_OLD} {_ADD_NEW}"),
    )
}
# FTS5 keeps this many bytes of terms in memory before writing a segment: larger while rebuilding
# (fewer, larger segments to merge), the default otherwise.
REBUILD_HASH_BYTES, DEFAULT_HASH_BYTES = 256 * 1024 * 1024, 1024 * 1024
PG_INDEX = "CREATE INDEX IF NOT EXISTS search_entry_tsv ON search_searchentry USING gin (tsv)"


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


def _split(parts: list[Access]) -> tuple[list[Access], list[Access]]:
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


class SQLiteBackend(Backend):
    """FTS5 table `search_fts(folded, access, sender)` over the entry table; rowid = entry id."""

    @staticmethod
    def _phrase(column: str, words: tuple[str, ...] | list[str]) -> str:
        return f'{column} : "' + " ".join(words) + '"'

    def _access(self, expression: Access) -> str:
        if isinstance(expression, str):
            return self._phrase("access", [expression])
        operator, parts = expression
        if operator == "or":
            return "(" + " OR ".join(self._access(part) for part in parts) + ")"
        positive, negative = _split(parts)
        text = "(" + " AND ".join(self._access(part) for part in positive) + ")"
        if negative:
            text = f"({text} NOT (" + " OR ".join(self._access(part) for part in negative) + "))"
        return text

    def match(self, include: list[Term], exclude: list[Term], access: Access, sender: str = "") -> str:
        parts = [self._phrase("folded", term.folded) for term in include]
        if access != ALL:
            parts.append(self._access(access))
        if sender:
            parts.append(self._phrase("sender", sender.split()))
        expression = "(" + " AND ".join(parts) + ")"
        if exclude:
            expression += (
                " NOT (" + " OR ".join(self._phrase("folded", term.folded) for term in exclude) + ")"
            )
        return expression

    def select(
        self, selection: Selection, limit: int, below: int | None = None, oldest_first: bool = False
    ) -> list[int]:
        params: list[Any] = [self.match(*selection)]
        where = "search_fts MATCH %s"
        if below is not None:
            where += " AND rowid < %s"
            params.append(below)
        order = "ASC" if oldest_first else "DESC"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM search_fts WHERE {where} ORDER BY rowid {order} LIMIT %s",
                [*params, limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def problems(self) -> list[str]:
        """What keeps the FTS table from following the entries: a missing trigger, a damaged index."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [ENTRY_TABLE]
            )
            present = {row[0] for row in cursor.fetchall()}
            found = [f"missing trigger {name}" for name in SQLITE_TRIGGERS if name not in present]
            try:
                cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
            except Exception as error:  # SQLite reports a damaged index as an error
                found.append(f"full-text index differs from the entries ({error})")
        return found

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'search_fts%%'")
            return int(cursor.fetchone()[0])

    def suspend(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")

    def resume(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_fts(search_fts, rank) VALUES ('hashsize', %s)", [REBUILD_HASH_BYTES]
            )
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
            cursor.execute(
                "INSERT INTO search_fts(search_fts, rank) VALUES ('hashsize', %s)", [DEFAULT_HASH_BYTES]
            )
            for statement in SQLITE_TRIGGERS.values():
                cursor.execute(statement)


class PostgresBackend(Backend):
    """The generated `tsv` column: folded words as they are, access and filter tokens prefixed with "="
    (text never yields "="), so no weight labels are needed and the GIN index answers without
    re-reading rows (except to check the positions of a phrase)."""

    @staticmethod
    def _phrase(words: tuple[str, ...] | list[str]) -> str:
        return "(" + " <-> ".join(f"'{word}'" for word in words) + ")"

    def _access(self, expression: Access) -> str:
        if isinstance(expression, str):
            return f"'={expression}'"
        operator, parts = expression
        if operator == "or":
            return "(" + " | ".join(self._access(part) for part in parts) + ")"
        positive, negative = _split(parts)
        text = " & ".join(self._access(part) for part in positive)
        text += "".join(f" & !{self._access(part)}" for part in negative)
        return f"({text})"

    def text(self, include: list[Term], exclude: list[Term]) -> str:
        expression = " & ".join(self._phrase(term.folded) for term in include)
        expression += "".join(f" & !{self._phrase(term.folded)}" for term in exclude)
        return expression

    def _where(self, selection: Selection) -> tuple[str, list[Any]]:
        include, exclude, access, sender = selection
        params: list[Any] = [self.text(include, exclude)]
        condition = "to_tsquery('simple', %s)"
        if access != ALL:
            condition = f"({condition} && %s::tsquery)"
            params.append(self._access(access))
        where = f"e.tsv @@ {condition}"
        if sender:
            where += " AND (' ' || e.sender || ' ') LIKE %s"
            params.append(f"% {sender} %")
        return where, params

    def select(
        self, selection: Selection, limit: int, below: int | None = None, oldest_first: bool = False
    ) -> list[int]:
        """A GIN index finds matches in no order, so the newest (or oldest) ones are looked for in
        stretches of entries from that end, each checked through the key index; once the matches seen
        are so sparse that finishing the walk would cost more than asking the GIN index for all the
        remaining ones and sorting them, the GIN index is asked. Left to itself, the planner guesses
        how many entries match from word statistics, and a phrase or filter it over-guesses ("thẻ đảng
        viên": every word common, the phrase rare) had it check every row of the table."""
        where, params = self._where(selection)
        order = "" if oldest_first else " DESC"
        found: list[int] = []
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT min(id), max(id) FROM {ENTRY_TABLE}")
            low, high = cursor.fetchone()
            if low is None:
                return found
            # The ids not yet looked at: [low, high] (ids are given in sequence, so a stretch of ids is
            # about that many entries); each stretch is taken from the `oldest_first` end.
            if below is not None:
                high = min(high, below - 1)
            stretch, walked = FIRST_STRETCH, 0
            while low <= high:
                first, last = (
                    (low, min(high, low + stretch - 1))
                    if oldest_first
                    else (max(low, high - stretch + 1), high)
                )
                # Walked along the key index ("OFFSET 0": the planner cannot make it a bitmap of every
                # match of a common word, which the GIN index would be asked for again after it).
                cursor.execute(
                    f"SELECT e.id FROM (SELECT e.id, e.tsv, e.sender FROM {ENTRY_TABLE} e"
                    f" WHERE e.id BETWEEN %s AND %s ORDER BY e.id{order} OFFSET 0) e"
                    f" WHERE {where} ORDER BY e.id{order} LIMIT %s",
                    [first, last, *params, limit - len(found)],
                )
                found += [match for (match,) in cursor.fetchall()]
                walked += last - first + 1
                low, high = (last + 1, high) if oldest_first else (low, first - 1)
                wanted, rest = limit - len(found), high - low + 1
                if wanted <= 0 or rest <= 0:
                    return found
                density = len(found) / walked  # of all the entries checked so far
                walk = wanted / density if density else float("inf")  # entries to check to finish
                if min(walk, rest) * WALK_COST > density * rest * GIN_COST:
                    # "id + 0": sorted after the GIN lookup rather than walked along the key index.
                    cursor.execute(
                        f"SELECT e.id FROM {ENTRY_TABLE} e WHERE {where} AND e.id BETWEEN %s AND %s"
                        f" ORDER BY e.id + 0{order} LIMIT %s",
                        [*params, low, high, wanted],
                    )
                    return found + [match for (match,) in cursor.fetchall()]
                stretch = int(min(max(walk * 1.2, FIRST_STRETCH), LAST_WALK))
        return found

    def problems(self) -> list[str]:
        """The tsv column is generated from the row and cannot differ from it; its index can be missing."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'search_entry_tsv'")
            return [] if cursor.fetchone() else ["missing index search_entry_tsv"]

    def suspend(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS search_entry_tsv")

    def resume(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            # Deferred foreign-key checks of the rows just written are done now: PostgreSQL builds no
            # index on a table with checks pending in the transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(PG_INDEX)

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_total_relation_size('{ENTRY_TABLE}')")
            return int(cursor.fetchone()[0])


def backend() -> Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
