"""Search at scale: our index (vanphong.search on SQLite FTS5 and PostgreSQL) against peers, same corpus.

Corpus: bench/corpus.py (Vietnamese Party office documents, 130 organisations, the first holding 30%,
~5% secret, reader tokens). Sizes: BENCH_SIZES (default "100000,1000000"; "10000" for a quick run),
engines: BENCH_ENGINES (default "sqlite,postgresql"), one process per engine and size. BENCH_ATTACHMENTS
(default 0): the share of documents that carry an attached file's text of 3 to 120 pages (0.15 shows what
long texts cost; its indexes and results are kept apart, suffixed "-a15").

Built indexes are kept between runs (building a million documents takes minutes): the SQLite database
and the Tantivy index in /tmp/vp-bench-search-<engine>-<size>, the PostgreSQL database
<BENCH_DATABASE_URL>_<size> (default postgres://postgres@127.0.0.1:5432/vp_searchbench). A run reuses
them when `built.json` there was written by the same search code (hash of src/vanphong/search and this
corpus); BENCH_REBUILD=1 forces a rebuild. The build figures are those of the build.

Every process:
1. (build) indexes the corpus through indexing.bulk_index_stream (a "bench" Kind with the documents'
   access rule; batches of 2,000, tokenised in a worker process while this one writes), the full-text
   index suspended meanwhile and built at the end, as a full reindex does: build rate
   (index time only, corpus generation excluded; wall and CPU of both processes) and sizes; checks that
   the cached tokeniser gives the same tokens as the plain one;
2. (build) loads the peers from the same documents: Tantivy 0.27 through its Python package (folded text,
   stored for snippets, the same access tokens as an indexed field, filters as term/range queries), a
   plain table scanned with LIKE, and on PostgreSQL a table with to_tsvector('simple',
   immutable_unaccent(text)) in a stored column with GIN, ranked by ts_rank over every match;
3. runs 50 queries in six classes (rare word, common word, phrase, no diacritics, filtered, restricted
   user) as a user of the largest organisation, warm, like for like: ours end to end (engine.search:
   page of 20 with highlighted snippets and the total; "ours_facets" adds the facets, as the search page
   does) against Tantivy's page (BM25 top 20, count,
   stored documents, SnippetGenerator); ours without snippets (engine.find: ids and total) against
   Tantivy's top 20 ids and count; and the slow peers. p50 / p95 ms per class. Totals are checked
   against Tantivy: equal up to 1,000 matches, the estimate's error beyond. The slow peers (LIKE,
   unaccent) run 3 queries per class, timed once, above 50,000 documents.
Ends with one JSON line per engine run; the parent prints a table of all runs with ratios.
Timings are wall-clock on a shared machine: read orders of magnitude, and repeat.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import json
import math
import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "100000,1000000").split(",") if size]
ENGINES = [name for name in os.environ.get("BENCH_ENGINES", "sqlite,postgresql").split(",") if name]
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vp_searchbench")
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
REBUILD = os.environ.get("BENCH_REBUILD", "0") == "1"
RESULTS = os.environ.get("BENCH_RESULTS", "/tmp/vp-bench-search-results")
# Share of documents carrying an attached file's text (3 to 120 pages; corpus.py). 0 by default: the
# corpus of the earlier figures and of SEARCH-NOTES; 0.15 shows what long texts cost.
ATTACHMENTS = float(os.environ.get("BENCH_ATTACHMENTS", "0"))
SUFFIX = f"-a{round(ATTACHMENTS * 100)}" if ATTACHMENTS else ""
FORMAT = "2"  # of the peers' indexes (2: Tantivy stores the text, for snippets)
BATCH = 2000
STREAM_BATCHES = 25  # batches generated ahead, then indexed by one bulk_index_stream (workers overlap)
HEAVY = 50_000  # above: the slow peers (full scans, rank-everything) run 3 queries per class, once
SLOW_MS = 1500  # a query slower than this when warming up is timed fewer times
WORD = re.compile(r"[^\W_]+")
SYSTEMS = [
    "ours_facets", "ours", "ours_cpu", "ours_nosnippet", "tantivy_page", "tantivy", "tantivy_cpu", "like", "unaccent"
]

CLASSES = ["rare", "common", "phrase", "nodiac", "filtered", "restricted"]
# (class, query as typed, who asks): reader = READ_ALL + clearance 3; open = clearance 0;
# named = clearance 2 without READ_ALL (secret documents only where named, as user or unit).
QUERIES: list[tuple[str, str, str]] = [
    *[
        ("rare", q, "reader")
        for q in ["Kajiki", "Podul", "Saola", "Doksuri", "Nghét", "Mgar", "Thầu", "Glei"]
    ],
    *[
        ("common", q, "reader")
        for q in [
            "đảng",
            "tỉnh",
            "cán bộ",
            "kiểm tra",
            "ngân sách",
            "đảng viên",
            "hội nghị",
            "kinh tế",
            "báo cáo",
        ]
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


def cpu_now() -> float:
    """CPU seconds of this process and of its ended children (the tokenising workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def figures(samples: list[float]) -> list[float]:
    return [round(pct(samples, 0.5), 2), round(pct(samples, 0.95), 2)] if samples else []


CPU: dict[str, list[float]] = {}  # process CPU time of the last timed() call


def timed(fn: Callable[[], Any], repeat: int, slow_repeat: int) -> tuple[list[float], Any]:
    """Warm once, then time `repeat` runs (`slow_repeat` if the warm run took more than SLOW_MS).
    Wall-clock samples are returned; the process CPU time of each run is left in CPU["last"]."""
    start = time.perf_counter()
    result = fn()
    warm = (time.perf_counter() - start) * 1000
    samples = []
    CPU["last"] = []
    for _ in range(repeat if warm < SLOW_MS else slow_repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
        CPU["last"].append((time.process_time() - cpu) * 1000)
    return samples or [warm], result


# ---------------------------------------------------------------------------------------------------------
# Peers
# ---------------------------------------------------------------------------------------------------------


def sql_access(expression: Any, params: list[Any], leaf: Callable[[str, list[Any]], str]) -> str:
    """Our access expression (simplified: "not" only inside an "and") as an SQL condition."""
    if isinstance(expression, str):
        return leaf(expression, params)
    operator, parts = expression
    if operator == "or":
        return "(" + " OR ".join(sql_access(part, params, leaf) for part in parts) + ")"
    clauses = [
        f"NOT {sql_access(part[1][0], params, leaf)}"
        if isinstance(part, tuple) and part[0] == "not"
        else sql_access(part, params, leaf)
        for part in parts
    ]
    return "(" + " AND ".join(clauses) + ")"


def structured_leaf(token: str, params: list[Any], other: Callable[[str, list[Any]], str]) -> str:
    """Organisation and secrecy tokens as columns, the rest (readers) by `other`."""
    if re.fullmatch(r"zzo\d+", token):
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

    def __init__(self, vendor: str, create: bool = True) -> None:
        from django.db import connection

        self.connection = connection
        self.vendor = vendor
        if not create:
            return
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

    def __init__(self, create: bool = True) -> None:
        from django.db import connection

        self.connection = connection
        if not create:
            return
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
        with (
            raw.cursor() as cursor,
            cursor.copy(
                "COPY bench_unaccent (id, org, secrecy, doc_type, date, access, body) FROM STDIN"
            ) as copy,
        ):
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
    def __init__(self, path: str, reuse: bool) -> None:
        import tantivy

        self.tantivy = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("id", stored=True, indexed=True, fast=True)
        builder.add_text_field("text", stored=True, tokenizer_name="default", index_option="position")
        builder.add_text_field("access", stored=False, tokenizer_name="default", index_option="basic")
        builder.add_text_field("doc_type", stored=False, tokenizer_name="raw", index_option="basic")
        builder.add_integer_field("date", stored=False, indexed=True, fast=True)
        self.schema = builder.build()
        self.path = path
        os.makedirs(path, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=path, reuse=reuse)
        if reuse:
            self.searcher = self.index.searcher()
        else:
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
        if operator == "or":
            return tantivy.Query.boolean_query([(tantivy.Occur.Should, self._access(part)) for part in parts])
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.MustNot, self._access(part[1][0]))
                if isinstance(part, tuple) and part[0] == "not"
                else (tantivy.Occur.Must, self._access(part))
                for part in parts
            ]
        )

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

    def page(self, built: Any) -> tuple[int, list[str]]:
        """A page as a search page shows it: the count and the top 20 with highlighted snippets."""
        result = self.searcher.search(built, limit=20, count=True)
        snippets = self.tantivy.SnippetGenerator.create(self.searcher, built, self.schema, "text")
        pages = [
            snippets.snippet_from_doc(self.searcher.doc(address)).to_html() for _s, address in result.hits
        ]
        return result.count, pages


