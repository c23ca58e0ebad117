"""The full-text index on each database: SQLite FTS5 and PostgreSQL tsvector + GIN.

Both receive the same three token streams made in Python (folded words, exact words, access
tokens) and the same query tree, so they match the same entries. Ranking: BM25 on SQLite, ts_rank
on PostgreSQL, each weighting exact-diacritic matches above folded ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection

from vanphong.search.query import Filters, Query, Term
from vanphong.search.registry import Access

ENTRY_TABLE = "search_searchentry"


@dataclass(frozen=True)
class Hit:
    entry_id: int
    score: float


def _structured(filters: Filters, params: list[Any], alias: str = "e") -> str:
    clauses = []
    if filters.kind:
        clauses.append(f"{alias}.kind = %s")
        params.append(filters.kind)
    if filters.doc_type:
        clauses.append(f"{alias}.doc_type = %s")
        params.append(filters.doc_type)
    if filters.year:
        clauses.append(f"{alias}.date >= %s AND {alias}.date <= %s")
        params.extend([f"{filters.year}-01-01", f"{filters.year}-12-31"])
    if filters.date_from:
        clauses.append(f"{alias}.date >= %s")
        params.append(filters.date_from.isoformat())
    if filters.date_to:
        clauses.append(f"{alias}.date <= %s")
        params.append(filters.date_to.isoformat())
    if filters.sender:
        clauses.append(f"{alias}.sender LIKE %s")
        params.append(f"%{filters.sender}%")
    if filters.secrecy is not None:
        clauses.append(f"{alias}.secrecy = %s")
        params.append(filters.secrecy)
    if filters.status:
        clauses.append(f"{alias}.status = %s")
        params.append(filters.status)
    return "".join(f" AND {clause}" for clause in clauses)


class SQLiteBackend:
    """FTS5 table `search_fts(folded, exact, access)` whose rowid is the entry id."""

    @staticmethod
    def _phrase(words: tuple[str, ...] | list[str]) -> str:
        return '"' + " ".join(words) + '"'

    def _access(self, expression: Access) -> str:
        if isinstance(expression, str):
            return self._phrase([expression])
        operator, parts = expression
        joined = f" {operator.upper()} ".join(self._access(part) for part in parts)
        return f"({joined})"

    def match(self, query: Query, access: Access) -> str:
        folded = " AND ".join(self._phrase(term.folded) for term in query.include)
        text = f"folded : ({folded})"
        if query.wants_exact:
            # An entry matching the exact words matches the folded ones too, so the set is the same;
            # BM25 then scores exact-diacritic matches higher (column weights below).
            exact = " AND ".join(self._phrase(term.exact) for term in query.include)
            text = f"({text} OR exact : ({exact}))"
        expression = f"{text} AND access : {self._access(access)}"
        for term in query.exclude:
            expression = f"({expression}) NOT folded : {self._phrase(term.folded)}"
        return expression

    def upsert(self, entry_id: int, folded: str, exact: str, access: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [entry_id])
            cursor.execute(
                "INSERT INTO search_fts(rowid, folded, exact, access) VALUES (%s, %s, %s, %s)",
                [entry_id, folded, exact, access],
            )

    def bulk_upsert(self, rows: list[tuple[int, str, str, str]]) -> None:
        """Rows of (entry id, folded, exact, access) for entries that have no full text yet."""
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts(rowid, folded, exact, access) VALUES (%s, %s, %s, %s)", rows
            )

    def delete(self, entry_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM search_fts WHERE rowid = %s", [[entry_id] for entry_id in entry_ids]
            )

    def search(self, query: Query, access: Access, limit: int, offset: int) -> tuple[list[Hit], int]:
        params: list[Any] = [self.match(query, access)]
        where = "search_fts MATCH %s" + _structured(query.filters, params)
        join = f"FROM search_fts JOIN {ENTRY_TABLE} e ON e.id = search_fts.rowid WHERE {where}"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {join}", params)
            total = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT e.id, bm25(search_fts, 1.0, 3.0, 0.0) AS score {join}"
                " ORDER BY score, e.id DESC LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            hits = [Hit(row[0], -row[1]) for row in cursor.fetchall()]
        return hits, total

    def indexed_ids(self) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM search_fts")
            return {row[0] for row in cursor.fetchall()}

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'search_fts%%'")
            return int(cursor.fetchone()[0])


class PostgresBackend:
    """A `tsv` column on the entry table: folded words weight A, exact words B, access tokens D."""

    @staticmethod
    def _lexeme(word: str, weight: str) -> str:
        return f"'{word}':{weight}"

    def _phrase(self, words: tuple[str, ...] | list[str], weight: str) -> str:
        return "(" + " <-> ".join(self._lexeme(word, weight) for word in words) + ")"

    def _access(self, expression: Access) -> str:
        if isinstance(expression, str):
            return self._lexeme(expression, "D")
        operator, parts = expression
        joined = (" & " if operator == "and" else " | ").join(self._access(part) for part in parts)
        return f"({joined})"

    def match(self, query: Query, access: Access) -> str:
        folded = " & ".join(self._phrase(term.folded, "A") for term in query.include)
        expression = f"({folded}) & {self._access(access)}"
        for term in query.exclude:
            expression += f" & !{self._phrase(term.folded, 'A')}"
        return expression

    def rank(self, query: Query) -> str:
        terms: list[Term] = query.include
        folded = " & ".join(self._phrase(term.folded, "A") for term in terms)
        if not query.wants_exact:
            return folded
        exact = " & ".join(self._phrase(term.exact, "B") for term in terms)
        return f"({folded}) | ({exact})"

    def upsert(self, entry_id: int, folded: str, exact: str, access: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ENTRY_TABLE} SET tsv = setweight(to_tsvector('simple', %s), 'A')"
                " || setweight(to_tsvector('simple', %s), 'B') || setweight(to_tsvector('simple', %s), 'D')"
                " WHERE id = %s",
                [folded, exact, access, entry_id],
            )

    def bulk_upsert(self, rows: list[tuple[int, str, str, str]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {ENTRY_TABLE} SET tsv = setweight(to_tsvector('simple', %s), 'A')"
                " || setweight(to_tsvector('simple', %s), 'B') || setweight(to_tsvector('simple', %s), 'D')"
                " WHERE id = %s",
                [(folded, exact, access, entry_id) for entry_id, folded, exact, access in rows],
            )

    def delete(self, entry_ids: list[int]) -> None:
        """The tsv column goes with its row."""

    def search(self, query: Query, access: Access, limit: int, offset: int) -> tuple[list[Hit], int]:
        params: list[Any] = [self.match(query, access)]
        where = "e.tsv @@ to_tsquery('simple', %s)" + _structured(query.filters, params)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {ENTRY_TABLE} e WHERE {where}", params)
            total = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT e.id, ts_rank('{{0, 0, 1.0, 0.4}}', e.tsv, to_tsquery('simple', %s)) AS score"
                f" FROM {ENTRY_TABLE} e WHERE {where} ORDER BY score DESC, e.id DESC LIMIT %s OFFSET %s",
                [self.rank(query), *params, limit, offset],
            )
            hits = [Hit(row[0], float(row[1])) for row in cursor.fetchall()]
        return hits, total

    def indexed_ids(self) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {ENTRY_TABLE} WHERE tsv IS NOT NULL")
            return {row[0] for row in cursor.fetchall()}

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_total_relation_size('{ENTRY_TABLE}')")
            return int(cursor.fetchone()[0])


def backend() -> SQLiteBackend | PostgresBackend:
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
