"""Search at scale: our index (services.search on SQLite FTS5 and PostgreSQL) against peers, same corpus.

Corpus: bench/corpus.py (Vietnamese Party office documents, 130 organisations, the first holding 30%,
~5% secret, reader tokens). Sizes: BENCH_SIZES (default "100000,1000000"; "10000" for a quick run).
Each size runs one process per engine (BENCH_ENGINES, default "sqlite,postgresql"), each in a fresh data
dir /tmp/vp-bench-search-<engine>-<size> (PostgreSQL: a fresh database at BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/vanphong_bench_search). Every process:

1. indexes the corpus through services.bulk_index (a "bench" Kind with documents' readers_access) in
   batches of 2,000 and prints the build rate (index time only, generation excluded) and index size.
   Tokenising is most of the cost (vanphong.core.text.fold); above 200,000 documents (BENCH_FAST_TOKENS=
   auto) the build uses a table-driven fold that gives identical tokens (checked on 5,000 documents), and
   both tokenisers are timed on the same documents, so the as-is rate can be read either way;
2. builds the peers from the same documents: on SQLite a plain table scanned with LIKE and Tantivy 0.27
   (folded text, access tokens as an indexed field, filters as term/range queries, BM25 top 20 + count);
   on PostgreSQL the same LIKE table and a table with to_tsvector('simple', immutable_unaccent(text)) in a
   stored column with GIN, ranked by ts_rank;
3. runs 50 queries in six classes (rare word, common word, phrase, no diacritics, filtered, restricted
   user) as a user of the largest organisation, warm: ours end to end (services.search: count + top 20
   with snippets), ours engine only (backend().search), the prototype (bench/ subclass of the backend:
   see PROTOTYPE below) and the peers; p50 / p95 ms per class, counts checked against Tantivy/LIKE.
Ends with one JSON line per engine run; the parent prints a table of all runs with ratios.
"""

from __future__ import annotations

import gc
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "100000,1000000").split(",") if size]
ENGINES = [name for name in os.environ.get("BENCH_ENGINES", "sqlite,postgresql").split(",") if name]
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vanphong_bench_search")
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
RESULTS = os.environ.get("BENCH_RESULTS", "/tmp/vp-bench-search-results")
FAST_TOKENS = os.environ.get("BENCH_FAST_TOKENS", "auto")  # auto | yes | no
BATCH = 2000
RANK_NEWEST = 5000  # prototype: rank only the newest N matches of a very common query
LEAN = int(os.environ.get("BENCH_LEAN_ABOVE", "200000"))  # above: no LIKE peer, no bigram copy (time)
CAP = 1000  # prototype "capped": count at most this many (newest) matches, rank only those
SLOW_MS = 1500  # a query slower than this when warming up is timed fewer times (peers: once more)
WORD = re.compile(r"[^\W_]+")

CLASSES = ["rare", "common", "phrase", "nodiac", "filtered", "restricted"]
# (class, query as typed, who asks): reader = READ_ALL + clearance 3; open = clearance 0;
# named = clearance 2 without READ_ALL (secret documents only where named, as user or unit).
QUERIES: list[tuple[str, str, str]] = [
    *[("rare", q, "reader") for q in ["Kajiki", "Podul", "Saola", "Doksuri", "Nghét", "Mgar", "Thầu", "Glei"]],
    *[
        ("common", q, "reader")
        for q in ["đảng", "tỉnh", "cán bộ", "kiểm tra", "ngân sách", "đảng viên", "hội nghị", "kinh tế", "báo cáo"]
    ],
    *[
        ("phrase", f'"{q}"', "reader")
        for q in [
            "ban thường vụ",
            "chuyển đổi số",
            "tổ chức cơ sở đảng",
            "công tác cán bộ",
            "đảng viên",
            "nghị quyết",
            "nông thôn mới",
            "cải cách hành chính",
            "thẻ đảng viên",
        ]
    ],
    *[
        ("nodiac", q, "reader")
        for q in [
            "nghi quyet tinh uy",
            "chuyen doi so",
            "ban thuong vu",
            "kiem tra giam sat",
            "dang vien moi",
            "phong chong tham nhung",
            "nong thon moi",
            "cai cach hanh chinh",
        ]
    ],
    *[
        ("filtered", q, "reader")
        for q in [
            "loai:NQ nam:2024 chuyển đổi số",
            "loai:CV nam:2023 cán bộ",
            'nam:2025 "ban thường vụ"',
            "loai:BC đảng viên",
            "loai:KH nam:2022 kiểm tra",
            "loai:QĐ kỷ luật",
            "tu:2024-01-01 den:2024-03-31 ngân sách",
            'loai:TB nam:2021 "hội nghị"',
        ]
    ],
    ("restricted", "đảng viên", "open"),
    ("restricted", '"ban thường vụ"', "open"),
    ("restricted", "chuyen doi so", "open"),
    ("restricted", "Doksuri", "open"),
    ("restricted", "đảng viên", "named"),
    ("restricted", '"ban thường vụ"', "named"),
    ("restricted", "loai:NQ nam:2024 chuyển đổi số", "named"),
    ("restricted", "kinh tế", "named"),
]
assert len(QUERIES) == 50


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def figures(samples: list[float]) -> list[float]:
    return [round(pct(samples, 0.5), 2), round(pct(samples, 0.95), 2)] if samples else []


def timed(fn: Callable[[], Any], repeat: int, slow_repeat: int) -> tuple[list[float], Any]:
    """Warm once, then time `repeat` runs (`slow_repeat` if the warm run took more than SLOW_MS)."""
    start = time.perf_counter()
    result = fn()
    warm = (time.perf_counter() - start) * 1000
    samples = []
    for _ in range(repeat if warm < SLOW_MS else slow_repeat):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples or [warm], result