# ---------------------------------------------------------------------------------------------------------
# One engine run
# ---------------------------------------------------------------------------------------------------------


def code_key() -> str:
    """What the built index depends on: the index format (models, migrations, tokens) and the
    corpus. A change to how indexing.py fills entries needs BENCH_REBUILD=1."""
    digest = hashlib.sha256(f"{FORMAT}{SUFFIX}".encode())
    folder = os.path.join(ROOT, "src", "vanphong", "search")
    paths = [
        os.path.join(HERE, "corpus.py"),
        *(os.path.join(folder, name) for name in ("models.py", "text.py", "index_tokens.py")),
        *(
            os.path.join(folder, "migrations", name)
            for name in os.listdir(os.path.join(folder, "migrations"))
        ),
    ]
    for path in sorted(paths):
        if path.endswith(".py"):
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:16]


def open_database(engine: str, size: int) -> tuple[str, dict[str, Any] | None]:
    """The data dir and, when the index there was built by the same code, its build figures."""
    import shutil

    data_dir = f"/tmp/vp-bench-search-{engine}-{size}{SUFFIX}"
    marker = os.path.join(data_dir, "built.json")
    built = None
    if not REBUILD and os.path.exists(marker):
        with open(marker) as handle:
            built = json.load(handle)
        if built.get("key") != code_key():
            built = None
    os.environ["VANPHONG_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanphong.settings")
    url = f"{PG_URL}_{size}{SUFFIX.replace('-', '_')}"
    if engine == "postgresql":
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    if built is None:
        shutil.rmtree(data_dir, ignore_errors=True)
        os.makedirs(data_dir)
        if engine == "postgresql":
            import psycopg

            name = url.rsplit("/", 1)[1]
            with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                admin.execute(f"CREATE DATABASE {name}")
    import django

    django.setup()
    if built is None:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    return data_dir, built


