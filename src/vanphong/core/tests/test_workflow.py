"""The workflow engine (core.workflow): two people acting at once on one object, one wins."""

from __future__ import annotations

import pytest

from vanphong.testing import one_wins, race


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
