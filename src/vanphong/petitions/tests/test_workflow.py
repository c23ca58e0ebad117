"""The petition workflow: its data, and two officers acting at once on one petition.

In each race both officers read the petition first (two pages open), then act at the same moment;
the second acts on what the first left, so the history and the deadlines stay true.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vanphong.accounts.models import User
from vanphong.documents.models import OutgoingDocument
from vanphong.petitions.handling import assign, classify, conclude, extend
from vanphong.petitions.intake import accept, file_away, transfer
from vanphong.petitions.models import (
    CLOSED_STATES,
    Competence,
    Extension,
    HandlerRole,
    Petition,
    State,
    Step,
)
from vanphong.petitions.tests.conftest import Reception, build_reception
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


def _accepted(reception: Reception, **fields: object) -> Petition:
    petition = reception.denunciation(**fields)
    accept(reception.actor(reception.chief), petition, on=today())
    return petition


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


@RACE
def test_a_letter_transferred_and_filed_at_once_leaves_no_letter_for_the_filing(org_a):
    reception = build_reception(org_a)
    petition = reception.petition(competence=Competence.STATE)
    seen_first, seen_second = _read_twice(petition)
    one_wins(
        race(
            lambda: transfer(reception.actor(reception.officer), seen_first, to_body="UBND xã Tân Hòa"),
            lambda: file_away(reception.actor(reception.chief), seen_second, reason="Không đủ điều kiện"),
        )
    )
    petition.refresh_from_db()
    assert len(_steps(petition)) == 2
    # The transfer letter was drafted in the transfer's transaction: it is gone if the filing won.
    transferred = petition.state == State.TRANSFERRED
    assert OutgoingDocument.objects.count() == (1 if transferred else 0)
    assert (petition.transfer_letter_id is not None) == transferred


@RACE
def test_the_chief_naming_other_handlers_while_the_handler_concludes(org_a):
    reception = build_reception(org_a)
    chief, officer = reception.actor(reception.chief), reception.actor(reception.officer)
    # Registered by the chief, so that the officer handles it only as the lead named here.
    petition = _accepted(reception, user=reception.chief)
    assign(chief, petition, lead=reception.officer)
    before = len(_steps(petition))
    seen_first, seen_second = _read_twice(petition)
    outcomes = race(
        lambda: assign(chief, seen_first, lead=reception.officer2),
        lambda: conclude(officer, seen_second, on=today(), conclusion="Tố cáo đúng một phần."),
    )
    refused = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    assert len(refused) == 1, outcomes
    petition.refresh_from_db()
    lead = petition.handlers.get(role=HandlerRole.LEAD).user
    if petition.state == State.CONCLUDED:
        # Concluded first: a concluded case gets no new handlers.
        assert isinstance(refused[0], ValidationError) and refused[0].code == "state"
        assert lead == reception.officer
    else:
        # Named first: the officer is no longer a handler of the case and may not conclude it.
        assert isinstance(refused[0], PermissionDenied) and str(refused[0])
        assert petition.state == State.VERIFYING and lead == reception.officer2
    assert len(_steps(petition)) == before + 1


def _extension(reception: Reception, user: User, petition: Petition, number: int) -> Extension:
    return extend(
        reception.actor(user),
        petition,
        decision_reference=f"{number}-QĐ/TU",
        decided_on=today(),
        days=30,
        reason="Phải xác minh tại nhiều nơi",
    )


@RACE
def test_two_extensions_decided_at_once_stay_within_the_legal_maximum(org_a):
    # Luật Tố cáo 2018, Điều 30: a complex case is extended once (twice if especially complex).
    reception = build_reception(org_a)
    petition = _accepted(reception, is_complex=True)
    seen_first, seen_second = _read_twice(petition)
    outcomes = race(
        lambda: _extension(reception, reception.chief, seen_first, 1),
        lambda: _extension(reception, reception.officer, seen_second, 2),
    )
    refused = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    assert len(refused) == 1, outcomes
    assert isinstance(refused[0], ValidationError)
    assert refused[0].code == "second_extension_not_especially_complex"
    assert "Luật Tố cáo 2018, Điều 30" in str(refused[0])
    petition.refresh_from_db()
    assert petition.extensions.count() == 1
    assert petition.resolution_deadline == today() + datetime.timedelta(days=60)
    assert _steps(petition).count("extend") == 1


@RACE
def test_a_case_found_especially_complex_while_an_extension_is_recorded_keeps_both(org_a):
    reception = build_reception(org_a)
    petition = _accepted(reception, is_complex=True)
    seen_first, seen_second = _read_twice(petition)
    outcomes = race(
        lambda: classify(
            reception.actor(reception.chief),
            seen_first,
            is_complex=True,
            is_especially_complex=True,
            remote_area=False,
        ),
        lambda: _extension(reception, reception.officer, seen_second, 1),
    )
    assert not [outcome for outcome in outcomes if isinstance(outcome, BaseException)], outcomes
    petition.refresh_from_db()
    # Whichever came second computed the deadline with what the first had written.
    assert petition.is_especially_complex
    assert petition.resolution_deadline == today() + datetime.timedelta(days=60)
    assert petition.extensions.get().new_deadline == petition.resolution_deadline