# ---------------------------------------------------------------------------------------------------------
# Fast tokens: table-driven fold and a pre-check for the tone-placement regex (identical output)
# ---------------------------------------------------------------------------------------------------------


_ORIGINALS: dict[str, Any] = {}


def patch_tokens(on: bool) -> None:
    """Fast tokens, identical output: the text is split on whitespace (tokens never span it, and fold,
    lower() and the tone-placement rule look no further than a word) and each chunk's two token lists
    are cached, so a document costs ~300 dict look-ups instead of regexes and NFD over its whole text.
    Highlighting folds each word of 20 documents: a cached fold there."""
    from vanphong.core import text as core_text
    from vanphong.search import services
    from vanphong.search import text as search_text

    if not _ORIGINALS:
        _ORIGINALS.update(tokens=services._tokens, fold=search_text.fold)
    if not on:
        services._tokens = _ORIGINALS["tokens"]
        search_text.fold = _ORIGINALS["fold"]
        return
    slow_fold, folded_words, exact_words = core_text.fold, search_text.folded_words, search_text.exact_words
    folds: dict[str, str] = {}
    chunks: dict[str, tuple[list[str], list[str]]] = {}

    def cached_fold(text: str) -> str:
        value = folds.get(text)
        if value is None:
            if len(folds) > 500_000:
                folds.clear()
            value = folds[text] = slow_fold(text)
        return value

    def tokens(data: Any) -> tuple[str, str]:
        folded: list[str] = []
        exact: list[str] = []
        get = chunks.get
        for chunk in " ".join([data.title, *(segment.text for segment in data.segments)]).split():
            value = get(chunk)
            if value is None:
                if len(chunks) > 1_000_000:
                    chunks.clear()
                value = chunks[chunk] = (folded_words(chunk), exact_words(chunk))
            folded += value[0]
            exact += value[1]
        return " ".join(folded), " ".join(exact)

    services._tokens = tokens
    search_text.fold = cached_fold


def proto_access(actor: Any) -> Any:
    """The same set as services.access_for, written for an inverted index: every entry carries exactly one
    secrecy token, so "levels up to the clearance" is "NOT the levels above it", and the kinds, which all
    use readers_access, need no kind tokens. Denials are short doclists (5% of entries are secret)."""
    from vanphong.documents.permissions import READ_ALL, user_units
    from vanphong.search.registry import org_token, secrecy_token, unit_token, user_token

    org = org_token(actor.organisation.pk)
    deny: list[Any] = [secrecy_token(level) for level in range(actor.clearance + 1, 4)]
    if not (actor.system or actor.has_perm(READ_ALL)) and actor.clearance > 0:
        readers = [user_token(actor.user.pk), *(unit_token(row["unit"]) for row in user_units(actor))]
        levels = [secrecy_token(level) for level in range(1, actor.clearance + 1)]
        deny.append(("not", [("or", levels), ("or", readers)]))
    return ("not", [org, ("or", deny)]) if deny else org


# ---------------------------------------------------------------------------------------------------------
# Prototype backends (what we recommend for src/vanphong/search/backends.py)
# ---------------------------------------------------------------------------------------------------------


def bigrams(folded: str) -> str:
    words = folded.split()
    return " ".join(f"{a}_{b}" for a, b in zip(words, words[1:], strict=False))


def make_proto_sqlite(table: str, use_bigrams: bool, cap: int = 0) -> Any:
    from django.db import connection

    from vanphong.search.backends import ENTRY_TABLE, Hit, SQLiteBackend, _structured

    class ProtoSQLite(SQLiteBackend):
        """1. MATCH on the folded column only (the exact column adds nothing to the set, only to the rank);
        2. no JOIN with the entry table unless a structured filter needs it;
        3. phrases of 2+ words as phrases of word-pair tokens in a `bigrams` column (no position checks of
           common words);
        4. more than RANK_NEWEST matches: rank only the newest RANK_NEWEST (rowid >= the N-th newest)."""

        def _access(self, expression: Any) -> str:
            if isinstance(expression, tuple) and expression[0] == "not":
                positive, negative = expression[1]
                return f"({self._access(positive)} NOT {self._access(negative)})"
            return super()._access(expression)

        def _text(self, query: Any, ranked: bool) -> str:
            parts = []
            for term in query.include:
                if use_bigrams and len(term.folded) > 1:
                    parts.append(f"bigrams : {self._phrase(bigrams(' '.join(term.folded)).split())}")
                else:
                    parts.append(f"folded : {self._phrase(term.folded)}")
            text = "(" + " AND ".join(parts) + ")"
            if ranked and query.wants_exact and not use_bigrams:
                exact = " AND ".join(self._phrase(term.exact) for term in query.include)
                text = f"({text} OR exact : ({exact}))"
            return text

        def proto_match(self, query: Any, access: Any, ranked: bool) -> str:
            expression = f"{self._text(query, ranked)} AND access : {self._access(access)}"
            for term in query.exclude:
                expression = f"({expression}) NOT folded : {self._phrase(term.folded)}"
            return expression

        def search(self, query: Any, access: Any, limit: int, offset: int) -> tuple[list[Any], int]:
            params: list[Any] = [self.proto_match(query, access, ranked=False)]
            structured = _structured(query.filters, params)
            if structured:
                source = f"FROM {table} JOIN {ENTRY_TABLE} e ON e.id = {table}.rowid WHERE {table} MATCH %s{structured}"
            else:
                source = f"FROM {table} WHERE {table} MATCH %s"
            with connection.cursor() as cursor:
                if cap:
                    # Count up to `cap` newest matches ("more than 1,000" beyond) and rank those: one pass
                    # over the newest part of the doclists whatever the number of matches.
                    cursor.execute(
                        f"SELECT count(*), min(r) FROM (SELECT {table}.rowid AS r {source}"
                        f" ORDER BY {table}.rowid DESC LIMIT %s)",
                        [*params, cap],
                    )
                    total, floor = cursor.fetchone()
                    floor = floor or 0
                else:
                    cursor.execute(f"SELECT count(*) {source}", params)
                    total = cursor.fetchone()[0]
                    floor = 0
                if not cap and total > RANK_NEWEST and offset + limit <= RANK_NEWEST:
                    cursor.execute(
                        f"SELECT {table}.rowid {source} ORDER BY {table}.rowid DESC LIMIT 1 OFFSET %s",
                        [*params, RANK_NEWEST - 1],
                    )
                    floor = cursor.fetchone()[0]
                ranked = [self.proto_match(query, access, ranked=True), *params[1:]]
                rank_source = source.replace(f"{table} MATCH %s", f"{table} MATCH %s AND {table}.rowid >= %s")
                cursor.execute(
                    f"SELECT {table}.rowid, bm25({table}, 1.0, 3.0, 0.0{', 1.0' if use_bigrams else ''}) AS score"
                    f" {rank_source} ORDER BY score, {table}.rowid DESC LIMIT %s OFFSET %s",
                    [ranked[0], floor, *ranked[1:], limit, offset],
                )
                hits = [Hit(row[0], -row[1]) for row in cursor.fetchall()]
            return hits, total

    return ProtoSQLite()


