"""SQLite: the FTS5 table `search_fts(folded, access, sender)` over the entry table (rowid = entry id),
kept in step by triggers."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction

from vanphong.core.searchable import ALL, Access
from vanphong.search.backends.base import ENTRY_TABLE, Backend, Selection, split
from vanphong.search.query import Term

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
        positive, negative = split(parts)
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

    year_sql = "substr(date, 1, 4)"

    def rank_texts(self, ids: list[int], prefix: int, exact: bool) -> list[tuple[int, bytes, bytes | None]]:
        columns = f"substr(CAST(folded AS BLOB), 1, {prefix}), " + (
            "CAST(exact AS BLOB)" if exact else "NULL"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, {columns} FROM {ENTRY_TABLE} WHERE id IN ({', '.join(['%s'] * len(ids))})", ids
            )
            rows: list[tuple[int, bytes, bytes | None]] = cursor.fetchall()
            return rows
