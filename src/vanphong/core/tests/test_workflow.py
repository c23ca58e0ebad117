"""The workflow engine (core.workflow): two people acting at once on one object, one wins."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection


def race(*calls: Callable[[], Any]) -> list[BaseException | Any]:
    """Run the calls at once in threads (each with its own connection); their results or errors."""
    start = threading.Barrier(len(calls))
    outcomes: list[BaseException | Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            start.wait()
            outcomes[index] = calls[index]()
        except BaseException as error:  # returned to the test
            outcomes[index] = error
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def one_wins(outcomes: list[Any]) -> None:
    refused = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(refused) == len(outcomes) - 1, outcomes
    assert all(isinstance(o, ValidationError) and o.code == "state" for o in refused), refused


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_accepting_one_petition_at_once(org_a):
    from vanphong.petitions import services
    from vanphong.petitions.models import Petition, Step
    from vanphong.petitions.tests.conftest import build_reception
    from vanphong.testing import today

    reception = build_reception(org_a)
    petition = reception.petition()
    first, second = reception.actor(reception.officer), reception.actor(reception.officer2)
    # Both read the petition (two pages open), then both act.
    seen_first, seen_second = (Petition.objects.get(pk=petition.pk) for _ in range(2))
    one_wins(
        race(
            lambda: services.accept(first, seen_first, on=today()),
            lambda: services.file_away(second, seen_second, reason="Trùng đơn đã giải quyết", on=today()),
        )
    )
    assert Step.objects.filter(petition=petition).exclude(action="register").count() == 1
