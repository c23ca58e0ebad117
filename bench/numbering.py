"""Document numbers under contention: 16 writer processes, each with its own connection.

Modes: (a) bare `numbering.take_number` in its own transaction, for BENCH_SECONDS; (b) a full
`documents.outgoing.issue` of pre-approved drafts (BENCH_ISSUES each), so the cost of a real issue shows.
Every number handed out is checked: duplicates and gaps must both be 0. Peer: the same loop on a
plain PostgreSQL SEQUENCE (`nextval`: fast, but a rolled-back transaction leaves a gap); on SQLite an
AUTOINCREMENT insert plays that part. Prints allocations/s and the ratio ours/peer, and the rate of
a gapless counter in one statement (UPDATE ... RETURNING) for comparison.
Runs in a subprocess per database. BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/vanphong_bench) adds PostgreSQL.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from typing import Any
from urllib.parse import urlsplit

WORKERS = int(os.environ.get("BENCH_WORKERS", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
ISSUES = int(os.environ.get("BENCH_ISSUES", "50"))  # issued by each worker in mode (b)

_barrier: Any = None


def _init(barrier: Any) -> None:
    """Pool initializer: Django against the database the parent prepared (environment inherited)."""
    global _barrier
    _barrier = barrier
    import django

    django.setup()


def _loop(step: Any, seconds: float) -> tuple[list[int], float]:
    from django.db import connections

    _barrier.wait()
    taken = []
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        taken.append(step())
    elapsed = time.perf_counter() - start
    connections.close_all()
    return taken, elapsed


def _take(org_id: int, key: str, seconds: float) -> tuple[list[int], float]:
    from django.db import transaction

    from vanphong.core.models import Organisation
    from vanphong.documents import numbering

    organisation = Organisation.objects.get(pk=org_id)

    def step() -> int:
        with transaction.atomic():
            return numbering.take_number(organisation, key)

    return _loop(step, seconds)


def _peer(vendor: str, seconds: float) -> tuple[list[int], float]:
    from django.db import connection, transaction

    def step() -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            if vendor == "postgresql":
                cursor.execute("SELECT nextval('bench_peer_seq')")
                return int(cursor.fetchone()[0])
            cursor.execute("INSERT INTO bench_peer_seq DEFAULT VALUES")
            return int(cursor.lastrowid)

    return _loop(step, seconds)


def _update_returning(org_id: int, key: str, seconds: float) -> tuple[list[int], float]:
    """A gapless counter in one statement: what take_number's SELECT FOR UPDATE + UPDATE could be."""
    from django.db import connection, transaction

    from vanphong.documents.models import NumberSequence

    table = NumberSequence._meta.db_table

    def step() -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET last_number = last_number + 1 "
                "WHERE organisation_id = %s AND key = %s RETURNING last_number",
                [org_id, key],
            )
            return int(cursor.fetchone()[0])

    return _loop(step, seconds)


def _issue(org_id: int, clerk_id: int, doc_ids: list[int]) -> tuple[list[int], float]:
    from django.db import connections

    from vanphong.accounts.models import User
    from vanphong.core.models import Organisation
    from vanphong.documents import outgoing
    from vanphong.documents.models import OutgoingDocument
    from vanphong.testing import actor_of

    actor = actor_of(User.objects.get(pk=clerk_id), Organisation.objects.get(pk=org_id))
    docs = list(OutgoingDocument.objects.filter(pk__in=doc_ids).select_related("organisation", "doc_type"))
    _barrier.wait()
    numbers = []
    start = time.perf_counter()
    for doc in docs:
        numbers.append(outgoing.issue(actor, doc).number)
    elapsed = time.perf_counter() - start
    connections.close_all()
    return numbers, elapsed


def _check(numbers: list[int], last: int) -> tuple[int, int]:
    """(duplicates, gaps) of the numbers handed out against 1..last."""
    distinct = set(numbers)
    return len(numbers) - len(distinct), len(set(range(1, last + 1)) - distinct) + len(
        distinct - set(range(1, last + 1))
    )


