"""Follow-up of tasks at province scale: do the pages cost what they show, or what the table holds?

For each size N (default 100,000 and 1,000,000; `--sizes 100000 1000000`), a fresh database with a
province and 129 commune committees (130 organisations), four units each with a member who has an
account, an office chief, 20 sources per organisation, and N tasks spread evenly over them:
deadlines over five years up to three months ahead; past tasks mostly done (on time or late), some
cancelled, 2% still open (overdue); future ones not started, in progress or extended; ~5% Mật,
~1% Tuyệt mật; the reminder columns as a daily job would have left them (overdue tasks reminded on
one of the last seven days). Rows are loaded with COPY / executemany (bench/registers.py's loader),
then the per-month counts the services keep (TaskTally) are rebuilt with `followup.workflow.recount`.

Measured through the real views (test Client, signed in as the office chief, warm, median of 5):
- the dashboard of one commune committee (counts by status, on-time rate, overdue list, timeline);
- the dashboard of the province, which adds the roll-up of its 129 communes' figures (from the
  counts, plus the open tasks due this month and within the due-soon window);
- the overdue list of the province (the task list filtered by status, first page);
and the daily reminder job (`followup.reminders.run`, no e-mail), once: time, tasks reminded, and
time per reminded task; then its second run on the same day (nothing due: the cost of looking).
Wall time, CPU time of the benchmark process and SQL queries per page (the machine may be shared:
the CPU time does not count waiting for other processes); comparing the sizes shows the growth.
`--db sqlite`, `--db postgres` or both (default); BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/vanphong_bench_followup). PostgreSQL tables are VACUUM ANALYZEd
after loading, as autovacuum would; SQLite is left as a deployment leaves it (no ANALYZE).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import subprocess
import sys
import time
from typing import Any
from urllib.parse import urlsplit

ORGS = 130
SOURCES_PER_ORG = 20
BATCH = 20_000
VERBOSE = bool(os.environ.get("BENCH_VERBOSE"))
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/vanphong_bench_followup"
CONTENTS = [
    "Triển khai thực hiện {x}",
    "Sơ kết việc thực hiện {x}",
    "Báo cáo kết quả {x}",
    "Kiểm tra, giám sát việc thực hiện {x}",
    "Xây dựng kế hoạch thực hiện {x}",
    "Tổ chức hội nghị quán triệt {x}",
]
TOPICS = [
    "Nghị quyết số {n}-NQ/TU",
    "Kết luận số {n}-KL/TU",
    "chuyển đổi số trong các cơ quan Đảng",
    "công tác phát triển đảng viên",
    "phòng, chống tham nhũng, lãng phí, tiêu cực",
    "cải cách hành chính",
]


def build_organisations() -> list[dict[str, Any]]:
    """130 organisations, each with units, people with accounts, an office chief and sources."""
    from django.utils import timezone

    from vanphong.core.access import Actor
    from vanphong.followup import assignment
    from vanphong.org.models import Person
    from vanphong.testing import make_organisation, make_person, make_unit, make_user

    today = timezone.localdate()
    province = make_organisation("bench-province", "TU", name="Tỉnh ủy Bench")
    orgs = [province] + [
        make_organisation(
            f"bench-commune-{i}", "ĐU", name=f"Đảng ủy xã Bench {i}", level="commune", parent=province
        )
        for i in range(1, ORGS)
    ]
    built = []
    for index, org in enumerate(orgs):
        units = [
            make_unit(org, name) for name in ("Văn phòng", "Ban Xây dựng Đảng", "Ủy ban Kiểm tra", "Chi bộ 1")
        ]
        people: list[Person] = []
        for number, unit in enumerate(units):
            user = make_user(org, f"u{index}-{number}", roles=["specialist"], clearance=1)
            people.append(
                make_person(
                    org,
                    f"Nguyễn Văn Cán Bộ {number}",
                    unit=unit,
                    user=user,
                    email=f"u{index}-{number}@example.vn",
                )
            )
        chief = make_user(org, f"chanhvp-{index}", roles=["office_chief"], clearance=2)
        make_person(org, "Đặng Minh Khánh", unit=units[0], user=chief, email=f"chief{index}@example.vn")
        actor = Actor.system_for(org)
        sources = [
            assignment.create_source(
                actor,
                kind="conclusion",
                title=f"Kết luận số {n}",
                reference=f"{n}-KL",
                issued_on=today - datetime.timedelta(days=5 * 365),
            )
            for n in range(1, SOURCES_PER_ORG + 1)
        ]
        built.append({"org": org, "units": units, "people": people, "chief": chief, "sources": sources})
    return built


def generate(built: list[dict[str, Any]], n: int, today: datetime.date) -> float:
    """Load n tasks over the organisations; seconds taken."""
    sys.path.insert(0, os.path.dirname(__file__))
    from django.db import connection
    from registers import _Loader

    from vanphong.followup.models import Task

    rng = random.Random(2026)
    loader = _Loader(Task)
    start = time.perf_counter()
    # A bulk load builds the status indexes once at the end rather than row by row.
    with connection.schema_editor() as editor:
        for index in Task._meta.indexes:
            editor.remove_index(Task, index)
    rows: list[dict[str, Any]] = []
    now = datetime.datetime.now(datetime.UTC)
    span = 5 * 365  # five years of deadlines, up to three months ahead
    first = today + datetime.timedelta(days=90) - datetime.timedelta(days=span)
    for i in range(n):
        place = built[i % len(built)]
        deadline = first + datetime.timedelta(days=rng.randrange(span))
        assigned = deadline - datetime.timedelta(days=rng.randint(10, 120))
        roll = rng.random()
        progress, done_on, cancelled_on, original, reminded_overdue, reminded_before = (
            0,
            None,
            None,
            None,
            None,
            None,
        )
        if deadline < today:
            if roll < 0.70:
                phase, progress = "done_on_time", 100
                done_on = deadline - datetime.timedelta(days=rng.randint(0, 9))
            elif roll < 0.85:
                phase, progress = "done_late", 100
                done_on = deadline + datetime.timedelta(days=rng.randint(1, 40))
            elif roll < 0.98:
                phase, cancelled_on = "cancelled", deadline - datetime.timedelta(days=3)
            else:  # still open, overdue: reminded by the daily job on one of the last seven days
                phase = rng.choice(["not_started", "in_progress", "in_progress", "extended"])
                progress = rng.randint(10, 90) if phase != "not_started" else 0
                reminded_overdue = max(
                    deadline + datetime.timedelta(days=1), today - datetime.timedelta(days=rng.randint(0, 7))
                )
                if reminded_overdue >= today:
                    reminded_overdue = None
        else:
            phase = "not_started" if roll < 0.45 else ("in_progress" if roll < 0.9 else "extended")
            progress = rng.randint(5, 90) if phase != "not_started" else 0
        if phase == "extended":
            original = deadline - datetime.timedelta(days=rng.randint(10, 60))
            assigned = min(assigned, original)
        if done_on is not None:
            done_on = max(done_on, assigned)
        secret = rng.random()
        rows.append(
            {
                "organisation_id": place["org"].pk,
                "source_id": rng.choice(place["sources"]).pk,
                "parent_id": None,
                "series_id": None,
                "content": rng.choice(CONTENTS).format(x=rng.choice(TOPICS).format(n=rng.randint(1, 99))),
                "expected_product": "Báo cáo",
                "lead_unit_id": rng.choice(place["units"]).pk,
                "responsible_id": rng.choice(place["people"]).pk,
                "secrecy": 0 if secret < 0.94 else (1 if secret < 0.99 else 3),
                "weight": 100,
                "assigned_on": assigned,
                "deadline": deadline,
                "deadline_days": None,
                "original_deadline": original,
                "recurrence": "",
                "repeat_until": None,
                "period_quarter": None,
                "period_month": None,
                "progress": progress,
                "phase": phase,
                "done_on": done_on,
                "cancelled_on": cancelled_on,
                "cancelled_reason": "Không còn phù hợp" if cancelled_on else "",
                "evaluation": "",
                "evaluation_note": "",
                "evaluated_by_id": None,
                "reminded_before": reminded_before,
                "reminded_overdue_on": reminded_overdue,
                "created_by_id": None,
                "created_at": now,
            }
        )
        if len(rows) >= BATCH:
            loader.insert(rows)
            rows = []
    if rows:
        loader.insert(rows)
    loader.finish()
    with connection.schema_editor() as editor:
        for index in Task._meta.indexes:
            editor.add_index(Task, index)
    return time.perf_counter() - start


def _median_ms(fn: Any, repeat: int = 5) -> tuple[float, float]:
    """Median wall time and median CPU time of this process, in ms. The machine is shared: the CPU
    time is what the page costs here whatever else runs (for SQLite, all of it; for PostgreSQL,
    without the server's share)."""
    wall, cpu = [], []
    for _ in range(repeat):
        begin, begin_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
    return round(sorted(wall)[len(wall) // 2], 1), round(sorted(cpu)[len(cpu) // 2], 1)


def measure(built: list[dict[str, Any]], today: datetime.date) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from vanphong.followup import reminders
    from vanphong.followup.models import Reminder

    figures: dict[str, Any] = {}
    pages = {
        "commune_dashboard": (built[7], "/followup/"),
        "province_dashboard": (built[0], "/followup/"),
        "province_overdue_list": (built[0], "/followup/tasks/?status=overdue"),
    }
    for name, (place, url) in pages.items():
        client = Client()
        client.force_login(place["chief"])

        def get(client: Client = client, url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        get()  # warm
        queries: list[tuple[float, str]] = []

        def count(
            execute: Any, sql: str, params: Any, many: bool, context: Any, queries: list[Any] = queries
        ) -> Any:
            begin = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append((time.perf_counter() - begin, sql))

        with connection.execute_wrapper(count):
            get()
        figures[f"{name}_ms"], figures[f"{name}_cpu_ms"] = _median_ms(get)
        figures[f"{name}_queries"] = len(queries)
        if VERBOSE:
            for seconds, sql in sorted(queries, reverse=True)[:4]:
                print(f"     {seconds * 1000:.1f} ms  {sql[:400]}")
    begin = time.perf_counter()
    summary = reminders.run(today, send_email=False)
    seconds = time.perf_counter() - begin
    reminded = summary.before + summary.overdue
    assert Reminder.objects.count() == reminded
    figures["reminder_job_ms"] = round(seconds * 1000)
    figures["reminder_job_tasks"] = reminded
    figures["reminder_job_ms_per_task"] = round(seconds * 1000 / reminded, 3) if reminded else None
    begin = time.perf_counter()
    again = reminders.run(today, send_email=False)
    figures["reminder_job_again_ms"] = round((time.perf_counter() - begin) * 1000)
    assert again.before + again.overdue == 0
    return figures


def run_one(database_url: str | None, n: int) -> None:
    sys.path.insert(0, os.path.dirname(__file__))
    from _setup import django_setup, report

    django_setup(database_url)
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from vanphong.followup import workflow

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # users, not hashing
    setup_test_environment()
    engine = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    today = timezone.localdate()
    built = build_organisations()
    seconds = generate(built, n, today)
    begin = time.perf_counter()
    workflow.recount()  # the counts the services keep, as after a bulk import
    recount_s = time.perf_counter() - begin
    print(f"  {engine}: generated {n:,} tasks in {seconds:.1f} s ({n / seconds:,.0f}/s)")
    print(f"  {engine}: counts rebuilt in {recount_s:.1f} s")
    sys.stdout.flush()
    if engine == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE followup_task")
            cursor.execute("VACUUM ANALYZE followup_tasktally")
    report(f"followup-{engine}-{n}", {"n": n, "organisations": ORGS, **measure(built, today)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--one", nargs=2, metavar=("DATABASE_URL", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(None if args.one[0] == "sqlite" else args.one[0], int(args.one[1]))
        return
    pg = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
    if args.db in ("postgres", "both"):
        url = urlsplit(pg)
        subprocess.run(  # create the database if missing (an error when it exists is ignored)
            [
                *("createdb", "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)),
                *("-U", url.username or "postgres", url.path.lstrip("/")),
            ],
            capture_output=True,
        )
    for n in args.sizes:
        for engine in ("sqlite", "postgres"):
            if args.db in (engine, "both"):
                target = "sqlite" if engine == "sqlite" else pg
                subprocess.run([sys.executable, __file__, "--one", target, str(n)], check=True)


if __name__ == "__main__":
    main()
