"""Numbers under concurrency: many clerks issuing at once get 1..K, no repeats, no gaps (SQLite and
PostgreSQL); a transaction that takes a number and then fails gives it back. On PostgreSQL also
separate processes, each with its own connection, as several web workers would be.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import threading
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import close_old_connections, connection, connections, transaction
from django.utils import timezone

from vanphong.core.files import delete_file
from vanphong.core.models import Organisation
from vanphong.documents import numbering, outgoing
from vanphong.documents.models import (
    IncomingDocument,
    NumberSequence,
    OutgoingDocument,
    OutgoingStatus,
)
from vanphong.documents.tests.conftest import build_office, pdf_bytes

THREADS = 8
EACH = 4  # documents issued by each thread
BROKEN = 4  # approved documents whose delivery fails after the number was taken
ABORTED = 2  # bare transactions per thread that take a number and then raise

PROCESSES = 4
TAKES = 40  # numbers taken by each process, every fifth in a transaction that fails


class Aborted(Exception):
    pass


@pytest.fixture
def document_types(db: Any) -> None:
    """The shipped types come from a data migration; an earlier transactional test flushed them."""
    loader = importlib.import_module("vanphong.documents.migrations.0002_document_types")
    loader.load(django_apps, None)


def _approved(office: Any, count: int, **fields: Any) -> list[OutgoingDocument]:
    docs = []
    for index in range(count):
        doc = office.draft(summary=f"Về việc thử cấp số đồng thời {index}", **fields)
        outgoing.submit_for_approval(office.actor(office.specialist), doc)
        outgoing.approve(office.actor(office.secretary), doc)
        docs.append(doc)
    return docs


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_issuing_numbers_one_to_k_and_failures_take_none(
    document_types: None, org_a: Organisation, org_b: Organisation
) -> None:
    office = build_office(org_a)
    clerk = office.actor(office.clerk)
    good = _approved(office, THREADS * EACH)
    broken = _approved(office, BROKEN, files=[("phu-luc.pdf", pdf_bytes())], internal_recipients=[org_b])
    for doc in broken:  # the stored file is gone: delivery to org_b fails after the number is taken
        for attachment in doc.attachments.all():
            delete_file(attachment.path)
    key = numbering.outgoing_sequence(org_a, office.doc_type("NQ"), 0, timezone.localdate()).key

    work: list[list[OutgoingDocument | None]] = [
        list(good[n * EACH : (n + 1) * EACH]) for n in range(THREADS)
    ]
    for index, doc in enumerate(broken):
        work[index % THREADS].insert(1, doc)
    for items in work:
        items[2:2] = [None] * ABORTED  # None: a bare transaction that takes a number and fails

    errors: list[BaseException] = []
    failed: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def run(items: list[OutgoingDocument | None]) -> None:
        try:
            start.wait()
            for doc in items:
                if doc is None:
                    try:
                        with transaction.atomic():
                            numbering.take_number(org_a, key)
                            raise Aborted
                    except Aborted:
                        with lock:
                            failed.append("aborted")
                    continue
                try:
                    outgoing.issue(clerk, doc)
                except FileNotFoundError:
                    with lock:
                        failed.append(str(doc.pk))
        except BaseException as error:  # reported below; a thread cannot fail the test itself
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(items,)) for items in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(failed) == sorted([str(doc.pk) for doc in broken] + ["aborted"] * (THREADS * ABORTED))
    issued = OutgoingDocument.objects.filter(organisation=org_a, number_key=key, number__isnull=False)
    numbers = sorted(n for n in issued.values_list("number", flat=True) if n is not None)
    assert numbers == list(range(1, len(good) + 1))
    assert NumberSequence.objects.get(organisation=org_a, key=key).last_number == len(good)
    assert set(issued.values_list("pk", flat=True)) == {doc.pk for doc in good}
    assert all(doc.status == OutgoingStatus.ISSUED for doc in issued)
    references = set(issued.values_list("reference", flat=True))
    assert len(references) == len(good)
    for doc in broken:  # rolled back whole: still approved, unnumbered, nothing delivered
        doc.refresh_from_db()
        assert (doc.status, doc.number, doc.reference, doc.issued_on) == (
            OutgoingStatus.APPROVED,
            None,
            "",
            None,
        )
    assert not IncomingDocument.objects.filter(organisation=org_b).exists()
    assert not NumberSequence.objects.filter(organisation=org_b, last_number__gt=0).exists()


def _take_numbers(organisation_id: int, key: str, count: int) -> list[int]:
    """Run in a spawned process (Django was set up by the pool's initializer against the test DB)."""
    organisation = Organisation.objects.get(pk=organisation_id)
    kept = []
    try:
        for index in range(count):
            try:
                with transaction.atomic():
                    number = numbering.take_number(organisation, key)
                    if index % 5 == 4:
                        raise Aborted
            except Aborted:
                continue
            kept.append(number)
    finally:
        connections.close_all()
    return kept


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_separate_processes_take_consecutive_numbers(org_a: Organisation) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("separate processes need a server database; SQLite is covered by the threads above")
    key = numbering.incoming_key(timezone.localdate().year)
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    url = (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or 'localhost'}"
        f":{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    saved = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url  # the spawned workers read it when django.setup() runs
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanphong.settings")
    try:
        import django

        context = multiprocessing.get_context("spawn")
        with context.Pool(PROCESSES, initializer=django.setup) as pool:
            results = pool.starmap(_take_numbers, [(org_a.pk, key, TAKES)] * PROCESSES)
    finally:
        if saved is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = saved
    numbers = sorted(n for kept in results for n in kept)
    kept_each = TAKES - TAKES // 5
    assert [len(kept) for kept in results] == [kept_each] * PROCESSES
    assert numbers == list(range(1, PROCESSES * kept_each + 1))
    assert NumberSequence.objects.get(organisation=org_a, key=key).last_number == PROCESSES * kept_each