def folded_text(d: Any) -> str:
    return f"{d.title_folded} {d.body_folded} {d.attachment_folded}"


def segments(d: Any, url: str) -> list[Any]:
    """The document's summary and, if it has one, its attached file's text (the second segment)."""
    from vanphong.core.searchable import Segment

    found = [Segment(d.sender, d.body, url)]
    if d.attachment:
        found.append(Segment("", d.attachment, f"{url}/file", file="phu-luc.pdf"))
    return found


def build(engine: str, size: int, data_dir: str, kind: Any, org_ids: list[int]) -> dict[str, Any]:
    from corpus import Corpus, fold
    from django.db import connection

    from vanphong.core.searchable import IndexData, secrecy_token
    from vanphong.search import indexing
    from vanphong.search.backends import backend
    from vanphong.search.text import exact_words, folded_words, tokens

    vendor = connection.vendor
    corpus = Corpus(attachments=ATTACHMENTS)
    gc.collect()
    gc.freeze()
    type_folded = {code: fold(code) for code in ("CV", "BC", "TB", "KH", "QĐ", "HD", "NQ", "KL", "CT")}
    like = LikePeer(vendor)
    unaccent = UnaccentPeer() if vendor == "postgresql" else None
    tantivy_peer = TantivyPeer(os.path.join(data_dir, "tantivy"), reuse=False) if vendor == "sqlite" else None

    # The cached tokeniser against the plain one, and the corpus' folded text against the engine's.
    sample = next(corpus.generate(size, batch=5000))
    datas = [
        IndexData(org_ids[d.org], d.secrecy, d.title, segments(d, "/"), "/") for d in sample
    ]
    texts = [" ".join([x.title, *(s.text for s in x.segments)]) for x in datas]
    start = time.perf_counter()
    plain = [(" ".join(folded_words(t)), " ".join(exact_words(t))) for t in texts]
    plain_us = (time.perf_counter() - start) / len(datas) * 1e6
    start = time.perf_counter()
    cached = [tokens(t) for t in texts]
    cached_us = (time.perf_counter() - start) / len(datas) * 1e6
    assert cached == plain, "the cached tokeniser differs from the plain one"
    assert all(
        " ".join(WORD.findall(folded_text(d))) == c[0] for d, c in zip(sample, cached)
    )
    print(
        f"  tokens: plain {plain_us:.0f} us/doc, cached {cached_us:.0f} us/doc (identical on {len(datas):,})"
    )
    del sample, datas, texts, plain, cached

    spent = {"generate": 0.0, "ours": 0.0, "like": 0.0, "tantivy": 0.0, "unaccent": 0.0}
    # SQLite runs in this process and the tokenising in its workers: CPU time of both is the build's
    # cost without the wait.
    cpu_spent = 0.0
    start = time.perf_counter()
    done = 0
    batches = corpus.generate(size, batch=BATCH)

    def item(d: Any) -> tuple[str, int, IndexData]:
        return (
            kind.name,
            d.number + 1,
            IndexData(
                organisation_id=org_ids[d.org],
                secrecy=d.secrecy,
                title=d.title,
                segments=segments(d, f"/bench/{d.number + 1}"),
                url=f"/bench/{d.number + 1}",
                access=[secrecy_token(d.secrecy), *("zz" + reader for reader in d.readers)],
                doc_type=type_folded[d.doc_type],
                date=d.date,
                status=d.status,
                sender=d.sender,
            ),
        )

    # A build from nothing: the full-text index is built once at the end (services.reindex does the same).
    backend().suspend()
    while chunk := list(itertools.islice(batches, STREAM_BATCHES)):
        spent["generate"] += time.perf_counter() - start
        start, cpu_start = time.perf_counter(), cpu_now()
        item_batches = [[item(d) for d in docs] for docs in chunk]
        indexing.bulk_index_stream(item_batches)
        spent["ours"] += time.perf_counter() - start
        cpu_spent += cpu_now() - cpu_start
        docs = [d for batch_docs in chunk for d in batch_docs]
        items = [pair for batch in item_batches for pair in batch]
        del chunk, item_batches
        access_strings = [indexing._access_tokens(kind, data) for _kind, _id, data in items]
        words = [" ".join(WORD.findall(folded_text(d))) for d in docs]
        start = time.perf_counter()
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
                    (
                        d.number + 1,
                        w,
                        a,
                        type_folded[d.doc_type],
                        d.date.year * 10000 + d.date.month * 100 + d.date.day,
                    )
                    for d, a, w in zip(docs, access_strings, words, strict=True)
                ]
            )
            spent["tantivy"] += time.perf_counter() - start
        if unaccent is not None:
            start = time.perf_counter()
            unaccent.load(
                [
                    (
                        d.number + 1,
                        org_ids[d.org],
                        d.secrecy,
                        type_folded[d.doc_type],
                        d.date,
                        a.split(),
                        f"{d.title} {d.body} {d.attachment}",
                    )
                    for d, a in zip(docs, access_strings, strict=True)
                ]
            )
            spent["unaccent"] += time.perf_counter() - start
        done += len(docs)
        if done % 100_000 < len(docs):
            print(f"  {done:,} indexed ({done / spent['ours']:,.0f} docs/s ours)", flush=True)
        start = time.perf_counter()
    start, cpu_start = time.perf_counter(), cpu_now()
    backend().resume()
    spent["ours"] += time.perf_counter() - start
    cpu_spent += cpu_now() - cpu_start
    print(f"  full-text index built in {time.perf_counter() - start:.1f} s", flush=True)
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
    rates = {name: round(size / seconds) for name, seconds in spent.items() if seconds}
    if vendor == "sqlite":
        rates["ours_cpu"] = round(size / cpu_spent)
    sizes = {"ours_fulltext": backend().size_bytes(), "like": like.size()}
    if tantivy_peer is not None:
        sizes["tantivy"] = tantivy_peer.size()
    if unaccent is not None:
        sizes["unaccent"] = unaccent.size()
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('search_searchentry')")
            sizes["ours_with_entries"] = int(cursor.fetchone()[0])
            cursor.execute("SELECT pg_relation_size('search_entry_tsv')")
            sizes["ours_fulltext"] = int(cursor.fetchone()[0])
        else:
            cursor.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name IN ('search_searchentry', 'search_entry_unique_object')"
            )
            sizes["ours_with_entries"] = sizes["ours_fulltext"] + int(cursor.fetchone()[0] or 0)
    print(f"  build docs/s (index time only): {rates}; maintenance (ANALYZE/VACUUM) {maintenance:.1f} s")
    print("  sizes MB: " + ", ".join(f"{k} {v / 1e6:,.0f}" for k, v in sizes.items()))
    built = {
        "key": code_key(),
        "build_docs_per_s": rates,
        "size_mb": {k: round(v / 1e6) for k, v in sizes.items()},
    }
    with open(os.path.join(data_dir, "built.json"), "w") as handle:
        json.dump(built, handle)
    return built


