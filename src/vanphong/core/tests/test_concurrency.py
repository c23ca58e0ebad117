"""Many clerks writing at once: the audit chain stays one unbroken sequence (SQLite and PostgreSQL)."""

import threading

import pytest
from django.db import close_old_connections, connection

from vanphong.core import audit
from vanphong.core.models import AuditChain, AuditEvent
from vanphong.org.models import Person
from vanphong.testing import make_organisation, make_person

WRITERS = 6
EACH = 8


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_writers_keep_the_chain_consecutive():
    org = make_organisation("song-song", "TU")
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def write(worker: int) -> None:
        try:
            start.wait()
            for index in range(EACH):
                make_person(org, f"Nguyễn Văn Luồng{worker}x{index}")
        except BaseException as error:  # reported below; a thread cannot fail the test itself
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Person.objects.filter(organisation=org).count() == WRITERS * EACH
    chain = AuditChain.objects.get(organisation=org)
    seqs = list(AuditEvent.objects.filter(chain=chain).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, chain.last_seq + 1))
    assert audit.verify([chain]) == (len(seqs), [])
