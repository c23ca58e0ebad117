"""The petition workflow: its data, and two officers acting at once on one petition.

In each race both officers read the petition first (two pages open), then act at the same moment;
the second acts on what the first left, so the history and the deadlines stay true.
"""

from __future__ import annotations

import pytest

from vanphong.petitions.intake import accept, file_away
from vanphong.petitions.models import CLOSED_STATES, Petition, State, Step
from vanphong.petitions.tests.conftest import build_reception
from vanphong.petitions.workflow import WORKFLOW
from vanphong.testing import one_wins, race, today

RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_workflow_data_reaches_every_state_and_closed_states_are_final():
    def allowed_from(state: str) -> list:
        return [t for t in WORKFLOW.transitions if state in t.sources]

    reached: set[str] = {State.RECEIVED}
    frontier: list[str] = [State.RECEIVED]
    while frontier:
        for transition in allowed_from(frontier.pop()):
            if transition.target and transition.target not in reached:
                reached.add(transition.target)
                frontier.append(transition.target)
    assert reached == set(State.values)
    assert all(not allowed_from(state) for state in CLOSED_STATES)
    assert all(set(t.sources) <= set(State.values) for t in WORKFLOW.transitions)


def _read_twice(petition: Petition) -> tuple[Petition, Petition]:
    return Petition.objects.get(pk=petition.pk), Petition.objects.get(pk=petition.pk)


def _steps(petition: Petition) -> list[str]:
    return list(Step.objects.filter(petition=petition).values_list("action", flat=True))


@RACE
def test_two_officers_accepting_and_filing_one_petition_at_once(org_a):
    reception = build_reception(org_a)
    petition = reception.petition()
    first, second = reception.actor(reception.officer), reception.actor(reception.officer2)
    seen_first, seen_second = _read_twice(petition)
    one_wins(
        race(
            lambda: accept(first, seen_first, on=today()),
            lambda: file_away(second, seen_second, reason="Trùng đơn đã giải quyết", on=today()),
        )
    )
    assert len(_steps(petition)) == 2  # registered, then accepted or filed