def run_engine(engine: str, size: int) -> None:
    data_dir, built = open_database(engine, size)
    from django.db import connection

    from vanphong.core.models import CalendarOverride, Clearance, Organisation
    from vanphong.core.searchable import Kind, register
    from vanphong.documents.search import readers_access
    from vanphong.search import engine as search_engine
    from vanphong.search.backends.base import simplify
    from vanphong.search.query import parse
    from vanphong.testing import actor_of, make_organisation, make_person, make_unit, make_user

    vendor = connection.vendor
    print(f"== search: {engine}, {size:,} documents ({'reusing the built index' if built else 'building'})")
    kind = Kind(
        name="bench", label="bench", model=CalendarOverride, build=lambda obj: None, access=readers_access
    )
    register(kind)
    if built is None:
        orgs = [make_organisation(f"o{k:03d}", "TU", name=f"Tỉnh ủy số {k}") for k in range(130)]
        home = orgs[0]
        reader = make_user(home, "bench-reader", roles=["archivist"], clearance=Clearance.TUYET_MAT)
        open_user = make_user(home, "bench-open", roles=["specialist"], clearance=Clearance.NONE)
        named_user = make_user(home, "bench-named", roles=["specialist"], clearance=Clearance.TOI_MAT)
        unit = make_unit(home, "Phòng Tổng hợp")
        make_person(home, "Nguyễn Văn Bình", user=named_user, unit=unit)
        built = build(engine, size, data_dir, kind, [org.pk for org in orgs])
    else:
        from django.contrib.auth import get_user_model

        users = get_user_model().objects
        home = Organisation.objects.get(code="o000")
        reader, open_user, named_user = (
            users.get(username=f"bench-{n}") for n in ("reader", "open", "named")
        )
    actors = {
        "reader": actor_of(reader, home),
        "open": actor_of(open_user, home),
        "named": actor_of(named_user, home),
    }
    accesses = {key: simplify(search_engine.access_for(actor)) for key, actor in actors.items()}
    print(f"  access of 'named': {accesses['named']}")
    like = LikePeer(vendor, create=False)
    unaccent = UnaccentPeer(create=False) if vendor == "postgresql" else None
    tantivy_peer = TantivyPeer(os.path.join(data_dir, "tantivy"), reuse=True) if vendor == "sqlite" else None

    runs: dict[str, dict[str, list[float]]] = {}
    mismatches = []
    estimate_errors = []
    per_query = []
    seen: dict[str, int] = {}

    def add(system: str, cls: str, samples: list[float]) -> None:
        runs.setdefault(system, {}).setdefault(cls, []).extend(samples)

    for cls, text, who in QUERIES:
        actor, access = actors[who], accesses[who]
        seen[cls] = seen.get(cls, 0) + 1
        query = parse(text)
        row: dict[str, Any] = {"class": cls, "query": text, "who": who}
        samples, _page = timed(lambda: search_engine.search(actor, text, 1, 20), REPEAT, 3)
        add("ours_facets", cls, samples)
        row["ours_facets"] = figures(samples)
        samples, results = timed(
            lambda: search_engine.search(actor, text, 1, 20, with_facets=False), REPEAT, 3
        )
        add("ours", cls, samples)
        row["ours"] = figures(samples)
        if vendor == "sqlite":  # the whole engine runs in this process: its CPU time, without the wait
            add("ours_cpu", cls, CPU["last"])
            row["ours_cpu"] = figures(CPU["last"])
        row["count"] = results.total
        row["estimated"] = results.estimated
        ours_ids = [r.object_id for r in results.results]
        samples, _found = timed(lambda: search_engine.find(actor, query, 1, 20), REPEAT, 3)
        add("ours_nosnippet", cls, samples)
        row["ours_nosnippet"] = figures(samples)
        true_count = None
        if tantivy_peer is not None:
            built_query = tantivy_peer.build_query(query, access)
            samples, (true_count, tids) = timed(lambda: tantivy_peer.search(built_query), REPEAT, 3)
            add("tantivy", cls, samples)
            row["tantivy"] = figures(samples)
            add("tantivy_cpu", cls, CPU["last"])
            row["tantivy_cpu"] = figures(CPU["last"])
            samples, _page = timed(lambda: tantivy_peer.page(built_query), REPEAT, 3)
            add("tantivy_page", cls, samples)
            row["tantivy_page"] = figures(samples)
            row["top20_overlap_tantivy"] = len(set(tids) & set(ours_ids))
        if size <= HEAVY or seen[cls] <= 3:
            samples, (like_count, _ids) = timed(
                lambda: like.search(query, access), REPEAT if size <= HEAVY else 1, 1
            )
            add("like", cls, samples)
            row["like"] = figures(samples)
            true_count = like_count if true_count is None else true_count
            if like_count != true_count:
                mismatches.append(("like vs tantivy", text, who, like_count, true_count))
        if unaccent is not None and (size <= HEAVY or seen[cls] <= 3):
            samples, (total, _ids) = timed(
                lambda: unaccent.search(query, access), REPEAT if size <= HEAVY else 1, 1
            )
            add("unaccent", cls, samples)
            row["unaccent"] = figures(samples)
            row["unaccent_count"] = total
        if true_count is not None:
            row["true_count"] = true_count
            if results.estimated:
                estimate_errors.append(abs(results.total - true_count) / true_count)
            elif results.total != true_count:
                mismatches.append(("ours", text, who, results.total, true_count))
        per_query.append(row)
        print(
            f"  {cls:<10} {who:<6} {text[:34]:<34} n={results.total:>8,}{'~' if results.estimated else ' '} "
            + " ".join(f"{k}={v[0]}/{v[1]}" for k, v in row.items() if isinstance(v, list) and v),
            flush=True,
        )
    for mismatch in mismatches:
        print(f"  COUNT MISMATCH {mismatch}")
    classes = {
        system: {cls: figures(samples) for cls, samples in by_class.items()}
        for system, by_class in runs.items()
    }
    result = {
        "bench": f"search-{engine}",
        "docs": size,
        **{k: v for k, v in built.items() if k != "key"},
        "p50_p95_ms": classes,
        "count_mismatches": len(mismatches),
        "estimate_error_max": round(max(estimate_errors), 3) if estimate_errors else None,
        "estimate_error_mean": round(sum(estimate_errors) / len(estimate_errors), 3)
        if estimate_errors
        else None,
        "queries": per_query,
    }
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, f"{engine}-{size}{SUFFIX}.json"), "w") as out:
        json.dump(result, out, ensure_ascii=False, indent=1, default=str)
    print(json.dumps({k: v for k, v in result.items() if k != "queries"}, ensure_ascii=False))
    sys.stdout.flush()


