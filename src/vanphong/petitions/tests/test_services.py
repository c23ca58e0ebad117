"""Reception, registration, handling and the bad-input rules of petitions, through the real services."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vanphong.core.models import AuditEvent
from vanphong.documents.models import NumberSequence, OutgoingDocument
from vanphong.petitions import rules, services
from vanphong.petitions.models import (
    Competence,
    Petition,
    PetitionKind,
    SenderKind,
    State,
    Step,
)
from vanphong.petitions.tests.conftest import DENOUNCER, DENOUNCER_PHONE, build_reception

D = datetime.date
pytestmark = pytest.mark.django_db


def seen(identity: services.Identity | None) -> services.Identity:
    assert identity is not None
    return identity


def nothing_written(before_audit: int, before_petitions: int) -> bool:
    return AuditEvent.objects.count() == before_audit and Petition.objects.count() == before_petitions


def counts():
    return AuditEvent.objects.count(), Petition.objects.count()


# -- registration ---------------------------------------------------------------------------------


def test_registration_numbers_per_year_and_computes_the_acceptance_deadline(reception):
    first = reception.petition()
    second = reception.denunciation(received_on=D(2026, 3, 3))
    assert (first.reference, second.reference) == ("1/2026", "2/2026")
    assert first.acceptance_deadline == D(2026, 3, 12)  # art. 27: 10 days
    assert first.acceptance_rule.source == "Luật Khiếu nại 2011, Điều 27"
    assert second.acceptance_deadline == D(2026, 3, 12)  # art. 24(1): 07 working days
    assert first.instance == "first" and second.instance == ""
    assert Step.objects.filter(petition=first, action="register").exists()
    event = AuditEvent.objects.get(action="petition.registered", object_id=str(second.pk))
    assert event.object_repr.startswith("2/2026")
    assert DENOUNCER not in str(event.after) and DENOUNCER not in event.object_repr


def test_identity_is_encrypted_at_rest(reception):
    petition = reception.denunciation()
    stored = Petition.objects.values_list("sender_sealed", flat=True).get(pk=petition.pk)
    assert stored.startswith("v1:")
    assert "Trịnh" not in stored and "Trinh" not in stored and "0912" not in stored


def test_a_petition_without_sender_not_marked_anonymous_or_from_a_body_is_refused(reception):
    before = counts()
    with pytest.raises(ValidationError) as error:
        reception.petition(identity=services.Identity())
    assert "Điều 8" in str(error.value) and "Điều 22" in str(error.value)
    assert nothing_written(*before)
    assert not NumberSequence.objects.filter(key__startswith="petition:").exclude(last_number=0).exists()
    # Marked anonymous, or sent by a body, it is registered.
    reception.petition(identity=services.Identity(), sender_kind=SenderKind.ANONYMOUS)
    reception.petition(
        identity=services.Identity(), sender_kind=SenderKind.BODY, sender_body="Hội Nông dân xã"
    )


def test_the_clerk_cannot_register_or_see_petitions(reception):
    with pytest.raises(PermissionDenied):
        reception.petition(user=reception.clerk)


# -- repeats and duplicates -----------------------------------------------------------------------


def test_same_person_is_recognised_without_diacritics_and_with_another_spelling(reception):
    first = reception.petition()
    second = reception.petition(
        identity=services.Identity.cleaned(name="NGUYEN VAN HUNG", address="thon 3 xa Tan Hoa"),
        summary="Đề nghị xem xét lại việc bồi thường khi thu hồi đất",
        kind=PetitionKind.PROPOSAL,
    )
    assert second.similar_to == first and not second.is_repeat


def test_same_matter_already_answered_is_recorded_as_a_repeat(reception):
    first = reception.petition()
    chief = reception.actor(reception.chief)
    services.accept(chief, first, on=D(2026, 3, 5))
    services.assign(chief, first, lead=reception.officer)
    services.conclude(chief, first, on=D(2026, 3, 20), conclusion="Quyết định thu hồi đất đúng quy định.")
    services.answer(chief, first, on=D(2026, 3, 25), text="Trả lời công dân bằng văn bản.")
    again = reception.petition(
        identity=services.Identity.cleaned(name="Lê Thị Hoa", address="Thôn 3"),
        summary="Khiếu nại quyết định thu hồi đất của gia đình tại thôn 3.",
        received_on=D(2026, 4, 2),
    )
    assert again.similar_to == first and again.is_repeat


def test_an_unrelated_letter_is_not_flagged(reception):
    reception.petition()
    other = reception.petition(
        identity=services.Identity.cleaned(name="Hoàng Minh Tuấn", address="Phường Bình Minh"),
        summary="Phản ánh tình trạng ô nhiễm từ cơ sở chăn nuôi",
        kind=PetitionKind.REPORT,
    )
    assert other.similar_to is None and not other.is_repeat


# -- handling -------------------------------------------------------------------------------------


def test_accept_assign_extend_conclude_answer(reception):
    petition = reception.denunciation(received_on=D(2026, 8, 1), is_complex=True)
    officer, chief = reception.actor(reception.officer), reception.actor(reception.chief)
    services.accept(officer, petition, on=D(2026, 8, 3))
    assert petition.resolution_deadline == D(2026, 9, 2)
    assert not petition.accepted_late
    services.assign(chief, petition, lead=reception.officer2)
    assert petition.state == State.VERIFYING
    extension = services.extend(
        reception.actor(reception.officer2),
        petition,
        decision_reference="15-QĐ/TU",
        decided_on=D(2026, 8, 28),
        days=30,
        reason="Phải xác minh tại nhiều nơi",
    )
    assert (extension.previous_deadline, extension.new_deadline) == (D(2026, 9, 2), D(2026, 10, 2))
    services.conclude(
        reception.actor(reception.officer2), petition, on=D(2026, 9, 20), conclusion="Tố cáo đúng một phần."
    )
    services.answer(
        reception.actor(reception.officer2), petition, on=D(2026, 9, 25), text="Thông báo kết quả."
    )
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


def test_late_acceptance_is_recorded(reception):
    petition = reception.petition(received_on=D(2026, 3, 2))
    services.accept(reception.actor(reception.officer), petition, on=D(2026, 3, 16))
    assert petition.accepted_late


def test_a_transition_not_allowed_from_the_state_is_refused(reception):
    petition = reception.petition()
    with pytest.raises(ValidationError, match="Không thể “Kết luận”"):
        services.conclude(reception.actor(reception.chief), petition, on=D(2026, 3, 5), conclusion="x")


def test_only_named_handlers_and_the_chief_conclude(reception):
    petition = reception.petition()
    services.accept(reception.actor(reception.officer), petition, on=D(2026, 3, 3))
    services.assign(reception.actor(reception.chief), petition, lead=reception.officer)
    with pytest.raises(PermissionDenied):
        services.conclude(reception.actor(reception.officer2), petition, on=D(2026, 3, 9), conclusion="x")
    with pytest.raises(PermissionDenied):
        services.assign(reception.actor(reception.officer), petition, lead=reception.officer)


def test_handlers_must_work_on_reception(reception):
    petition = reception.petition()
    services.accept(reception.actor(reception.officer), petition, on=D(2026, 3, 3))
    with pytest.raises(ValidationError):
        services.assign(reception.actor(reception.chief), petition, lead=reception.clerk)


def test_a_resolution_date_before_acceptance_is_refused(reception):
    petition = reception.petition()
    chief = reception.actor(reception.chief)
    services.accept(chief, petition, on=D(2026, 3, 10))
    services.assign(chief, petition, lead=reception.officer)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.conclude(chief, petition, on=D(2026, 3, 9), conclusion="Kết luận")
    assert "Điều 28" in str(error.value) and "Luật Khiếu nại 2011" in str(error.value)
    petition.refresh_from_db()
    assert petition.state == State.VERIFYING and petition.concluded_on is None
    assert AuditEvent.objects.count() == before


def test_an_extension_beyond_the_legal_maximum_is_refused(reception):
    petition = reception.denunciation(is_complex=True)
    services.accept(reception.actor(reception.officer), petition, on=D(2026, 3, 3))
    with pytest.raises(ValidationError) as error:
        services.extend(
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
    services.accept(officer, petition, on=D(2026, 3, 3))
    services.extend(
        officer, petition, decision_reference="1-QĐ", decided_on=D(2026, 3, 30), days=30, reason="x"
    )
    with pytest.raises(ValidationError) as error:
        services.extend(
            officer, petition, decision_reference="2-QĐ", decided_on=D(2026, 4, 30), days=30, reason="x"
        )
    assert "especially complex" in str(error.value) or "đặc biệt phức tạp" in str(error.value)
    assert "Luật Tố cáo 2018, Điều 30" in str(error.value)
    assert petition.extensions.count() == 1


def test_an_especially_complex_case_gets_two_extensions_and_no_third(reception):
    petition = reception.denunciation(is_especially_complex=True)
    officer = reception.actor(reception.officer)
    services.accept(officer, petition, on=D(2026, 3, 3))
    for number in (1, 2):
        services.extend(
            officer,
            petition,
            decision_reference=f"{number}-QĐ",
            decided_on=D(2026, 3, 30),
            days=30,
            reason="x",
        )
    assert petition.resolution_deadline == D(2026, 6, 1)  # 2/4 + 30 + 30 (90 days in all)
    with pytest.raises(ValidationError, match="Điều 30"):
        services.extend(
            officer, petition, decision_reference="3-QĐ", decided_on=D(2026, 5, 30), days=10, reason="x"
        )


def test_extensions_count_from_the_unmoved_deadline_when_days_off_move_it(reception):
    # Luật Tố cáo 2018, Điều 30: 30 days from acceptance, extended once by at most 30 days if complex
    # (60 in all), twice if especially complex (90). With the setting that moves a deadline off a day
    # off (Civil Code 2015, Điều 148(5)), only the final date moves; the maximum counts from acceptance.
    settings = rules.petition_settings(reception.org)
    settings.move_off_day_deadlines = True
    settings.save()
    officer = reception.actor(reception.officer)
    petition = reception.denunciation(received_on=D(2026, 1, 12), is_complex=True)
    services.accept(officer, petition, on=D(2026, 1, 16))
    assert petition.resolution_deadline == D(2026, 2, 23)  # Sun 15/2, then Tết: moved to Mon 23/2
    extension = services.extend(
        officer, petition, decision_reference="1-QĐ", decided_on=D(2026, 2, 10), days=30, reason="x"
    )
    assert (extension.previous_deadline, extension.new_deadline) == (D(2026, 2, 23), D(2026, 3, 17))
    assert (petition.resolution_deadline - petition.accepted_on).days == 60
    # Found especially complex: the deadline is computed again the same way, and a second extension
    # ends 90 days after acceptance.
    services.classify(officer, petition, is_complex=True, is_especially_complex=True, remote_area=False)
    assert petition.resolution_deadline == D(2026, 3, 17)
    services.extend(
        officer, petition, decision_reference="2-QĐ", decided_on=D(2026, 3, 10), days=30, reason="x"
    )
    assert petition.resolution_deadline == D(2026, 4, 16)
    # The final date still moves off a day off: 60 days from Wed 5/8/2026 is Sun 4/10.
    other = reception.denunciation(is_complex=True, received_on=D(2026, 8, 3))
    services.accept(officer, other, on=D(2026, 8, 5))
    services.extend(officer, other, decision_reference="3-QĐ", decided_on=D(2026, 8, 20), days=30, reason="x")
    assert other.resolution_deadline == D(2026, 10, 5)


def test_a_case_not_marked_complex_and_a_complaint_cannot_be_extended(reception):
    officer = reception.actor(reception.officer)
    denunciation = reception.denunciation()
    services.accept(officer, denunciation, on=D(2026, 3, 3))
    with pytest.raises(ValidationError, match="Điều 30"):
        services.extend(
            officer, denunciation, decision_reference="1", decided_on=D(2026, 3, 9), days=10, reason="x"
        )
    complaint = reception.petition(is_complex=True)
    services.accept(officer, complaint, on=D(2026, 3, 3))
    with pytest.raises(ValidationError, match="Điều 28"):
        services.extend(
            officer, complaint, decision_reference="1", decided_on=D(2026, 3, 9), days=10, reason="x"
        )


def test_an_anonymous_denunciation_is_not_accepted_but_may_be_filed(reception):
    petition = reception.denunciation(identity=services.Identity(), sender_kind=SenderKind.ANONYMOUS)
    officer = reception.actor(reception.officer)
    with pytest.raises(ValidationError, match="Điều 25"):
        services.accept(officer, petition, on=D(2026, 3, 3))
    services.file_away(officer, petition, reason="Đơn nặc danh, nội dung không cụ thể.")
    assert petition.state == State.FILED


def test_an_anonymous_complaint_is_refused_under_the_law_on_complaints(reception):
    petition = reception.petition(identity=services.Identity(), sender_kind=SenderKind.ANONYMOUS)
    officer = reception.actor(reception.officer)
    with pytest.raises(ValidationError) as error:
        services.accept(officer, petition, on=D(2026, 3, 3))
    refusal = str(error.value)
    # Luật Khiếu nại 2011: a complaint letter is signed by the complainant (khoản 2 Điều 8); one
    # without the signature is not accepted for resolution (khoản 5 Điều 11).
    assert "Luật Khiếu nại 2011, khoản 2 Điều 8 và khoản 5 Điều 11" in refusal
    assert "Luật Tố cáo" not in refusal
    petition.refresh_from_db()
    assert petition.state == State.RECEIVED
    services.file_away(officer, petition, reason="Đơn khiếu nại không có chữ ký, không rõ người khiếu nại.")
    assert petition.state == State.FILED


def test_out_of_competence_is_transferred_with_a_draft_letter_that_never_names_a_denouncer(reception):
    petition = reception.denunciation(competence=Competence.INSPECTION)
    officer = reception.actor(reception.officer)
    with pytest.raises(ValidationError):
        services.accept(officer, petition, on=D(2026, 3, 3))
    services.transfer(officer, petition, to_body="Ủy ban Kiểm tra Tỉnh ủy")
    assert petition.state == State.TRANSFERRED
    letter = OutgoingDocument.objects.get(pk=petition.transfer_letter_id)
    assert letter.status == "draft" and letter.created_by == reception.officer
    assert "Ủy ban Kiểm tra Tỉnh ủy" in letter.body and petition.reference in letter.summary
    text = f"{letter.summary} {letter.body} {letter.external_recipients} {letter.search_text}"
    assert DENOUNCER not in text and DENOUNCER_PHONE not in text


def test_guidance_letter_names_a_complainant(reception):
    petition = reception.petition(competence=Competence.STATE)
    services.transfer(reception.actor(reception.officer), petition, to_body="UBND xã Tân Hòa", guidance=True)
    letter = petition.transfer_letter
    assert "Nguyễn Văn Hùng" in letter.body and "UBND xã Tân Hòa" in letter.body


# -- who sees a denouncer -------------------------------------------------------------------------


def test_a_denouncer_is_seen_by_named_handlers_and_the_chief_only_and_each_view_is_audited(reception):
    petition = reception.denunciation()
    assert services.sender(reception.actor(reception.officer2), petition) is None
    assert services.sender(reception.actor(reception.head), petition) is None
    assert services.sender(reception.actor(reception.clerk), petition) is None
    before = AuditEvent.objects.filter(action="petition.identity_viewed").count()
    assert seen(services.sender(reception.actor(reception.chief), petition)).name == DENOUNCER
    # The officer who recorded the letter does its intake and is named for it.
    assert seen(services.sender(reception.actor(reception.officer), petition)).phone == DENOUNCER_PHONE
    assert AuditEvent.objects.filter(action="petition.identity_viewed").count() == before + 2


def test_a_complainant_is_seen_by_everyone_on_reception_without_audit_noise(reception):
    petition = reception.petition()
    assert seen(services.sender(reception.actor(reception.officer2), petition)).name == "Nguyễn Văn Hùng"
    assert services.sender(reception.actor(reception.clerk), petition) is None
    assert not AuditEvent.objects.filter(action="petition.identity_viewed").exists()


# -- sessions and visits --------------------------------------------------------------------------


def test_visit_in_a_session_then_a_petition_from_it(reception):
    officer = reception.actor(reception.officer)
    session = services.save_session(officer, held_on=D(2026, 3, 10), leader=reception.head_person)
    visit = services.record_visit(
        officer,
        session=session,
        visited_on=D(2026, 3, 10),
        content_kind=PetitionKind.DENUNCIATION,
        identity=services.Identity.cleaned(name=DENOUNCER, phone=DENOUNCER_PHONE),
        content="Tố cáo cán bộ xã nhận tiền",
        documents_handed_in="Đơn tố cáo (2 trang)",
    )
    assert "Trịnh" not in visit.citizens_sealed
    assert services.visitors(reception.actor(reception.officer2), visit) is None
    assert seen(services.visitors(reception.actor(reception.chief), visit)).name == DENOUNCER
    petition = reception.denunciation(
        visit=visit,
        received_on=D(2026, 3, 10),
        identity=services.Identity(),
    )
    assert petition.channel == "visit" and petition.visit == visit
    assert seen(services.sender(reception.actor(reception.chief), petition)).phone == DENOUNCER_PHONE
    with pytest.raises(ValidationError):
        services.record_visit(
            officer,
            session=session,
            visited_on=D(2026, 3, 11),
            content_kind=PetitionKind.PROPOSAL,
            identity=services.Identity.cleaned(name="A"),
            content="x",
        )


def test_the_petitions_of_a_dissolved_committee_pass_to_its_successor(reception, org_b):
    from vanphong.core.access import visible
    from vanphong.testing import make_organisation, system

    district = make_organisation(
        "hu-cu",
        "HU",
        level="district",
        name="Huyện ủy cũ",
        successor=reception.org,
        parent=reception.org,
        active_until=D(2025, 6, 30),
    )
    old = services.register_petition(
        system(district),
        received_on=D(2025, 6, 20),
        channel="post",
        sender_kind=SenderKind.PERSON,
        identity=services.Identity.cleaned(name="Nguyễn Văn Hùng", address="Thôn 3, xã Tân Hòa"),
        kind=PetitionKind.COMPLAINT,
        subject="land",
        summary="Khiếu nại quyết định thu hồi đất của gia đình tại thôn 3",
        competence=Competence.OWN,
    )
    officer = reception.actor(reception.officer)
    assert list(visible(officer, Petition)) == [old]
    assert seen(services.sender(officer, old)).name == "Nguyễn Văn Hùng"
    services.accept(officer, old, on=D(2025, 7, 10))
    services.assign(reception.actor(reception.chief), old, lead=reception.officer)
    # A new letter to the successor about the same matter is linked to the old one.
    assert reception.petition(received_on=D(2026, 3, 20)).similar_to == old
    other = build_reception(org_b, prefix="b.")
    assert not visible(other.actor(other.chief), Petition).exists()


def test_the_workflow_data_reaches_every_state_and_closed_states_are_final():
    from vanphong.petitions.models import CLOSED_STATES
    from vanphong.petitions.workflow import WORKFLOW

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


def test_transfer_and_filing_are_audited_steps(reception):
    officer = reception.actor(reception.officer)
    moved = reception.petition(competence=Competence.STATE)
    services.transfer(officer, moved, to_body="UBND xã Tân Hòa")
    filed = reception.petition(summary="Đơn không rõ nội dung")
    services.file_away(officer, filed, reason="Không đủ điều kiện thụ lý")
    for petition, action in ((moved, "transfer"), (filed, "file")):
        assert AuditEvent.objects.filter(object_id=str(petition.pk), action=f"petition.{action}").exists()
        assert petition.steps.filter(action=action).exists()


def test_a_case_found_complex_after_acceptance_gets_its_deadline_again(reception):
    officer = reception.actor(reception.officer)
    complaint = reception.petition(received_on=D(2026, 1, 15))
    services.accept(officer, complaint, on=D(2026, 1, 20))
    assert complaint.resolution_deadline == D(2026, 2, 19)
    services.classify(officer, complaint, is_complex=True, is_especially_complex=False, remote_area=False)
    assert complaint.resolution_deadline == D(2026, 3, 6)  # art. 28: 45 days if complex
    services.classify(officer, complaint, is_complex=True, is_especially_complex=False, remote_area=True)
    assert complaint.resolution_deadline == D(2026, 3, 21)  # 60 in a remote area
    assert complaint.state == State.ACCEPTED

    denunciation = reception.denunciation(is_complex=True)
    services.accept(officer, denunciation, on=D(2026, 8, 3))
    services.extend(
        officer, denunciation, decision_reference="1", decided_on=D(2026, 8, 20), days=30, reason="x"
    )
    services.classify(officer, denunciation, is_complex=True, is_especially_complex=True, remote_area=False)
    assert denunciation.resolution_deadline == D(2026, 10, 2)  # 30 days + the recorded extension
    services.extend(
        officer, denunciation, decision_reference="2", decided_on=D(2026, 9, 25), days=30, reason="x"
    )
    assert denunciation.resolution_deadline == D(2026, 11, 1)
    with pytest.raises(PermissionDenied):
        services.classify(
            reception.actor(reception.officer2),
            denunciation,
            is_complex=False,
            is_especially_complex=False,
            remote_area=False,
        )
