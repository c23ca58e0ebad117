"""Incoming documents: registering, routing, handling; who sees which document; the audit log."""

import datetime
import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from vanphong.core.access import access_object, visible
from vanphong.core.models import AuditEvent, Clearance
from vanphong.documents import attachments, incoming
from vanphong.documents.models import (
    Attachment,
    IncomingDocument,
    IncomingStatus,
)
from vanphong.documents.tests.conftest import build_office, docx_bytes, pdf_bytes
from vanphong.documents.workflow import is_handler
from vanphong.testing import system, today

D = datetime.date


def test_arrival_numbers_run_consecutively_within_the_year(office):
    year = today().year
    first = office.register(
        arrived_at=timezone.make_aware(datetime.datetime(year - 1, 12, 30, 9)),
        document_date=D(year - 1, 12, 29),
    )
    second = office.register(sender_reference="126-CV/BTCTW")
    third = office.register(sender_reference="127-CV/BTCTW")
    assert (first.arrival_year, first.arrival_number) == (year - 1, 1)
    assert [(d.arrival_year, d.arrival_number) for d in (second, third)] == [(year, 1), (year, 2)]


def test_duplicate_registration_is_refused_until_confirmed(office):
    office.register()
    with pytest.raises(ValidationError) as info:
        office.register(sender_name=" ban tổ chức trung ương ", sender_reference="Số: 125 - CV/BTCTW")
    assert info.value.code == "duplicate"
    assert IncomingDocument.objects.count() == 1
    again = office.register(sender_reference="125-CV/BTCTW", allow_duplicate=True)
    assert again.arrival_number == 2


def test_the_duplicate_warning_never_names_a_registration_the_clerk_may_not_read(office):
    incoming.register_incoming(  # arrival number 1, registered by the system (import)
        system(office.org),
        doc_type=office.doc_type("CV"),
        summary="V/v báo cáo kết quả thực hiện Nghị quyết số 05-NQ/TU",
        sender_name="Ban Tổ chức Trung ương",
        sender_reference="125-CV/BTCTW",
        document_date=D(2026, 3, 2),
        secrecy=Clearance.TUYET_MAT,
    )
    with pytest.raises(ValidationError) as info:
        office.register()  # the clerk is cleared for Mật only
    assert info.value.code == "duplicate"
    assert "1/" not in info.value.messages[0] and "chánh văn phòng" in info.value.messages[0].lower()
    assert IncomingDocument.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"summary": "  "}, "summary"),
        ({"document_date": D(2099, 1, 1)}, "document_date"),
        ({"sender_name": ""}, "sender_name"),
        ({"secrecy": 2}, "secrecy"),  # the clerk is cleared for Mật only
        ({"pages": 0}, "pages"),
    ],
)
def test_bad_registrations_are_refused_and_nothing_is_stored(office, fields, field):
    with pytest.raises(ValidationError) as info:
        office.register(**fields)
    assert field in info.value.message_dict
    assert IncomingDocument.objects.count() == 0
    assert not AuditEvent.objects.filter(action="incoming.registered").exists()


def test_a_fake_pdf_is_refused_and_the_number_is_not_used(office):
    with pytest.raises(ValidationError):
        office.register(files=[("cong-van.pdf", b"this is not a PDF")])
    assert office.register(files=[("cong-van.pdf", pdf_bytes())]).arrival_number == 1


def test_decomposed_text_is_stored_composed_and_searchable_folded(office):
    doc = office.register(summary=unicodedata.normalize("NFD", "Về việc tổ chức Hội nghị Ban Chấp hành"))
    doc.refresh_from_db()
    assert unicodedata.is_normalized("NFC", doc.summary)
    assert "hoi nghi ban chap hanh" in doc.search_text


def test_secret_attachments_are_encrypted_at_rest_and_read_back(office):
    doc = office.register(secrecy=1, files=[("mat.docx", docx_bytes("Nội dung mật của Tỉnh ủy"))])
    attachment = doc.attachments.get()
    assert attachment.encrypted and attachment.wrapped_key
    with default_storage.open(attachment.path) as handle:
        on_disk = handle.read()
    assert b"word/document.xml" not in on_disk
    assert attachments.read_attachment_bytes(attachment).startswith(b"PK")
    plain = office.register(sender_reference="9-CV/X", files=[("thuong.pdf", pdf_bytes())]).attachments.get()
    assert not plain.encrypted


