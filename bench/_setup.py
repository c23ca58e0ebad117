"""Shared set-up for benchmarks: a fresh database (SQLite in a temp folder, or BENCH_DATABASE_URL)."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any


def django_setup(database_url: str | None = None) -> None:
    data_dir = tempfile.mkdtemp(prefix="vanphong-bench-")
    os.environ["VANPHONG_DATA_DIR"] = data_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanphong.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if database_url:
        from django.db import connection

        with connection.cursor() as cursor:  # start from an empty schema
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0, interactive=False)


def timed(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, float]:
    """Median and minimum wall time in milliseconds over `repeat` runs."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples)


def report(name: str, figures: dict[str, Any]) -> None:
    for key, value in figures.items():
        print(f"  {key:<40} {value}")
    print(json.dumps({"bench": name, **figures}, ensure_ascii=False))
    sys.stdout.flush()