# ---------------------------------------------------------------------------------------------------------
# Parent: run, then compare
# ---------------------------------------------------------------------------------------------------------


def table() -> None:
    for size in SIZES:
        loaded = {}
        for engine in ENGINES:
            path = os.path.join(RESULTS, f"{engine}-{size}{SUFFIX}.json")
            if os.path.exists(path):
                with open(path) as handle:
                    loaded[engine] = json.load(handle)
        from_sqlite = loaded.get("sqlite", {}).get("p50_p95_ms", {})
        tantivy = {name: from_sqlite[name] for name in ("tantivy", "tantivy_page") if name in from_sqlite}
        for engine, result in loaded.items():
            measured = dict(result["p50_p95_ms"])
            measured.update(tantivy)
            print(
                f"\n{engine} {size:,} docs: build docs/s {result['build_docs_per_s']}, size MB {result['size_mb']},"
                f" estimate error mean {result['estimate_error_mean']} max {result['estimate_error_max']},"
                f" count mismatches {result['count_mismatches']}"
            )
            systems = [s for s in SYSTEMS if s in measured]
            # Like for like: our page (top 20, snippets, total) against Tantivy's page; our ids and total
            # against Tantivy's top 20 and count.
            pairs = [
                (mine, peer)
                for mine, peer in (
                    ("ours", "tantivy_page"),
                    ("ours_nosnippet", "tantivy"),
                    ("ours", "like"),
                    ("ours", "unaccent"),
                    ("ours_cpu", "tantivy_cpu"),
                )
                if mine in measured and peer in measured
            ]
            print(
                f"  {'class':<11}"
                + "".join(f"{s:>17}" for s in systems)
                + "".join(f"{a.replace('ours_', '') + '/' + b + ' p95':>26}" for a, b in pairs)
            )
            for cls in CLASSES:
                cells = []
                for system in systems:
                    value = measured[system].get(cls)
                    cells.append(f"{value[0]:>8.1f}/{value[1]:<8.1f}" if value else f"{'-':>17}")
                ratios = []
                for mine_name, peer in pairs:
                    mine, theirs = measured[mine_name].get(cls), measured[peer].get(cls)
                    ratios.append(f"{mine[1] / theirs[1]:>26.2f}" if mine and theirs else f"{'-':>26}")
                print(f"  {cls:<11}" + "".join(cells) + "".join(ratios))
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