def run_one(database_url: str | None) -> None:
    sys.path.insert(0, os.path.dirname(__file__))
    from _setup import django_setup, report

    django_setup(database_url)
    import datetime

    from django.db import connection, connections
    from django.utils import timezone

    from vanphong.documents import numbering
    from vanphong.documents.models import DocumentType, NumberSequence, OutgoingDocument, OutgoingStatus
    from vanphong.testing import make_organisation, make_term, make_user

    vendor = connection.vendor
    org = make_organisation("bench", "TU")
    make_term(org, "Khóa XVII", datetime.date(2025, 10, 15))
    clerk = make_user(org, "vanthu", roles=["clerk"], clearance=3)
    doc_type = DocumentType.objects.get(symbol="NQ")
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("CREATE SEQUENCE bench_peer_seq")
        else:
            cursor.execute("CREATE TABLE bench_peer_seq (id INTEGER PRIMARY KEY AUTOINCREMENT)")
    drafts = OutgoingDocument.objects.bulk_create(
        [
            OutgoingDocument(
                organisation=org,
                doc_type=doc_type,
                summary=f"Về việc thử cấp số {index}",
                status=OutgoingStatus.APPROVED,
                created_by=clerk,
                approved_by=clerk,
                approved_at=timezone.now(),
                search_text=f"ve viec thu cap so {index}",
            )
            for index in range(WORKERS * ISSUES)
        ],
        batch_size=1000,
    )
    draft_ids = [doc.pk for doc in drafts]
    out_key, _term = numbering.outgoing_key(org, doc_type, 0, timezone.localdate())
    in_key = numbering.incoming_key(timezone.localdate().year)
    one_key = "bench:update-returning"
    NumberSequence.objects.create(organisation=org, key=one_key)
    connections.close_all()  # the workers must not inherit an open connection

    context = multiprocessing.get_context("spawn")
    with context.Pool(WORKERS, initializer=_init, initargs=(context.Barrier(WORKERS),)) as pool:

        def run(fn: Any, args: list[tuple[Any, ...]]) -> tuple[list[int], float]:
            results = pool.starmap(fn, args, chunksize=1)
            return [n for numbers, _s in results for n in numbers], max(s for _n, s in results)

        taken, take_s = run(_take, [(org.pk, in_key, SECONDS)] * WORKERS)
        peer, peer_s = run(_peer, [(vendor, SECONDS)] * WORKERS)
        one, one_s = run(_update_returning, [(org.pk, one_key, SECONDS)] * WORKERS)
        chunks = [(org.pk, clerk.pk, draft_ids[w * ISSUES : (w + 1) * ISSUES]) for w in range(WORKERS)]
        issued, issue_s = run(_issue, chunks)

    take_dup, take_gaps = _check(taken, NumberSequence.objects.get(organisation=org, key=in_key).last_number)
    stored = list(
        OutgoingDocument.objects.filter(organisation=org, number_key=out_key).values_list("number", flat=True)
    )
    issue_dup, issue_gaps = _check(
        [n for n in stored if n is not None],
        NumberSequence.objects.get(organisation=org, key=out_key).last_number,
    )
    issue_dup = max(issue_dup, len(issued) - len(set(issued)))
    one_dup, one_gaps = _check(one, NumberSequence.objects.get(organisation=org, key=one_key).last_number)
    take_rate, peer_rate, issue_rate = len(taken) / take_s, len(peer) / peer_s, len(issued) / issue_s
    one_rate = len(one) / one_s
    engine = "postgresql" if vendor == "postgresql" else "sqlite"
    report(
        f"numbering-{engine}",
        {
            "workers": WORKERS,
            "take_number_allocations": len(taken),
            "take_number_per_s": round(take_rate),
            "take_number_duplicates": take_dup,
            "take_number_gaps": take_gaps,
            "peer": "sequence nextval" if vendor == "postgresql" else "autoincrement insert",
            "peer_per_s": round(peer_rate),
            "ours_to_peer_rate_ratio": round(take_rate / peer_rate, 2),
            "update_returning_per_s": round(one_rate),
            "update_returning_duplicates_gaps": one_dup + one_gaps,
            "update_returning_to_peer_rate_ratio": round(one_rate / peer_rate, 2),
            "issue_allocations": len(issued),
            "issue_per_s": round(issue_rate, 1),
            "issue_duplicates": issue_dup,
            "issue_gaps": issue_gaps,
            "issue_ms_each_at_16": round(1000 * issue_s * WORKERS / len(issued), 1),
        },
    )
    assert take_dup == take_gaps == issue_dup == issue_gaps == one_dup == one_gaps == 0


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