def make_proto_pyrank(table: str = "search_fts") -> Any:
    """The fix for the rank: FTS5's bm25() counts, on every call, the documents holding each phrase of
    the MATCH (access tokens included) by walking their whole doclists, so it costs O(matches) however
    small the LIMIT. Here: the newest CAP matches (one pass, ORDER BY rowid DESC), the total estimated
    from their rowid span beyond CAP, and BM25 computed in Python over their stored folded text with
    IDF from that estimate."""
    from django.db import connection

    from vanphong.search.backends import ENTRY_TABLE, Hit, _structured

    base = make_proto_sqlite(table, use_bigrams=False)

    class PyRank(type(base)):  # type: ignore[misc]
        def search(self, query: Any, access: Any, limit: int, offset: int) -> tuple[list[Any], int]:
            params: list[Any] = [self.proto_match(query, access, ranked=False)]
            structured = _structured(query.filters, params)
            join = f" JOIN {ENTRY_TABLE} e ON e.id = {table}.rowid" if structured else ""
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {table}.rowid FROM {table}{join} WHERE {table} MATCH %s{structured}"
                    f" ORDER BY {table}.rowid DESC LIMIT %s",
                    [*params, CAP],
                )
                ids = [row[0] for row in cursor.fetchall()]
                cursor.execute(f"SELECT max(rowid) FROM {table}")
                size = cursor.fetchone()[0] or 1
                total = len(ids) if len(ids) < CAP else round(CAP * size / (ids[0] - ids[-1] + 1))
                if not ids:
                    return [], 0
                cursor.execute(
                    f"SELECT id, c0 FROM {table}_content WHERE id IN ({','.join(['%s'] * len(ids))})", ids
                )
                texts = cursor.fetchall()
            phrases = [" ".join(term.folded) for term in query.include]
            idf = math.log(1 + (size - total + 0.5) / (total + 0.5))
            scored = []
            for rowid, folded in texts:
                padded = f" {folded} "
                norm = 1.2 * (0.25 + 0.75 * len(folded) / 1600)
                score = 0.0
                for phrase in phrases:
                    tf = padded.count(f" {phrase} ")
                    score += idf * tf * 2.2 / (tf + norm)
                scored.append((score, rowid))
            scored.sort(reverse=True)
            return [Hit(rowid, score) for score, rowid in scored[offset : offset + limit]], total

    return PyRank()


def make_proto_postgres() -> Any:
    from django.db import connection

    from vanphong.search.backends import ENTRY_TABLE, Hit, PostgresBackend, _structured

    class ProtoPostgres(PostgresBackend):
        """1. tsquery without weight labels: GIN answers plain lexemes exactly, so no recheck (no detoast of
           every candidate's tsv); needs access lexemes that text can never produce (see the reply);
        2. more than RANK_NEWEST matches: ts_rank only over the newest RANK_NEWEST."""

        @staticmethod
        def _lexeme(word: str, weight: str) -> str:
            return f"'{word}'"

        def _access(self, expression: Any) -> str:
            if isinstance(expression, tuple) and expression[0] == "not":
                positive, negative = expression[1]
                return f"({self._access(positive)} & !{self._access(negative)})"
            return super()._access(expression)

        def search(self, query: Any, access: Any, limit: int, offset: int) -> tuple[list[Any], int]:
            params: list[Any] = [self.match(query, access)]
            where = "e.tsv @@ to_tsquery('simple', %s)" + _structured(query.filters, params)
            rank = PostgresBackend().rank(query)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) FROM {ENTRY_TABLE} e WHERE {where}", params)
                total = cursor.fetchone()[0]
                if total > RANK_NEWEST and offset + limit <= RANK_NEWEST:
                    source = f"(SELECT e.id, e.tsv FROM {ENTRY_TABLE} e WHERE {where} ORDER BY e.id DESC LIMIT {RANK_NEWEST}) e"
                else:
                    source = f"{ENTRY_TABLE} e WHERE {where}"
                cursor.execute(
                    f"SELECT e.id, ts_rank('{{0, 0, 1.0, 0.4}}', e.tsv, to_tsquery('simple', %s)) AS score"
                    f" FROM {source} ORDER BY score DESC, e.id DESC LIMIT %s OFFSET %s",
                    [rank, *params, limit, offset],
                )
                hits = [Hit(row[0], float(row[1])) for row in cursor.fetchall()]
            return hits, total

    return ProtoPostgres()