def test_routing_sets_the_deadline_in_working_days_around_tet(office, monkeypatch):
    doc = office.register()
    monkeypatch.setattr(timezone, "localdate", lambda *args: D(2026, 2, 13))
    routing = incoming.route_incoming(
        office.actor(office.chief),
        doc,
        instruction="Giao Ban Tổ chức chủ trì tham mưu.",
        lead_unit=office.board_unit,
        support_users=[office.specialist],
        deadline_days=3,
    )
    doc.refresh_from_db()
    # Friday 13/2/2026, then Tết 16–20/2: three working days later is Wednesday 25/2.
    assert routing.deadline == doc.deadline == D(2026, 2, 25)
    assert doc.status == IncomingStatus.ROUTED


def test_only_the_chief_or_a_leader_routes(office):
    doc = office.register()
    with pytest.raises(PermissionDenied):
        incoming.route_incoming(office.actor(office.clerk), doc, instruction="x", lead_unit=office.board_unit)
    with pytest.raises(ValidationError):
        incoming.route_incoming(office.actor(office.chief), doc, instruction="x")  # no lead
    with pytest.raises(ValidationError):
        incoming.route_incoming(
            office.actor(office.chief),
            doc,
            instruction="x",
            lead_unit=office.board_unit,
            deadline=D(2000, 1, 1),
        )


def test_handler_comments_attaches_a_draft_and_closes_with_the_reply(office):
    doc = office.register()
    incoming.route_incoming(
        office.actor(office.chief), doc, instruction="Ban Tổ chức xử lý", lead_unit=office.board_unit
    )
    handler = office.actor(office.board_member)
    assert is_handler(handler, doc)
    incoming.add_note(
        handler, doc, text="Đã dự thảo báo cáo", kind="draft", files=[("du-thao.docx", docx_bytes("Dự thảo"))]
    )
    outsider = office.actor(office.specialist)
    with pytest.raises(PermissionDenied):
        incoming.mark_handled(outsider, doc)
    reply = office.issued(doc_type=office.doc_type("BC"), reply_to=doc)
    incoming.mark_handled(handler, doc, text="Đã báo cáo", reply=reply)
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.HANDLED and doc.reply == reply
    assert [n.kind for n in doc.notes.all()] == ["draft", "handled"]


def test_secret_documents_are_visible_only_with_clearance_and_need_to_know(office):
    open_doc = office.register(sender_reference="1")
    mat = office.register(sender_reference="2", secrecy=1)
    toi_mat = office.register(user=office.chief, sender_reference="3", secrecy=2)
    specialist = office.actor(office.specialist)
    board_member = office.actor(office.board_member)
    assert set(visible(specialist, IncomingDocument)) == {open_doc}
    assert set(visible(board_member, IncomingDocument)) == {open_doc}  # cleared, but no need to know
    incoming.route_incoming(
        office.actor(office.chief), toi_mat, instruction="Xử lý", lead_unit=office.board_unit
    )
    assert set(visible(board_member, IncomingDocument)) == {open_doc, toi_mat}  # through the unit
    assert set(visible(office.actor(office.clerk), IncomingDocument)) == {open_doc, mat}  # Mật clearance
    assert set(visible(office.actor(office.chief), IncomingDocument)) == {open_doc, mat, toi_mat}
    from django.http import Http404

    with pytest.raises(Http404):
        access_object(specialist, IncomingDocument, mat.pk)
    attachment_ids = set(visible(specialist, Attachment).values_list("pk", flat=True))
    assert attachment_ids == set()


def test_other_organisations_never_see_each_others_documents(office, org_b):
    office.register()
    other = build_office(org_b, prefix="b.")
    assert visible(other.actor(other.chief), IncomingDocument).count() == 0


def test_every_write_is_audited(office):
    doc = office.register()
    incoming.route_incoming(office.actor(office.chief), doc, instruction="Xử lý", lead_unit=office.board_unit)
    issued = office.issued()
    actions = set(AuditEvent.objects.filter(organisation=office.org).values_list("action", flat=True))
    assert {
        "incoming.registered",
        "incoming.routed",
        "outgoing.created",
        "outgoing.submitted",
        "outgoing.approved",
        "outgoing.issued",
    } <= actions
    assert issued.issued_by == office.clerk
