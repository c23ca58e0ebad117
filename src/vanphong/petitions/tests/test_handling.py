"""Handling of accepted petitions through the real services: handlers, extensions within the legal
maximum, a deadline computed again, conclusion and answer."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vanphong.core.models import AuditEvent
from vanphong.petitions import rules
from vanphong.petitions.handling import answer, assign, classify, conclude, extend
from vanphong.petitions.intake import accept
from vanphong.petitions.models import State, Step

D = datetime.date
pytestmark = pytest.mark.django_db


def test_accept_assign_extend_conclude_answer(reception):
    petition = reception.denunciation(received_on=D(2026, 8, 1), is_complex=True)
    officer, chief = reception.actor(reception.officer), reception.actor(reception.chief)
    accept(officer, petition, on=D(2026, 8, 3))
    assert petition.resolution_deadline == D(2026, 9, 2)
    assert not petition.accepted_late
    assign(chief, petition, lead=reception.officer2)
    assert petition.state == State.VERIFYING
    extension = extend(
        reception.actor(reception.officer2),
        petition,
        decision_reference="15-QĐ/TU",
        decided_on=D(2026, 8, 28),
        days=30,
        reason="Phải xác minh tại nhiều nơi",
    )
    assert (extension.previous_deadline, extension.new_deadline) == (D(2026, 9, 2), D(2026, 10, 2))
    conclude(
        reception.actor(reception.officer2), petition, on=D(2026, 9, 20), conclusion="Tố cáo đúng một phần."
    )
    answer(reception.actor(reception.officer2), petition, on=D(2026, 9, 25), text="Thông báo kết quả.")
    petition.refresh_from_db()
    assert petition.state == State.ANSWERED and not petition.resolved_late
    actions = list(Step.objects.filter(petition=petition).values_list("action", flat=True))
    assert actions == ["register", "accept", "assign", "extend", "conclude", "answer"]
    audited = set(AuditEvent.objects.filter(object_id=str(petition.pk)).values_list("action", flat=True))
    assert {
        "petition.accept",
        "petition.assign",
        "petition.extend",
        "petition.conclude",
        "petition.answer",
    } <= audited


def test_a_transition_not_allowed_from_the_state_is_refused(reception):
    petition = reception.petition()
    with pytest.raises(ValidationError, match="Không thể “Kết luận”"):
        conclude(reception.actor(reception.chief), petition, on=D(2026, 3, 5), conclusion="x")


def test_only_named_handlers_and_the_chief_conclude(reception):
    petition = reception.petition()
    accept(reception.actor(reception.officer), petition, on=D(2026, 3, 3))
    assign(reception.actor(reception.chief), petition, lead=reception.officer)
    with pytest.raises(PermissionDenied):
        conclude(reception.actor(reception.officer2), petition, on=D(2026, 3, 9), conclusion="x")
    with pytest.raises(PermissionDenied):
        assign(reception.actor(reception.officer), petition, lead=reception.officer)


def test_handlers_must_work_on_reception(reception):
    petition = reception.petition()
    accept(reception.actor(reception.officer), petition, on=D(2026, 3, 3))
    with pytest.raises(ValidationError):
        assign(reception.actor(reception.chief), petition, lead=reception.clerk)


def test_a_resolution_date_before_acceptance_is_refused(reception):
    petition = reception.petition()
    chief = reception.actor(reception.chief)
    accept(chief, petition, on=D(2026, 3, 10))
    assign(chief, petition, lead=reception.officer)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        conclude(chief, petition, on=D(2026, 3, 9), conclusion="Kết luận")
    assert "Điều 28" in str(error.value) and "Luật Khiếu nại 2011" in str(error.value)
    petition.refresh_from_db()
    assert petition.state == State.VERIFYING and petition.concluded_on is None
    assert AuditEvent.objects.count() == before


# -- extensions and complexity ---------------------------------------------------------------------


def test_an_extension_beyond_the_legal_maximum_is_refused(reception):
    petition = reception.denunciation(is_complex=True)
    accept(reception.actor(reception.officer), petition, on=D(2026, 3, 3))
    with pytest.raises(ValidationError) as error:
        extend(
            reception.actor(reception.officer),
            petition,
            decision_reference="1-QĐ",
            decided_on=D(2026, 3, 20),
            days=31,
            reason="x",
        )
    assert "30" in str(error.value) and "Luật Tố cáo 2018, Điều 30" in str(error.value)
    assert not petition.extensions.exists()
    petition.refresh_from_db()
    assert petition.resolution_deadline == D(2026, 4, 2)


def test_a_second_extension_needs_an_especially_complex_case(reception):
    petition = reception.denunciation(is_complex=True)
    officer = reception.actor(reception.officer)
    accept(officer, petition, on=D(2026, 3, 3))
    extend(officer, petition, decision_reference="1-QĐ", decided_on=D(2026, 3, 30), days=30, reason="x")
    with pytest.raises(ValidationError) as error:
        extend(officer, petition, decision_reference="2-QĐ", decided_on=D(2026, 4, 30), days=30, reason="x")
    assert "especially complex" in str(error.value) or "đặc biệt phức tạp" in str(error.value)
    assert "Luật Tố cáo 2018, Điều 30" in str(error.value)
    assert petition.extensions.count() == 1


def test_an_especially_complex_case_gets_two_extensions_and_no_third(reception):
    petition = reception.denunciation(is_especially_complex=True)
    officer = reception.actor(reception.officer)
    accept(officer, petition, on=D(2026, 3, 3))
    for number in (1, 2):
        extend(
            officer,
            petition,
            decision_reference=f"{number}-QĐ",
            decided_on=D(2026, 3, 30),
            days=30,
            reason="x",
        )
    assert petition.resolution_deadline == D(2026, 6, 1)  # 2/4 + 30 + 30 (90 days in all)
    with pytest.raises(ValidationError, match="Điều 30"):
        extend(officer, petition, decision_reference="3-QĐ", decided_on=D(2026, 5, 30), days=10, reason="x")


def test_extensions_count_from_the_unmoved_deadline_when_days_off_move_it(reception):
    # Luật Tố cáo 2018, Điều 30: 30 days from acceptance, extended once by at most 30 days if complex
    # (60 in all), twice if especially complex (90). With the setting that moves a deadline off a day
    # off (Civil Code 2015, Điều 148(5)), only the final date moves; the maximum counts from acceptance.
    settings = rules.petition_settings(reception.org)
    settings.move_off_day_deadlines = True
    settings.save()
    officer = reception.actor(reception.officer)
    petition = reception.denunciation(received_on=D(2026, 1, 12), is_complex=True)
    accept(officer, petition, on=D(2026, 1, 16))
    assert petition.resolution_deadline == D(2026, 2, 23)  # Sun 15/2, then Tết: moved to Mon 23/2
    extension = extend(
        officer, petition, decision_reference="1-QĐ", decided_on=D(2026, 2, 10), days=30, reason="x"
    )
    assert (extension.previous_deadline, extension.new_deadline) == (D(2026, 2, 23), D(2026, 3, 17))
    assert (petition.resolution_deadline - petition.accepted_on).days == 60
    # Found especially complex: the deadline is computed again the same way, and a second extension
    # ends 90 days after acceptance.
    classify(officer, petition, is_complex=True, is_especially_complex=True, remote_area=False)
    assert petition.resolution_deadline == D(2026, 3, 17)
    extend(officer, petition, decision_reference="2-QĐ", decided_on=D(2026, 3, 10), days=30, reason="x")
    assert petition.resolution_deadline == D(2026, 4, 16)
    # The final date still moves off a day off: 60 days from Wed 5/8/2026 is Sun 4/10.
    other = reception.denunciation(is_complex=True, received_on=D(2026, 8, 3))
    accept(officer, other, on=D(2026, 8, 5))
    extend(officer, other, decision_reference="3-QĐ", decided_on=D(2026, 8, 20), days=30, reason="x")
    assert other.resolution_deadline == D(2026, 10, 5)


def test_a_case_not_marked_complex_and_a_complaint_cannot_be_extended(reception):
    officer = reception.actor(reception.officer)
    denunciation = reception.denunciation()
    accept(officer, denunciation, on=D(2026, 3, 3))
    with pytest.raises(ValidationError, match="Điều 30"):
        extend(officer, denunciation, decision_reference="1", decided_on=D(2026, 3, 9), days=10, reason="x")
    complaint = reception.petition(is_complex=True)
    accept(officer, complaint, on=D(2026, 3, 3))
    with pytest.raises(ValidationError, match="Điều 28"):
        extend(officer, complaint, decision_reference="1", decided_on=D(2026, 3, 9), days=10, reason="x")


def test_a_case_found_complex_after_acceptance_gets_its_deadline_again(reception):
    officer = reception.actor(reception.officer)
    complaint = reception.petition(received_on=D(2026, 1, 15))
    accept(officer, complaint, on=D(2026, 1, 20))
    assert complaint.resolution_deadline == D(2026, 2, 19)
    classify(officer, complaint, is_complex=True, is_especially_complex=False, remote_area=False)
    assert complaint.resolution_deadline == D(2026, 3, 6)  # art. 28: 45 days if complex
    classify(officer, complaint, is_complex=True, is_especially_complex=False, remote_area=True)
    assert complaint.resolution_deadline == D(2026, 3, 21)  # 60 in a remote area
    assert complaint.state == State.ACCEPTED

    denunciation = reception.denunciation(is_complex=True)
    accept(officer, denunciation, on=D(2026, 8, 3))
    extend(officer, denunciation, decision_reference="1", decided_on=D(2026, 8, 20), days=30, reason="x")
    classify(officer, denunciation, is_complex=True, is_especially_complex=True, remote_area=False)
    assert denunciation.resolution_deadline == D(2026, 10, 2)  # 30 days + the recorded extension
    extend(officer, denunciation, decision_reference="2", decided_on=D(2026, 9, 25), days=30, reason="x")
    assert denunciation.resolution_deadline == D(2026, 11, 1)
    with pytest.raises(PermissionDenied):
        classify(
            reception.actor(reception.officer2),
            denunciation,
            is_complex=False,
            is_especially_complex=False,
            remote_area=False,
        )
