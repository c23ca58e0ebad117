"""Outgoing documents: numbering, approval and issue, cancelling, correcting, delivery, drafts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vanphong.documents import outgoing
from vanphong.documents.models import (
    IncomingDocument,
    OutgoingDocument,
    OutgoingStatus,
)
from vanphong.documents.tests.conftest import build_office, pdf_bytes
from vanphong.testing import make_organisation

D = datetime.date


def test_party_numbering_is_per_type_per_term_and_restarts_with_a_new_term(office):
    nq1 = office.issued_back_then(D(2025, 9, 1))
    nq2 = office.issued_back_then(D(2025, 10, 1))
    ct1 = office.issued_back_then(D(2025, 10, 2), doc_type=office.doc_type("CT"))
    nq_secret = office.issued_back_then(D(2025, 10, 10), secrecy=1)
    nq_new_term = office.issued_back_then(D(2025, 10, 20))
    assert [d.reference for d in (nq1, nq2, ct1, nq_secret, nq_new_term)] == [
        "01-NQ/TU",
        "02-NQ/TU",
        "01-CT/TU",
        "03-NQ/TU",
        "01-NQ/TU",
    ]
    assert nq_new_term.term != nq1.term


def test_state_numbering_is_per_year_with_secret_documents_apart(office):
    office.follow_state_rule_since(D(2020, 1, 1))
    a = office.issued_back_then(D(2025, 12, 30))
    b = office.issued_back_then(D(2026, 1, 2), doc_type=office.doc_type("CT"))
    c = office.issued_back_then(D(2026, 1, 3), secrecy=1)
    d = office.issued_back_then(D(2026, 1, 4))
    assert [x.number for x in (a, b, c, d)] == [1, 1, 1, 2]


def test_issue_needs_a_term_under_the_party_rule(db):
    org = make_organisation("khong-nhiem-ky", "ĐU")
    office = build_office(org)
    office.org.refresh_from_db()
    from vanphong.org.models import Term

    Term.objects.filter(organisation=org).delete()
    doc = office.draft()
    outgoing.submit_for_approval(office.actor(office.specialist), doc)
    outgoing.approve(office.actor(office.secretary), doc)
    with pytest.raises(ValidationError):
        outgoing.issue(office.actor(office.clerk), doc)
    assert OutgoingDocument.objects.get(pk=doc.pk).number is None


def test_approval_is_by_the_signer_and_issue_by_the_clerk(office):
    doc = office.draft()
    with pytest.raises(ValidationError):
        outgoing.issue(office.actor(office.clerk), doc)
    outgoing.submit_for_approval(office.actor(office.specialist), doc)
    with pytest.raises(PermissionDenied):
        outgoing.approve(office.actor(office.chief), doc)
    outgoing.approve(office.actor(office.secretary), doc)
    with pytest.raises(PermissionDenied):
        outgoing.issue(office.actor(office.specialist), doc)
    issued = outgoing.issue(office.actor(office.clerk), doc)
    assert issued.status == OutgoingStatus.ISSUED and issued.reference == "01-NQ/TU"


def test_cancelled_numbers_stay_and_are_never_reused(office):
    first = office.issued()
    outgoing.cancel_outgoing(office.actor(office.clerk), first, reason="Ban hành nhầm")
    second = office.issued()
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.status == OutgoingStatus.CANCELLED and first.reference == "01-NQ/TU"


def test_a_correction_is_a_new_document_linked_to_the_old(office):
    wrong = office.issued()
    draft = outgoing.start_correction(office.actor(office.specialist), wrong)
    assert draft.replaces == wrong and draft.status == OutgoingStatus.DRAFT and draft.number is None


def test_issued_documents_arrive_in_internal_recipients_registers(office):
    commune = make_organisation(
        "xa-tan-hoa", "ĐU", level="commune", parent=office.org, name="Đảng ủy xã Tân Hòa"
    )
    doc = office.issued(internal_recipients=[commune], files=[("nghi-quyet.pdf", pdf_bytes())])
    arrived = IncomingDocument.objects.get(organisation=commune)
    assert arrived.source_outgoing == doc
    assert arrived.sender_reference == "01-NQ/TU" and arrived.sender_organisation == office.org
    assert arrived.arrival_number == 1
    assert arrived.attachments.count() == 1
    assert doc.internal_recipients.get().delivered == arrived


def test_failed_issue_leaves_no_gap(office, monkeypatch):
    commune = make_organisation("xa-loi", "ĐU", level="commune")
    doc = office.draft(internal_recipients=[commune])
    outgoing.submit_for_approval(office.actor(office.specialist), doc)
    outgoing.approve(office.actor(office.secretary), doc)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(outgoing, "_deliver", broken)
    with pytest.raises(RuntimeError):
        outgoing.issue(office.actor(office.clerk), doc)
    doc.refresh_from_db()
    assert doc.status == OutgoingStatus.APPROVED and doc.number is None
    monkeypatch.undo()
    assert outgoing.issue(office.actor(office.clerk), doc).number == 1


def test_only_the_drafter_or_the_office_changes_or_submits_a_draft(office):
    doc = office.draft()
    other = office.actor(office.board_member)  # may draft, but this draft is not theirs
    doc.summary = "Sửa trái phép"
    with pytest.raises(PermissionDenied):
        outgoing.save_draft(other, doc)
    with pytest.raises(PermissionDenied):
        outgoing.submit_for_approval(other, doc)
    doc.refresh_from_db()
    assert doc.status == OutgoingStatus.DRAFT and doc.summary != "Sửa trái phép"
    outgoing.submit_for_approval(office.actor(office.clerk), doc)  # the office may
