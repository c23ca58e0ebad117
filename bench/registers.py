"""Registers at scale: does the first page cost what the page costs, or what the table costs?

For N = BENCH_N_SMALL (10,000) and BENCH_N_LARGE (1,000,000) incoming documents in one organisation
(Vietnamese senders and summaries from a small vocabulary, ten years, mixed statuses, ~5% secret,
routed ones with a deadline and a routing note), generated with bulk_create in batches of 10,000:
- the first page of the incoming register through the real view (test Client GET as a clerk with
  clearance), filtered by year, by status and by both: median of 5 warm runs, SQL queries per page;
- the same page's two queries measured apart: the paginator's COUNT(*) and the 50 rows;
- one month exported to XLSX through `registers.xlsx_response`.
Prints the ratio of the large to the small time for each (goal: close to 1), and for the large run
the plans of the queries (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite).
Runs in a subprocess per database. BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/vanphong_bench) adds PostgreSQL; PostgreSQL tables are
VACUUM ANALYZEd after loading (as autovacuum would), SQLite is left as a deployment leaves it.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import subprocess
import sys
import time
from typing import Any
from urllib.parse import urlsplit

N_SMALL = int(os.environ.get("BENCH_N_SMALL", "10000"))
N_LARGE = int(os.environ.get("BENCH_N_LARGE", "1000000"))
BATCH = 10_000
FIRST_YEAR, YEARS = 2016, 10  # 2016..2025
PAGE_YEAR = 2024
EXPORT_MONTH = (2024, 3)

SENDERS = [
    ("Ban Tổ chức Trung ương", "BTCTW"),
    ("Ban Tuyên giáo Trung ương", "BTGTW"),
    ("Văn phòng Trung ương Đảng", "VPTW"),
    ("Ủy ban Kiểm tra Trung ương", "UBKTTW"),
    ("Ban Dân vận Trung ương", "BDVTW"),
    ("Ban Nội chính Trung ương", "BNCTW"),
    ("Ủy ban nhân dân tỉnh", "UBND"),
    ("Sở Nội vụ", "SNV"),
    ("Sở Tài chính", "STC"),
    ("Sở Kế hoạch và Đầu tư", "SKHĐT"),
    ("Huyện ủy Ngọc Hồi", "HU"),
    ("Huyện ủy Đăk Hà", "HU"),
    ("Thành ủy Kon Tum", "TU"),
    ("Đảng ủy Khối các cơ quan tỉnh", "ĐUK"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "MTTQ"),
    ("Tỉnh đoàn", "TĐTN"),
    ("Hội Nông dân tỉnh", "HND"),
    ("Hội Liên hiệp Phụ nữ tỉnh", "HLHPN"),
    ("Công an tỉnh", "CAT"),
    ("Bộ Chỉ huy Quân sự tỉnh", "BCHQS"),
]
TYPES = ["CV", "CV", "CV", "CV", "NQ", "CT", "KL", "TB", "BC", "KH", "HD", "QĐ", "TTr", "GM"]
ACTIONS = [
    "báo cáo kết quả thực hiện",
    "triển khai thực hiện",
    "góp ý dự thảo văn bản về",
    "tổ chức hội nghị sơ kết",
    "tổng kết",
    "kiểm tra, giám sát việc thực hiện",
    "hướng dẫn thực hiện",
    "đề nghị cung cấp thông tin về",
    "phối hợp thực hiện",
    "tăng cường lãnh đạo",
]
TOPICS = [
    "Nghị quyết số {n}-NQ/TW của Bộ Chính trị",
    "Chỉ thị số {n}-CT/TW của Ban Bí thư",
    "Kết luận số {n}-KL/TW",
    "công tác cán bộ năm {y}",
    "chuyển đổi số trong các cơ quan Đảng",
    "công tác phát triển đảng viên năm {y}",
    "phòng, chống tham nhũng, lãng phí, tiêu cực",
    "đại hội đảng bộ các cấp nhiệm kỳ 2025 - 2030",
    "cải cách hành chính trong hệ thống chính trị",
    "công tác dân vận năm {y}",
    "xây dựng tổ chức cơ sở đảng trong sạch, vững mạnh",
    "bảo vệ nền tảng tư tưởng của Đảng",
    "công tác bảo vệ chính trị nội bộ",
    "kinh tế - xã hội 6 tháng đầu năm {y}",
]
INSTRUCTIONS = [
    "Giao Ban Tổ chức Tỉnh ủy chủ trì, tham mưu.",
    "Văn phòng Tỉnh ủy theo dõi, tổng hợp.",
    "Chuyển Ban Tuyên giáo nghiên cứu, đề xuất.",
    "Ủy ban Kiểm tra Tỉnh ủy xem xét, báo cáo.",
]


def _dataset(rng: random.Random, n: int, doc_types: dict[str, Any]) -> Any:
    """Yield (routed, fields) in arrival order, one year after another; numbers 1..K within a year."""
    from vanphong.core.text import fold

    folded: dict[str, str] = {}

    def f(text: str) -> str:
        if text not in folded:
            folded[text] = fold(text)
        return folded[text]

    tz = datetime.timezone(datetime.timedelta(hours=7))
    last_year = FIRST_YEAR + YEARS - 1
    per_year = [n // YEARS + (1 if i < n % YEARS else 0) for i in range(YEARS)]
    for offset, count in enumerate(per_year):
        year = FIRST_YEAR + offset
        start = datetime.datetime(year, 1, 2, 7, 30, tzinfo=tz).timestamp()
        span = datetime.datetime(year, 12, 31, 17, 0, tzinfo=tz).timestamp() - start
        stamps = sorted(start + rng.random() * span for _ in range(count))
        for number, stamp in enumerate(stamps, start=1):
            arrived_at = datetime.datetime.fromtimestamp(stamp, tz)
            sender, sender_symbol = rng.choice(SENDERS)
            symbol = rng.choice(TYPES)
            doc_type = doc_types[symbol]
            topic = rng.choice(TOPICS).format(n=rng.randint(1, 60), y=year)
            summary = f"V/v {rng.choice(ACTIONS)} {topic}"
            reference = f"{rng.randint(1, 999)}-{symbol}/{sender_symbol}".upper()
            roll = rng.random()
            if roll < 0.01:
                status = "cancelled"
            elif year < last_year:  # old years: nearly all closed; a few never closed or never routed
                status = "handled" if roll < 0.90 else ("routed" if roll < 0.96 else "registered")
            else:
                status = "registered" if roll < 0.16 else ("routed" if roll < 0.50 else "handled")
            secret = rng.random()
            routed = status in ("routed", "handled")
            deadline = (arrived_at + datetime.timedelta(days=rng.randint(7, 20))).date() if routed else None
            yield (
                routed,
                {
                    "arrival_year": year,
                    "arrival_number": number,
                    "arrived_at": arrived_at,
                    "sender_name": sender,
                    "sender_reference": reference,
                    "document_date": (arrived_at - datetime.timedelta(days=rng.randint(0, 6))).date(),
                    "doc_type_id": doc_type.pk,
                    "summary": summary,
                    "secrecy": 0 if secret < 0.95 else (1 if secret < 0.99 else 2),
                    "urgency": 0 if rng.random() < 0.9 else rng.randint(1, 3),
                    "copies": 1,
                    "pages": rng.randint(1, 12),
                    "status": status,
                    "deadline": deadline,
                    "handled_at": (
                        arrived_at + datetime.timedelta(days=rng.randint(3, 25))
                        if status == "handled"
                        else None
                    ),
                    "cancelled_reason": "Vào sổ trùng" if status == "cancelled" else "",
                    "search_text": f"{f(summary)} {f(sender)} {reference.lower()} {f(doc_type.name)}",
                    "created_at": arrived_at,
                    "updated_at": arrived_at,
                },
            )


class _Loader:
    """Rows straight into a table with explicit ids: COPY on PostgreSQL, executemany on SQLite.
    (bulk_create spends ~90% of its time in the ORM; this is ~10x faster and writes the same rows.)"""

    def __init__(self, model: Any) -> None:
        from django.db import connection

        self.connection = connection
        self.table = model._meta.db_table
        self.fields = model._meta.concrete_fields
        self.columns = [field.column for field in self.fields]
        self.attnames = [field.attname for field in self.fields]
        self.adapt = [self._adapter(field) for field in self.fields]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {self.table}")
            self.next_id = (cursor.fetchone()[0] or 0) + 1

    def _adapter(self, field: Any) -> Any:
        if self.connection.vendor == "postgresql":
            return None  # psycopg adapts Python values itself
        internal = field.get_internal_type()
        if internal == "DateTimeField":
            return self.connection.ops.adapt_datetimefield_value
        if internal == "DateField":
            return self.connection.ops.adapt_datefield_value
        return None

    def insert(self, rows: list[dict[str, Any]]) -> list[int]:
        """Give each row the next id, insert them all; the ids."""
        ids = list(range(self.next_id, self.next_id + len(rows)))
        self.next_id += len(rows)
        values = []
        for pk, row in zip(ids, rows, strict=True):
            row["id"] = pk
            values.append(
                tuple(
                    adapt(row.get(name)) if adapt else row.get(name)
                    for name, adapt in zip(self.attnames, self.adapt, strict=True)
                )
            )
        columns = ", ".join(self.columns)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
                    for value in values:
                        copy.write_row(value)
            else:
                marks = ", ".join(["?"] * len(self.columns))
                cursor.connection.executemany(
                    f"INSERT INTO {self.table} ({columns}) VALUES ({marks})", values
                )
        return ids

    def finish(self) -> None:
        if self.connection.vendor == "postgresql":  # later inserts through the ORM continue after ours
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{self.table}', 'id'), "
                    f"(SELECT MAX(id) FROM {self.table}))"
                )


def generate(org: Any, n: int, people: dict[str, Any]) -> float:
    """Load n incoming documents (routed ones with a routing note and a lead unit); seconds taken."""
    from django.db import transaction

    from vanphong.documents.models import Assignment, DocumentType, IncomingDocument, NumberSequence, Routing

    rng = random.Random(20260101 + n)
    doc_types = {t.symbol: t for t in DocumentType.objects.all()}
    documents, routings, assignments = _Loader(IncomingDocument), _Loader(Routing), _Loader(Assignment)
    units = [unit.pk for unit in people["units"]]
    start = time.perf_counter()
    pending: list[tuple[bool, dict[str, Any]]] = []
    last_numbers: dict[int, int] = {}

    def flush() -> None:
        with transaction.atomic():
            rows = []
            for _routed, fields in pending:
                fields["organisation_id"] = org.pk
                fields["registered_by_id"] = people["clerk"].pk
                rows.append(fields)
            documents.insert(rows)
            routed = [fields for routed, fields in pending if routed]
            routing_ids = routings.insert(
                [
                    {
                        "document_id": fields["id"],
                        "instruction": INSTRUCTIONS[fields["arrival_number"] % len(INSTRUCTIONS)],
                        "deadline": fields["deadline"],
                        "routed_by_id": people["leader"].pk,
                        "routed_at": fields["arrived_at"] + datetime.timedelta(hours=20),
                    }
                    for fields in routed
                ]
            )
            assignments.insert(
                [
                    {"routing_id": routing_id, "role": "lead", "unit_id": units[routing_id % len(units)]}
                    for routing_id in routing_ids
                ]
            )
        pending.clear()

    for item in _dataset(rng, n, doc_types):
        pending.append(item)
        last_numbers[item[1]["arrival_year"]] = item[1]["arrival_number"]
        if len(pending) == BATCH:
            flush()
    if pending:
        flush()
    for loader in (documents, routings, assignments):
        loader.finish()
    for year, last in last_numbers.items():
        NumberSequence.objects.update_or_create(
            organisation=org, key=f"in:{year}", defaults={"last_number": last}
        )
    return time.perf_counter() - start


def _median_ms(fn: Any, repeat: int = 5) -> float:
    """Median of `repeat` warm runs (one run first to warm), in ms."""
    fn()  # warm
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 1)


def _explain(sql: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            return [row[0] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return [str(row[-1]) for row in cursor.fetchall()]


def measure(org: Any, clerk: Any, explain: bool) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from vanphong.documents import registers, selectors
    from vanphong.documents.selectors import RegisterFilter
    from vanphong.testing import actor_of

    client = Client()
    client.force_login(clerk)
    actor = actor_of(clerk, org)
    figures: dict[str, Any] = {}
    plans: dict[str, list[str]] = {}
    variants = {
        "year": ({"year": PAGE_YEAR}, RegisterFilter(year=PAGE_YEAR)),
        "status": ({"status": "routed"}, RegisterFilter(status="routed")),
        "year_status": (
            {"year": PAGE_YEAR, "status": "routed"},
            RegisterFilter(year=PAGE_YEAR, status="routed"),
        ),
    }
    for name, (params, criteria) in variants.items():

        def page(params: dict[str, Any] = params) -> None:
            response = client.get("/documents/incoming/", params)
            assert response.status_code == 200, response.status_code
            assert b'class="docs"' in response.content

        figures[f"page_{name}_ms"] = _median_ms(page)
        with CaptureQueriesContext(connection) as queries:
            page()
        figures[f"page_{name}_queries"] = len(queries)
        if explain and name == "year_status":
            print(f"  -- the {len(queries)} queries of one page:")
            for query in queries:
                print(f"     {query['sql'][:150]}")
        docs = selectors.incoming_register(actor, criteria)
        figures[f"count_{name}_ms"] = _median_ms(lambda docs=docs: docs.count())
        figures[f"rows_{name}_ms"] = _median_ms(lambda docs=docs: list(docs[:50]))
        figures[f"matching_{name}"] = docs.count()
        if explain:
            with CaptureQueriesContext(connection) as count_q:
                docs.count()
            with CaptureQueriesContext(connection) as rows_q:
                list(docs[:50])
            plans[f"count {name}"] = _explain(count_q[-1]["sql"])
            plans[f"rows {name}"] = _explain(rows_q[-1]["sql"])

    year, month = EXPORT_MONTH
    first = datetime.date(year, month, 1)
    month_filter = RegisterFilter(
        date_from=first,
        date_to=(first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1),
    )

    def export() -> Any:
        docs = selectors.incoming_register(actor, month_filter)
        return registers.xlsx_response(registers.INCOMING, docs, month_filter)

    def read_rows() -> None:  # the same rows and columns without the workbook
        for _row in registers.rows(registers.INCOMING, selectors.incoming_register(actor, month_filter)):
            pass

    # The fix proposed for the date filter: a range on arrived_at itself (it has an index) instead
    # of arrived_at__date, which wraps the column in a function (a Python function on SQLite).
    bounds = [
        timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        for day in (month_filter.date_from, month_filter.date_to + datetime.timedelta(days=1))
    ]

    def ranged() -> Any:
        return selectors.incoming_register(actor, RegisterFilter()).filter(
            arrived_at__gte=bounds[0], arrived_at__lt=bounds[1]
        )

    def export_ranged() -> Any:
        return registers.xlsx_response(registers.INCOMING, ranged(), month_filter)

    figures["export_month_ms"] = _median_ms(export, repeat=3)
    figures["export_month_rows_only_ms"] = _median_ms(read_rows, repeat=3)
    figures["export_month_range_filter_ms"] = _median_ms(export_ranged, repeat=3)
    with CaptureQueriesContext(connection) as queries:
        response = export()
    figures["export_month_queries"] = len(queries)
    figures["export_month_rows"] = selectors.incoming_register(actor, month_filter).count()
    assert ranged().count() == figures["export_month_rows"]
    figures["export_month_kb"] = round(len(response.content) / 1024)
    if explain:
        for title, docs in (
            (
                "export month rows (arrived_at__date, as now)",
                selectors.incoming_register(actor, month_filter),
            ),
            ("export month rows (arrived_at range, proposed)", ranged()),
        ):
            with CaptureQueriesContext(connection) as export_q:
                list(docs.iterator(chunk_size=2000))
            plans[title] = _explain(export_q[0]["sql"])
        for title, lines in plans.items():
            print(f"  -- plan: {title}")
            for line in lines:
                print(f"     {line}")
    return figures


def run_one(database_url: str | None) -> None:
    sys.path.insert(0, os.path.dirname(__file__))
    from _setup import django_setup, report

    django_setup(database_url)
    from django.db import connection
    from django.test.utils import setup_test_environment

    from vanphong.testing import make_organisation, make_unit, make_user

    setup_test_environment()  # the test Client's host and a fast path for force_login
    engine = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    results: dict[str, dict[str, Any]] = {}
    for label, n in (("small", N_SMALL), ("large", N_LARGE)):
        org = make_organisation(f"bench-{label}", "TU", name=f"Tỉnh ủy Bench {label}")
        people = {
            "clerk": make_user(org, f"vanthu-{label}", roles=["clerk"], clearance=3, full_name="Phạm Thu Hà"),
            "leader": make_user(org, f"bithu-{label}", roles=["standing_leader"], clearance=3),
            "units": [
                make_unit(org, name)
                for name in (
                    "Văn phòng Tỉnh ủy",
                    "Ban Tổ chức Tỉnh ủy",
                    "Ban Tuyên giáo Tỉnh ủy",
                    "Ủy ban Kiểm tra",
                )
            ],
        }
        seconds = generate(org, n, people)
        print(f"  generated {n} documents in {seconds:.1f} s ({n / seconds:,.0f}/s)")
        sys.stdout.flush()
        if engine == "postgresql":
            with connection.cursor() as cursor:
                for table in ("documents_incomingdocument", "documents_routing", "documents_assignment"):
                    cursor.execute(f"VACUUM ANALYZE {table}")
        results[label] = {
            "n": n,
            "generate_per_s": round(n / seconds),
            **measure(org, people["clerk"], label == "large"),
        }

    small, large = results["small"], results["large"]
    figures: dict[str, Any] = {"n_small": small["n"], "n_large": large["n"]}
    figures["generate_per_s_large"] = large["generate_per_s"]
    for key in small:
        if key.endswith("_ms"):
            figures[f"{key}_small"] = small[key]
            figures[f"{key}_large"] = large[key]
            figures[f"{key[:-3]}_ratio"] = round(large[key] / small[key], 1) if small[key] else None
        elif key.endswith(("_queries", "_rows", "_kb")) or key.startswith("matching_"):
            figures[f"{key}_small"] = small[key]
            figures[f"{key}_large"] = large[key]
    for label, result in (("small", small), ("large", large)):  # an export grows with its rows, fairly
        figures[f"export_month_ms_per_row_{label}"] = round(
            result["export_month_ms"] / result["export_month_rows"], 2
        )
    report(f"registers-{engine}", figures)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        run_one(sys.argv[2] if len(sys.argv) > 2 else None)
        return
    pg = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vanphong_bench")
    subprocess.run([sys.executable, __file__, "--one"], check=True)
    url = urlsplit(pg)
    subprocess.run(  # create the database if missing (an error when it exists is ignored)
        [
            *("createdb", "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)),
            *("-U", url.username or "postgres", url.path.lstrip("/")),
        ],
        capture_output=True,
    )
    subprocess.run([sys.executable, __file__, "--one", pg], check=True)


if __name__ == "__main__":
    main()