# ---------------------------------------------------------------------------------------------------------
# Peers
# ---------------------------------------------------------------------------------------------------------


def sql_access(expression: Any, params: list[Any], leaf: Callable[[str, list[Any]], str]) -> str:
    if isinstance(expression, str):
        return leaf(expression, params)
    operator, parts = expression
    if operator == "not":
        return f"({sql_access(parts[0], params, leaf)} AND NOT {sql_access(parts[1], params, leaf)})"
    joined = f" {operator.upper()} ".join(sql_access(part, params, leaf) for part in parts)
    return f"({joined})"


def structured_leaf(token: str, params: list[Any], other: Callable[[str, list[Any]], str]) -> str:
    """Organisation and secrecy tokens as columns, the rest (readers) by `other`."""
    if token.startswith("zzo"):
        params.append(int(token[3:]))
        return "org = %s"
    if token.startswith("zzs"):
        params.append(int(token[3:]))
        return "secrecy = %s"
    return other(token, params)


def sql_filters(filters: Any, params: list[Any], date_type: str = "") -> str:
    clauses = []
    if filters.doc_type:
        clauses.append("doc_type = %s")
        params.append(filters.doc_type)
    low, high = None, None
    if filters.year:
        low, high = f"{filters.year}-01-01", f"{filters.year}-12-31"
    if filters.date_from:
        low = filters.date_from.isoformat()
    if filters.date_to:
        high = filters.date_to.isoformat()
    if low:
        clauses.append(f"date >= %s{date_type}")
        params.append(low)
    if high:
        clauses.append(f"date <= %s{date_type}")
        params.append(high)
    return "".join(f" AND {clause}" for clause in clauses)


