"""PostgreSQL: the generated `tsv` column of the entry table and its GIN index."""

from __future__ import annotations

from typing import Any

import psycopg
from django.db import connection, transaction

from vanphong.core.searchable import ALL, Access
from vanphong.search.backends.base import ENTRY_TABLE, Backend, Selection, split
from vanphong.search.query import Term

# PostgreSQL (PostgresBackend.select): entries checked in the first stretch from either end, and in the
# longest; the cost of checking one entry walking the key index against that of one match found through
# the GIN index (its heap row fetched, then sorted): about 1-2 and 2-5 µs, measured on 100,000 and on
# 1,000,000 entries.
FIRST_STRETCH, LAST_WALK = 500, 50_000
WALK_COST, GIN_COST = 1.0, 3.0
PG_INDEX = "CREATE INDEX IF NOT EXISTS search_entry_tsv ON search_searchentry USING gin (tsv)"


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
        positive, negative = split(parts)
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

    year_sql = "to_char(date, 'YYYY')"

    def rank_texts(self, ids: list[int], prefix: int, exact: bool) -> list[tuple[int, bytes, bytes | None]]:
        # textsend: the text's bytes as stored, without a conversion; bytea comes back in binary (no hex),
        # which needs a cursor binding parameters on the server (Django's bind them in the client).
        columns = f"substring(textsend(folded) from 1 for {prefix}), " + (
            "textsend(exact)" if exact else "NULL::bytea"
        )
        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(f"SELECT id, {columns} FROM {ENTRY_TABLE} WHERE id = ANY(%s)", [ids], binary=True)
            return cursor.fetchall()
