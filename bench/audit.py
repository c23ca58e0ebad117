"""Audit log: cost of the hash chain on each write, and verification speed.

Peer: the same rows inserted without an audit event (the write itself). Prints events/s for appends
and verification, and the ratio of an audited write to a plain one. Runs in a subprocess per database.
BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/vanphong_bench) adds PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

N = int(os.environ.get("BENCH_N", "2000"))


def run_one(database_url: str | None) -> None:
    sys.path.insert(0, os.path.dirname(__file__))
    from _setup import django_setup, report

    django_setup(database_url)
    from django.db import transaction

    from vanphong.core import audit
    from vanphong.core.models import CalendarOverride
    from vanphong.testing import make_organisation

    org = make_organisation("bench", "TU")
    import datetime

    base = datetime.date(2000, 1, 1)

    start = time.perf_counter()
    for i in range(N):
        with transaction.atomic():
            CalendarOverride.objects.create(
                organisation=org, date=base + datetime.timedelta(days=i), is_working_day=True, name="x"
            )
    plain = time.perf_counter() - start

    start = time.perf_counter()
    for i in range(N):
        with transaction.atomic():
            row = CalendarOverride.objects.create(
                organisation=org, date=base + datetime.timedelta(days=N + i), is_working_day=True, name="x"
            )
            audit.record(
                actor=None, organisation=org, action="bench.created", obj=row, after=audit.snapshot(row)
            )
    audited = time.perf_counter() - start

    start = time.perf_counter()
    checked, problems = audit.verify()
    verify_s = time.perf_counter() - start
    assert problems == []
    engine = "postgresql" if database_url else "sqlite"
    report(
        f"audit-{engine}",
        {
            "writes": N,
            "plain_writes_per_s": round(N / plain),
            "audited_writes_per_s": round(N / audited),
            "audited_to_plain_time_ratio": round(audited / plain, 2),
            "verify_events_per_s": round(checked / verify_s),
        },
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        run_one(sys.argv[2] if len(sys.argv) > 2 else None)
        return
    pg = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vanphong_bench")
    subprocess.run([sys.executable, __file__, "--one"], check=True)
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", pg.rsplit("/", 1)[1]], capture_output=True
    )
    subprocess.run([sys.executable, __file__, "--one", pg], check=True)


if __name__ == "__main__":
    main()