class LikePeer:
    """A plain table of ' folded words ' scanned with LIKE; newest first (no ranking)."""

    def __init__(self, vendor: str) -> None:
        from django.db import connection

        self.connection = connection
        self.vendor = vendor
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE bench_like (id bigint PRIMARY KEY, org integer, secrecy smallint, doc_type text,"
                " date date, access text, words text)"
            )

    def load(self, rows: list[tuple[Any, ...]]) -> None:
        from django.db import transaction

        with transaction.atomic(), self.connection.cursor() as cursor:
            cursor.executemany("INSERT INTO bench_like VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)

    def finish(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("ANALYZE bench_like")

    def size(self) -> int:
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("SELECT pg_total_relation_size('bench_like')")
            else:
                cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name = 'bench_like'")
            return int(cursor.fetchone()[0] or 0)

    def search(self, query: Any, access: Any) -> tuple[int, list[int]]:
        params: list[Any] = []
        clauses = []
        for term in query.include:
            clauses.append("words LIKE %s")
            params.append(f"% {' '.join(term.folded)} %")
        for term in query.exclude:
            clauses.append("words NOT LIKE %s")
            params.append(f"% {' '.join(term.folded)} %")

        def leaf(token: str, params: list[Any]) -> str:
            def other(token: str, params: list[Any]) -> str:
                params.append(f"% {token} %")
                return "access LIKE %s"

            return structured_leaf(token, params, other)

        where = " AND ".join(clauses) + " AND " + sql_access(access, params, leaf)
        where += sql_filters(query.filters, params)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM bench_like WHERE {where}", params)
            total = cursor.fetchone()[0]
            cursor.execute(f"SELECT id FROM bench_like WHERE {where} ORDER BY id DESC LIMIT 20", params)
            return total, [row[0] for row in cursor.fetchall()]


class UnaccentPeer:
    """PostgreSQL full text the usual way: unaccent in an IMMUTABLE wrapper, 'simple' tsvector in a stored
    column with GIN, btree/GIN for the access fields, ts_rank."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            cursor.execute(
                "CREATE OR REPLACE FUNCTION immutable_unaccent(text) RETURNS text"
                " LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT public.unaccent('public.unaccent', $1) $$"
            )
            cursor.execute(
                "CREATE TABLE bench_unaccent (id bigint PRIMARY KEY, org integer, secrecy smallint, doc_type text,"
                " date date, access text[], body text,"
                " tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', immutable_unaccent(body))) STORED)"
            )

    def load(self, rows: list[tuple[Any, ...]]) -> None:
        raw = self.connection.connection
        with raw.cursor() as cursor, cursor.copy(
            "COPY bench_unaccent (id, org, secrecy, doc_type, date, access, body) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        raw.commit()

    def finish(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("CREATE INDEX bench_unaccent_tsv ON bench_unaccent USING gin (tsv)")
            cursor.execute("CREATE INDEX bench_unaccent_access ON bench_unaccent USING gin (access)")
            cursor.execute("CREATE INDEX bench_unaccent_org_date ON bench_unaccent (org, date)")
            cursor.execute("VACUUM ANALYZE bench_unaccent")

    def size(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('bench_unaccent')")
            return int(cursor.fetchone()[0])

    @staticmethod
    def tsquery(query: Any) -> str:
        def phrase(words: tuple[str, ...]) -> str:
            return "(" + " <-> ".join(f"'{word}'" for word in words) + ")"

        text = " & ".join(phrase(term.folded) for term in query.include)
        for term in query.exclude:
            text += f" & !{phrase(term.folded)}"
        return text

    def search(self, query: Any, access: Any) -> tuple[int, list[int]]:
        params: list[Any] = [self.tsquery(query)]

        def leaf(token: str, params: list[Any]) -> str:
            def other(token: str, params: list[Any]) -> str:
                params.append([token])
                return "access @> %s::text[]"

            return structured_leaf(token, params, other)

        where = "tsv @@ to_tsquery('simple', %s) AND " + sql_access(access, params, leaf)
        where += sql_filters(query.filters, params, "::date")
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM bench_unaccent WHERE {where}", params)
            total = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT id FROM bench_unaccent WHERE {where}"
                " ORDER BY ts_rank(tsv, to_tsquery('simple', %s)) DESC, id DESC LIMIT 20",
                [*params, params[0]],
            )
            return total, [row[0] for row in cursor.fetchall()]


class TantivyPeer:
    def __init__(self, path: str) -> None:
        import tantivy

        self.tantivy = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("id", stored=True, indexed=True, fast=True)
        builder.add_text_field("text", stored=False, tokenizer_name="default", index_option="position")
        builder.add_text_field("access", stored=False, tokenizer_name="default", index_option="basic")
        builder.add_text_field("doc_type", stored=False, tokenizer_name="raw", index_option="basic")
        builder.add_integer_field("date", stored=False, indexed=True, fast=True)
        self.schema = builder.build()
        self.path = path
        os.makedirs(path, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=path)
        self.writer = self.index.writer(heap_size=500_000_000)

    def load(self, rows: list[tuple[Any, ...]]) -> None:
        document = self.tantivy.Document
        add = self.writer.add_document
        for object_id, text, access, doc_type, date in rows:
            add(document(id=object_id, text=text, access=access, doc_type=doc_type, date=date))

    def finish(self) -> None:
        self.writer.commit()
        self.writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def size(self) -> int:
        return sum(os.path.getsize(os.path.join(self.path, name)) for name in os.listdir(self.path))

    def _access(self, expression: Any) -> Any:
        tantivy = self.tantivy
        if isinstance(expression, str):
            return tantivy.Query.term_query(self.schema, "access", expression, index_option="basic")
        operator, parts = expression
        if operator == "not":
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, self._access(parts[0])), (tantivy.Occur.MustNot, self._access(parts[1]))]
            )
        occur = tantivy.Occur.Must if operator == "and" else tantivy.Occur.Should
        return tantivy.Query.boolean_query([(occur, self._access(part)) for part in parts])

    def _term(self, words: tuple[str, ...]) -> Any:
        tantivy = self.tantivy
        if len(words) == 1:
            return tantivy.Query.term_query(self.schema, "text", words[0])
        return tantivy.Query.phrase_query(self.schema, "text", list(words))

    def build_query(self, query: Any, access: Any) -> Any:
        tantivy = self.tantivy
        must, must_not = tantivy.Occur.Must, tantivy.Occur.MustNot
        clauses = [(must, self._term(term.folded)) for term in query.include]
        clauses += [(must_not, self._term(term.folded)) for term in query.exclude]
        clauses.append((must, tantivy.Query.const_score_query(self._access(access), 0.0)))
        filters = query.filters
        if filters.doc_type:
            clauses.append((must, tantivy.Query.term_query(self.schema, "doc_type", filters.doc_type)))
        low = high = None
        if filters.year:
            low, high = filters.year * 10000 + 101, filters.year * 10000 + 1231
        if filters.date_from:
            low = int(filters.date_from.strftime("%Y%m%d"))
        if filters.date_to:
            high = int(filters.date_to.strftime("%Y%m%d"))
        if low or high:
            clauses.append(
                (must, tantivy.Query.range_query(self.schema, "date", tantivy.FieldType.Integer, low, high))
            )
        return tantivy.Query.boolean_query(clauses)

    def search(self, built: Any) -> tuple[int, list[int]]:
        result = self.searcher.search(built, limit=20, count=True)
        ids = [self.searcher.doc(address)["id"][0] for _score, address in result.hits]
        return result.count, ids


# ---------------------------------------------------------------------------------------------------------
# One engine run
# ---------------------------------------------------------------------------------------------------------


def fresh_database(engine: str, size: int) -> str:
    data_dir = f"/tmp/vp-bench-search-{engine}-{size}"
    shutil.rmtree(data_dir, ignore_errors=True)
    os.makedirs(data_dir)
    os.environ["VANPHONG_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanphong.settings")
    if engine == "postgresql":
        import psycopg

        name = PG_URL.rsplit("/", 1)[1]
        with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return data_dir


def run_engine(engine: str, size: int) -> None:
    data_dir = fresh_database(engine, size)
    from corpus import Corpus, fold
    from django.db import connection

    from vanphong.core.models import Clearance
    from vanphong.documents.search import readers_access
    from vanphong.search import services
    from vanphong.search.backends import backend
    from vanphong.search.query import parse
    from vanphong.search.registry import IndexData, Kind, Segment, register, secrecy_token
    from vanphong.testing import actor_of, make_organisation, make_person, make_unit, make_user

    vendor = connection.vendor
    fast = FAST_TOKENS == "yes" or (FAST_TOKENS == "auto" and size > 200_000)
    print(f"== search: {engine}, {size:,} documents, tokens {'fast (identical)' if fast else 'as-is'}")
    from vanphong.core.models import CalendarOverride

    kind = Kind(name="bench", model=CalendarOverride, build=lambda obj: None, access=readers_access)
    register(kind)
    orgs = [make_organisation(f"o{k:03d}", "TU", name=f"Tỉnh ủy số {k}") for k in range(130)]
    org_ids = [org.pk for org in orgs]
    home = orgs[0]
    reader = make_user(home, "bench-reader", roles=["archivist"], clearance=Clearance.TUYET_MAT)
    open_user = make_user(home, "bench-open", roles=["specialist"], clearance=Clearance.NONE)
    named_user = make_user(home, "bench-named", roles=["specialist"], clearance=Clearance.TOI_MAT)
    unit = make_unit(home, "Phòng Tổng hợp")
    make_person(home, "Nguyễn Văn Bình", user=named_user, unit=unit)
    actors = {
        "reader": actor_of(reader, home),
        "open": actor_of(open_user, home),
        "named": actor_of(named_user, home),
    }
    accesses = {key: services.access_for(actor) for key, actor in actors.items()}
    print(f"  named user zzu{named_user.pk}, unit zzn{unit.pk}; access of 'named': {accesses['named']}")

    corpus = Corpus()
    gc.collect()
    gc.freeze()
    type_folded = {code: fold(code) for code in ("CV", "BC", "TB", "KH", "QĐ", "HD", "NQ", "KL", "CT")}
    like = LikePeer(vendor) if size <= LEAN else None
    unaccent = UnaccentPeer() if vendor == "postgresql" else None
    tantivy_peer = TantivyPeer(os.path.join(data_dir, "tantivy")) if vendor == "sqlite" else None

    # -- tokeniser cost and identity check ----------------------------------------------------------------
    sample = next(corpus.generate(size, batch=5000))
    datas = [
        IndexData(org_ids[d.org], d.secrecy, d.title, [Segment(d.sender, d.body, "/")], "/", doc_type="x")
        for d in sample
    ]
    timings = {}
    outputs = {}
    for label, on in (("as-is", False), ("fast", True)):
        patch_tokens(on)
        start = time.perf_counter()
        outputs[label] = [services._tokens(data) for data in datas]
        timings[label] = (time.perf_counter() - start) / len(datas) * 1e6
    patch_tokens(False)
    identical = outputs["as-is"] == outputs["fast"]
    print(
        f"  tokenising (folded + exact streams): as-is {timings['as-is']:.0f} us/doc, fast {timings['fast']:.0f} us/doc;"
        f" identical on {len(datas):,} docs: {identical}"
    )
    assert identical
    del sample, datas, outputs
    # Corpus folded text vs the engine's tokens (peers index the corpus' folded text).
    check = next(corpus.generate(size, batch=500))
    assert all(
        " ".join(WORD.findall(d.title_folded + " " + d.body_folded)) == services._tokens(
            IndexData(0, 0, d.title, [Segment("", d.body, "")], "")
        )[0]
        for d in check
    ), "corpus folding differs from the engine's"

    # -- build --------------------------------------------------------------------------------------------
    patch_tokens(fast)
    spent = {"generate": 0.0, "ours": 0.0, "like": 0.0, "tantivy": 0.0, "unaccent": 0.0}
    start = time.perf_counter()
    done = 0
    for docs in corpus.generate(size, batch=BATCH):
        spent["generate"] += time.perf_counter() - start
        start = time.perf_counter()
        items = [
            (
                d.number + 1,
                IndexData(
                    organisation_id=org_ids[d.org],
                    secrecy=d.secrecy,
                    title=d.title,
                    segments=[Segment(d.sender, d.body, f"/bench/{d.number + 1}")],
                    url=f"/bench/{d.number + 1}",
                    access=[secrecy_token(d.secrecy), *("zz" + reader for reader in d.readers)],
                    doc_type=type_folded[d.doc_type],
                    date=d.date,
                    status=d.status,
                    sender=d.sender,
                ),
            )
            for d in docs
        ]
        services.bulk_index(kind, items)
        spent["ours"] += time.perf_counter() - start
        start = time.perf_counter()
        access_strings = [services._access_tokens(kind, data) for _id, data in items]
        words = [" ".join(WORD.findall(d.title_folded + " " + d.body_folded)) for d in docs]
        if like is not None:
            like.load(
                [
                    (d.number + 1, org_ids[d.org], d.secrecy, type_folded[d.doc_type], d.date, f" {a} ", f" {w} ")
                    for d, a, w in zip(docs, access_strings, words, strict=True)
                ]
            )
        spent["like"] += time.perf_counter() - start
        if tantivy_peer is not None:
            start = time.perf_counter()
            tantivy_peer.load(
                [
                    (d.number + 1, w, a, type_folded[d.doc_type], d.date.year * 10000 + d.date.month * 100 + d.date.day)
                    for d, a, w in zip(docs, access_strings, words, strict=True)
                ]
            )
            spent["tantivy"] += time.perf_counter() - start
        if unaccent is not None:
            start = time.perf_counter()
            unaccent.load(
                [
                    (d.number + 1, org_ids[d.org], d.secrecy, type_folded[d.doc_type], d.date, a.split(),
                     f"{d.title} {d.body}")
                    for d, a in zip(docs, access_strings, strict=True)
                ]
            )
            spent["unaccent"] += time.perf_counter() - start
        done += len(docs)
        if done % 100_000 == 0:
            print(f"  {done:,} indexed ({done / spent['ours']:,.0f} docs/s ours)", flush=True)
        start = time.perf_counter()
    patch_tokens(False)
    maintenance = time.perf_counter()
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE search_searchentry")
        else:
            cursor.execute("ANALYZE")
    maintenance = time.perf_counter() - maintenance
    for name, peer in (("like", like), ("tantivy", tantivy_peer), ("unaccent", unaccent)):
        if peer is not None:
            start = time.perf_counter()
            peer.finish()
            spent[name] += time.perf_counter() - start
    build = {name: round(size / seconds) for name, seconds in spent.items() if seconds}
    sizes = {"ours": backend().size_bytes()}
    if like is not None:
        sizes["like"] = like.size()
    if tantivy_peer is not None:
        sizes["tantivy"] = tantivy_peer.size()
    if unaccent is not None:
        sizes["unaccent"] = unaccent.size()
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            sizes["database"] = int(cursor.fetchone()[0])
        else:
            cursor.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name IN ('search_searchentry', 'search_entry_unique_object',"
                " 'search_sear_organis_27762b_idx')"
            )
            sizes["ours_with_entries"] = sizes["ours"] + int(cursor.fetchone()[0] or 0)
            sizes["database"] = os.path.getsize(os.path.join(data_dir, "vanphong.sqlite3"))
    print(f"  build docs/s (index time only): {build}; maintenance (ANALYZE/VACUUM) {maintenance:.1f} s")
    print("  sizes MB: " + ", ".join(f"{k} {v / 1e6:,.0f}" for k, v in sizes.items()))

    # -- prototype index (SQLite: bigram column) ----------------------------------------------------------
    if vendor == "sqlite" and size > LEAN:
        proto = None
        proto_plain = make_proto_sqlite("search_fts", use_bigrams=False)
        proto_capped = make_proto_sqlite("search_fts", use_bigrams=False, cap=CAP)
        proto_pyrank = make_proto_pyrank()
    elif vendor == "sqlite":
        start = time.perf_counter()
        raw = connection.connection
        raw.create_function("bigrams", 1, bigrams, deterministic=True)
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE VIRTUAL TABLE search_fts_bi USING fts5(folded, exact, access, bigrams,"
                " tokenize = 'unicode61 remove_diacritics 0 tokenchars ''_''')"
            )
            cursor.execute(
                "INSERT INTO search_fts_bi(rowid, folded, exact, access, bigrams)"
                " SELECT rowid, folded, '', access, bigrams(folded) FROM search_fts"  # exact left empty (time)
            )
        raw.commit()
        seconds = time.perf_counter() - start
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name IN ('search_fts_bi_data', 'search_fts_bi_idx',"
                " 'search_fts_bi_content', 'search_fts_bi_docsize', 'search_fts_bi_config')"
            )
            sizes["proto_bigram_fts"] = int(cursor.fetchone()[0])
        print(
            f"  prototype FTS table with bigrams: {seconds:.0f} s to copy ({size / seconds:,.0f} docs/s),"
            f" {sizes['proto_bigram_fts'] / 1e6:,.0f} MB vs {sizes['ours'] / 1e6:,.0f} MB"
        )
        proto = make_proto_sqlite("search_fts_bi", use_bigrams=True)
        proto_plain = make_proto_sqlite("search_fts", use_bigrams=False)
        proto_capped = make_proto_sqlite("search_fts_bi", use_bigrams=True, cap=CAP)
        proto_pyrank = make_proto_pyrank()
    else:
        proto = make_proto_postgres()
        proto_plain = proto_capped = proto_pyrank = None

    # -- queries ------------------------------------------------------------------------------------------
    runs: dict[str, dict[str, list[float]]] = {}
    mismatches = []
    per_query = []

    def add(system: str, cls: str, samples: list[float]) -> None:
        runs.setdefault(system, {}).setdefault(cls, []).extend(samples)

    heavy = size > 200_000  # the slow peers (full scans, rank-everything) run 3 queries per class
    seen: dict[str, int] = {}
    peer_accesses = {key: proto_access(actor) for key, actor in actors.items()}
    for cls, text, who in QUERIES:
        actor, access, peer_access = actors[who], accesses[who], peer_accesses[who]
        seen[cls] = seen.get(cls, 0) + 1
        query = parse(text)
        row: dict[str, Any] = {"class": cls, "query": text, "who": who}
        samples, results = timed(lambda: services.search(actor, text, 1, 20), REPEAT, 3)
        add("ours", cls, samples)
        row["ours"] = figures(samples)
        row["count"] = results.total
        ours_ids = [r.object_id for r in results.results]
        samples, _ = timed(lambda: backend().search(query, access, 20, 0), 3, 1)
        add("ours_engine", cls, samples)
        row["ours_engine"] = figures(samples)
        # Prototype: backend subclass + access rewritten + fast tokens (snippets fold every word).
        original_backend, original_access = services.backend, services.access_for
        for label, candidate in (
            ("proto", proto),
            ("proto_nobigram", proto_plain),
            ("proto_capped", proto_capped),
            ("proto_pyrank", proto_pyrank),
        ):
            if candidate is None:
                continue
            services.backend = lambda candidate=candidate: candidate
            services.access_for = proto_access
            patch_tokens(True)
            try:
                samples, presults = timed(lambda: services.search(actor, text, 1, 20), REPEAT, 3)
            finally:
                services.backend, services.access_for = original_backend, original_access
                patch_tokens(False)
            add(label, cls, samples)
            row[label] = figures(samples)
            expected = min(results.total, CAP) if label == "proto_capped" else results.total
            if label == "proto_pyrank":  # exact up to CAP, an estimate beyond
                row["pyrank_count"] = presults.total
            elif presults.total != expected:
                mismatches.append((label, text, who, presults.total, expected))
        if like is not None and (not heavy or seen[cls] <= 3):
            samples, (total, _ids) = timed(lambda: like.search(query, peer_access), REPEAT, 1)
            add("like", cls, samples)
            row["like"] = figures(samples)
            if total != results.total:
                mismatches.append(("like", text, who, total, results.total))
        if tantivy_peer is not None:
            built = tantivy_peer.build_query(query, peer_access)
            samples, (total, tids) = timed(lambda: tantivy_peer.search(built), REPEAT, 3)
            add("tantivy", cls, samples)
            row["tantivy"] = figures(samples)
            row["top20_overlap_tantivy"] = len(set(tids) & set(ours_ids))
            if total != results.total:
                mismatches.append(("tantivy", text, who, total, results.total))
        if unaccent is not None and (not heavy or seen[cls] <= 3):
            samples, (total, _ids) = timed(lambda: unaccent.search(query, peer_access), REPEAT, 1)
            add("unaccent", cls, samples)
            row["unaccent"] = figures(samples)
            row["unaccent_count"] = total
        per_query.append(row)
        print(f"  {cls:<10} {who:<6} {text[:38]:<38} n={results.total:>8,} " + " ".join(
            f"{k}={v[0]}/{v[1]}" for k, v in row.items() if isinstance(v, list) and v
        ), flush=True)

    # Evidence: plans of the slow shapes.
    plans = {}
    reader_access = accesses["reader"]
    with connection.cursor() as cursor:
        for text in ["đảng viên", '"ban thường vụ"']:
            query = parse(text)
            if vendor == "postgresql":
                from vanphong.search.backends import PostgresBackend

                match = PostgresBackend().match(query, reader_access)
                for label, tsq in (("weighted (ours)", match), ("unweighted (proto)", proto.match(query, reader_access))):
                    cursor.execute(
                        "EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM search_searchentry e"
                        " WHERE e.tsv @@ to_tsquery('simple', %s)",
                        [tsq],
                    )
                    plans[f"{text} count, {label}"] = [row[0] for row in cursor.fetchall()]
            else:
                from vanphong.search.backends import SQLiteBackend

                match = SQLiteBackend().match(query, reader_access)
                for label, sql in (
                    ("count with JOIN (ours)", "SELECT count(*) FROM search_fts JOIN search_searchentry e ON e.id = search_fts.rowid WHERE search_fts MATCH %s"),
                    ("count without JOIN", "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s"),
                    ("rank all (ours)", "SELECT rowid, bm25(search_fts, 1.0, 3.0, 0.0) AS s FROM search_fts WHERE search_fts MATCH %s ORDER BY s LIMIT 20"),
                    ("newest 20 by rowid", "SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY rowid DESC LIMIT 20"),
                ):
                    def run(sql: str = sql) -> Any:
                        cursor.execute(sql, [match])
                        return cursor.fetchall()

                    samples, _ = timed(run, 3, 1)
                    plans[f"{text}: {label}"] = round(statistics_median(samples), 1)
    for key, value in plans.items():
        if isinstance(value, list):
            print(f"  EXPLAIN {key}:")
            for line in value:
                print(f"    {line}")
        else:
            print(f"  {key}: {value} ms")
    for mismatch in mismatches:
        print(f"  COUNT MISMATCH {mismatch}")

    classes = {system: {cls: figures(samples) for cls, samples in by_class.items()} for system, by_class in runs.items()}
    mean_counts = {}
    for cls in CLASSES:
        rows = [row["count"] for row in per_query if row["class"] == cls]
        mean_counts[cls] = round(sum(rows) / len(rows))
    result = {
        "bench": f"search-{engine}",
        "docs": size,
        "tokens": "fast" if fast else "as-is",
        "tokenise_us_per_doc": {k: round(v) for k, v in timings.items()},
        "build_docs_per_s": build,
        "size_mb": {k: round(v / 1e6) for k, v in sizes.items()},
        "mean_matches": mean_counts,
        "p50_p95_ms": classes,
        "count_mismatches": len(mismatches),
        "queries": per_query,
        "plans": plans,
    }
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, f"{engine}-{size}.json"), "w") as out:
        json.dump(result, out, ensure_ascii=False, indent=1, default=str)
    summary = {k: v for k, v in result.items() if k not in ("queries", "plans")}
    print(json.dumps(summary, ensure_ascii=False))
    sys.stdout.flush()


def statistics_median(samples: list[float]) -> float:
    return pct(samples, 0.5)


# ---------------------------------------------------------------------------------------------------------
# Parent: run, then compare
# ---------------------------------------------------------------------------------------------------------


def table() -> None:
    rows = []
    for size in SIZES:
        loaded = {}
        for engine in ENGINES:
            path = os.path.join(RESULTS, f"{engine}-{size}.json")
            if os.path.exists(path):
                with open(path) as handle:
                    loaded[engine] = json.load(handle)
        tantivy = loaded.get("sqlite", {}).get("p50_p95_ms", {}).get("tantivy", {})
        for engine, result in loaded.items():
            figures_ = result["p50_p95_ms"]
            print(
                f"\n{engine} {size:,} docs ({result['tokens']} tokens): build {result['build_docs_per_s']},"
                f" size MB {result['size_mb']}"
            )
            systems = [s for s in ("ours", "ours_engine", "proto", "proto_nobigram", "proto_capped", "proto_pyrank", "tantivy", "like", "unaccent")
                       if s in figures_ or (s == "tantivy" and tantivy)]
            best = next((s for s in ("proto_pyrank", "proto_capped", "proto", "proto_nobigram") if s in figures_), "")
            print(f"  {'class':<11}" + "".join(f"{s:>17}" for s in systems) + f"   ours/tantivy p95  {best}/tantivy p95")
            for cls in CLASSES:
                cells = []
                for system in systems:
                    source = tantivy if system == "tantivy" else figures_.get(system, {})
                    value = source.get(cls)
                    cells.append(f"{value[0]:>8.1f}/{value[1]:<8.1f}" if value else f"{'-':>17}")
                ratio = proto_ratio = "-"
                if tantivy.get(cls):
                    ratio = f"{figures_['ours'][cls][1] / tantivy[cls][1]:.0f}"
                    if best:
                        proto_ratio = f"{figures_[best][cls][1] / tantivy[cls][1]:.1f}"
                print(f"  {cls:<11}" + "".join(cells) + f"   {ratio:>16}  {proto_ratio:>17}")
                rows.append((engine, size, cls))
    print()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        run_engine(sys.argv[2], int(sys.argv[3]))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--table":
        table()
        return
    for size in SIZES:
        for engine in ENGINES:
            subprocess.run([sys.executable, __file__, "--one", engine, str(size)], check=True)
    table()


if __name__ == "__main__":
    main()
