"""Intake of petitions through the real services: registration, repeats and duplicates, acceptance,
transfer and filing, and their bad-input rules."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vanphong.core.models import AuditEvent
from vanphong.documents.models import NumberSequence, OutgoingDocument
from vanphong.petitions.handling import answer, assign, conclude
from vanphong.petitions.identities import Identity, sender
from vanphong.petitions.intake import accept, file_away, register_petition, transfer
from vanphong.petitions.models import Competence, Petition, PetitionKind, SenderKind, State, Step
from vanphong.petitions.tests.conftest import DENOUNCER, DENOUNCER_PHONE, build_reception, seen

D = datetime.date
pytestmark = pytest.mark.django_db


def nothing_written(before_audit: int, before_petitions: int) -> bool:
    return AuditEvent.objects.count() == before_audit and Petition.objects.count() == before_petitions


def counts():
    return AuditEvent.objects.count(), Petition.objects.count()


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
        reception.petition(identity=Identity())
    assert "Điều 8" in str(error.value) and "Điều 22" in str(error.value)
    assert nothing_written(*before)
    assert not NumberSequence.objects.filter(key__startswith="petition:").exclude(last_number=0).exists()
    # Marked anonymous, or sent by a body, it is registered.
    reception.petition(identity=Identity(), sender_kind=SenderKind.ANONYMOUS)
    reception.petition(identity=Identity(), sender_kind=SenderKind.BODY, sender_body="Hội Nông dân xã")


def test_the_clerk_cannot_register_or_see_petitions(reception):
    with pytest.raises(PermissionDenied):
        reception.petition(user=reception.clerk)


# -- repeats and duplicates ------------------------------------------------------------------------


def test_same_person_is_recognised_without_diacritics_and_with_another_spelling(reception):
    first = reception.petition()
    second = reception.petition(
        identity=Identity.cleaned(name="NGUYEN VAN HUNG", address="thon 3 xa Tan Hoa"),
        summary="Đề nghị xem xét lại việc bồi thường khi thu hồi đất",
        kind=PetitionKind.PROPOSAL,
    )
    assert second.similar_to == first and not second.is_repeat


def test_same_matter_already_answered_is_recorded_as_a_repeat(reception):
    first = reception.petition()
    chief = reception.actor(reception.chief)
    accept(chief, first, on=D(2026, 3, 5))
    assign(chief, first, lead=reception.officer)
    conclude(chief, first, on=D(2026, 3, 20), conclusion="Quyết định thu hồi đất đúng quy định.")
    answer(chief, first, on=D(2026, 3, 25), text="Trả lời công dân bằng văn bản.")
    again = reception.petition(
        identity=Identity.cleaned(name="Lê Thị Hoa", address="Thôn 3"),
        summary="Khiếu nại quyết định thu hồi đất của gia đình tại thôn 3.",
        received_on=D(2026, 4, 2),
    )
    assert again.similar_to == first and again.is_repeat


def test_an_unrelated_letter_is_not_flagged(reception):
    reception.petition()
    other = reception.petition(
        identity=Identity.cleaned(name="Hoàng Minh Tuấn", address="Phường Bình Minh"),
        summary="Phản ánh tình trạng ô nhiễm từ cơ sở chăn nuôi",
        kind=PetitionKind.REPORT,
    )
    assert other.similar_to is None and not other.is_repeat


# -- acceptance, transfer, filing ------------------------------------------------------------------


def test_late_acceptance_is_recorded(reception):
    petition = reception.petition(received_on=D(2026, 3, 2))
    accept(reception.actor(reception.officer), petition, on=D(2026, 3, 16))
    assert petition.accepted_late


def test_an_anonymous_denunciation_is_not_accepted_but_may_be_filed(reception):
    petition = reception.denunciation(identity=Identity(), sender_kind=SenderKind.ANONYMOUS)
    officer = reception.actor(reception.officer)
    with pytest.raises(ValidationError, match="Điều 25"):
        accept(officer, petition, on=D(2026, 3, 3))
    file_away(officer, petition, reason="Đơn nặc danh, nội dung không cụ thể.")
    assert petition.state == State.FILED


def test_an_anonymous_complaint_is_refused_under_the_law_on_complaints(reception):
    petition = reception.petition(identity=Identity(), sender_kind=SenderKind.ANONYMOUS)
    officer = reception.actor(reception.officer)
    with pytest.raises(ValidationError) as error:
        accept(officer, petition, on=D(2026, 3, 3))
    refusal = str(error.value)
    # Luật Khiếu nại 2011: a complaint letter is signed by the complainant (khoản 2 Điều 8); one
    # without the signature is not accepted for resolution (khoản 5 Điều 11).
    assert "Luật Khiếu nại 2011, khoản 2 Điều 8 và khoản 5 Điều 11" in refusal
    assert "Luật Tố cáo" not in refusal
    petition.refresh_from_db()
    assert petition.state == State.RECEIVED
    file_away(officer, petition, reason="Đơn khiếu nại không có chữ ký, không rõ người khiếu nại.")
    assert petition.state == State.FILED


def test_out_of_competence_is_transferred_with_a_draft_letter_that_never_names_a_denouncer(reception):
    petition = reception.denunciation(competence=Competence.INSPECTION)
    officer = reception.actor(reception.officer)
    with pytest.raises(ValidationError):
        accept(officer, petition, on=D(2026, 3, 3))
    transfer(officer, petition, to_body="Ủy ban Kiểm tra Tỉnh ủy")
    assert petition.state == State.TRANSFERRED
    letter = OutgoingDocument.objects.get(pk=petition.transfer_letter_id)
    assert letter.status == "draft" and letter.created_by == reception.officer
    assert "Ủy ban Kiểm tra Tỉnh ủy" in letter.body and petition.reference in letter.summary
    text = f"{letter.summary} {letter.body} {letter.external_recipients} {letter.search_text}"
    assert DENOUNCER not in text and DENOUNCER_PHONE not in text


def test_guidance_letter_names_a_complainant(reception):
    petition = reception.petition(competence=Competence.STATE)
    transfer(reception.actor(reception.officer), petition, to_body="UBND xã Tân Hòa", guidance=True)
    letter = petition.transfer_letter
    assert "Nguyễn Văn Hùng" in letter.body and "UBND xã Tân Hòa" in letter.body


def test_transfer_and_filing_are_audited_steps(reception):
    officer = reception.actor(reception.officer)
    moved = reception.petition(competence=Competence.STATE)
    transfer(officer, moved, to_body="UBND xã Tân Hòa")
    filed = reception.petition(summary="Đơn không rõ nội dung")
    file_away(officer, filed, reason="Không đủ điều kiện thụ lý")
    for petition, action in ((moved, "transfer"), (filed, "file")):
        assert AuditEvent.objects.filter(object_id=str(petition.pk), action=f"petition.{action}").exists()
        assert petition.steps.filter(action=action).exists()


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
    old = register_petition(
        system(district),
        received_on=D(2025, 6, 20),
        channel="post",
        sender_kind=SenderKind.PERSON,
        identity=Identity.cleaned(name="Nguyễn Văn Hùng", address="Thôn 3, xã Tân Hòa"),
        kind=PetitionKind.COMPLAINT,
        subject="land",
        summary="Khiếu nại quyết định thu hồi đất của gia đình tại thôn 3",
        competence=Competence.OWN,
    )
    officer = reception.actor(reception.officer)
    assert list(visible(officer, Petition)) == [old]
    assert seen(sender(officer, old)).name == "Nguyễn Văn Hùng"
    accept(officer, old, on=D(2025, 7, 10))
    assign(reception.actor(reception.chief), old, lead=reception.officer)
    # A new letter to the successor about the same matter is linked to the old one.
    assert reception.petition(received_on=D(2026, 3, 20)).similar_to == old
    other = build_reception(org_b, prefix="b.")
    assert not visible(other.actor(other.chief), Petition).exists()
