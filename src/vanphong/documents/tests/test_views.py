import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document as DocxDocument
from openpyxl import load_workbook

from vanphong.documents import incoming
from vanphong.documents.models import IncomingDocument, IncomingStatus, OutgoingDocument, OutgoingStatus
from vanphong.documents.rendering import pdf_available
from vanphong.documents.tests.conftest import pdf_bytes
from vanphong.testing import today

SECRET_SUMMARY = "Về công tác nhân sự Đại hội (tài liệu mật)"


def _form(office, **overrides):
    data = {
        "doc_type": office.doc_type("CV").pk,
        "sender_name": "Văn phòng Trung ương Đảng",
        "sender_reference": "88-CV/VPTW",
        "document_date": (today() - datetime.timedelta(days=7)).isoformat(),
        "arrived_at": f"{today():%Y-%m-%d}T07:30",
        "summary": "V/v chuẩn bị Hội nghị Ban Chấp hành",
        "secrecy": "0",
        "urgency": "1",
        "pages": "2",
        "copies": "1",
    }
    data.update(overrides)
    return data


def test_clerk_registers_with_a_file_and_is_warned_of_a_duplicate(office, client_for):
    client = client_for(office.clerk)
    response = client.post(
        reverse("documents:incoming_new"),
        {**_form(office), "attachments": SimpleUploadedFile("cv.pdf", pdf_bytes(), "application/pdf")},
    )
    doc = IncomingDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "documents:incoming", args=[doc.pk]
    )
    assert doc.attachments.get().pages == 1
    again = client.post(reverse("documents:incoming_new"), _form(office))
    assert again.status_code == 200
    page = again.content.decode()
    assert "confirm_duplicate" in page and f"1/{today().year}" in page
    confirmed = client.post(reverse("documents:incoming_new"), {**_form(office), "confirm_duplicate": "on"})
    assert confirmed.status_code == 302
    assert IncomingDocument.objects.count() == 2


def test_bad_input_gets_messages_in_vietnamese_and_nothing_is_stored(office, client_for):
    client = client_for(office.clerk)
    response = client.post(
        reverse("documents:incoming_new"),
        {
            **_form(office, summary="", document_date="2099-01-01"),
            "attachments": SimpleUploadedFile("gia.pdf", b"not a pdf", "application/pdf"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "trong tương lai" in page  # the document date is in the future
    assert "Trường này là bắt buộc" in page  # Django's own message, in Vietnamese
    assert IncomingDocument.objects.count() == 0


def test_route_handle_and_see_it_in_the_inbox(office, client_for):
    doc = office.register()
    chief = client_for(office.chief)
    response = chief.post(
        reverse("documents:incoming_route", args=[doc.pk]),
        {
            "instruction": "Ban Tổ chức chủ trì, báo cáo Thường trực",
            "lead_unit": office.board_unit.pk,
            "deadline_days": "5",
        },
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.ROUTED and doc.deadline
    handler = client_for(office.board_member)
    inbox = handler.get(reverse("documents:inbox")).content.decode()
    assert doc.summary in inbox
    handler.post(
        reverse("documents:incoming_note", args=[doc.pk]),
        {"text": "Đang xây dựng dự thảo", "kind": "comment"},
    )
    handler.post(reverse("documents:incoming_handled", args=[doc.pk]), {"text": "Đã xong"})
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.HANDLED
    assert doc.summary not in handler.get(reverse("documents:inbox")).content.decode()


def test_outgoing_flow_through_the_pages_and_the_party_format_docx(office, client_for):
    specialist = client_for(office.specialist)
    response = specialist.post(
        reverse("documents:outgoing_new"),
        {
            "doc_type": office.doc_type("NQ").pk,
            "summary": "Về tăng cường công tác chuyển đổi số",
            "body": "I. MỤC TIÊU\n\nĐến năm 2030, 100% văn bản được trao đổi dưới dạng điện tử.",
            "secrecy": "0",
            "urgency": "0",
            "signer": office.secretary_person.pk,
            "signing_authority": "T/M",
            "signing_body": "Ban Thường vụ",
            "signer_title": "Bí thư",
            "external_recipients": "Ban Bí thư Trung ương Đảng (để báo cáo),\nLưu Văn phòng Tỉnh ủy.",
            "copies": "5",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    doc = office.org and OutgoingDocument.objects.get()
    draft_docx = DocxDocument(
        io.BytesIO(specialist.get(reverse("documents:outgoing_file", args=[doc.pk, "docx"])).content)
    )
    draft_text = "\n".join(p.text for p in draft_docx.paragraphs) + "".join(
        cell.text for table in draft_docx.tables for row in table.rows for cell in row.cells
    )
    specialist.post(reverse("documents:outgoing_action", args=[doc.pk, "submit"]))
    client_for(office.secretary).post(reverse("documents:outgoing_action", args=[doc.pk, "approve"]))
    client_for(office.clerk).post(reverse("documents:outgoing_action", args=[doc.pk, "issue"]))
    doc.refresh_from_db()
    assert doc.status == OutgoingStatus.ISSUED and doc.reference == "01-NQ/TU"
    response = specialist.get(reverse("documents:outgoing_file", args=[doc.pk, "docx"]))
    assert response["Content-Disposition"] == 'attachment; filename="01-NQ-TU.docx"'
    issued = DocxDocument(io.BytesIO(response.content))
    text = "\n".join(p.text for p in issued.paragraphs) + "".join(
        cell.text for table in issued.tables for row in table.rows for cell in row.cells
    )
    for part in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "TỈNH ỦY NGỌC SƠN",
        "Số 01-NQ/TU",
        "NGHỊ QUYẾT",
        "T/M BAN THƯỜNG VỤ",
        "Hoàng Quang Thịnh",
    ):
        assert part in text, part
    assert "DỰ THẢO" in draft_text + "".join(
        p.text for s in draft_docx.sections for p in s.first_page_header.paragraphs
    )
    if pdf_available():
        pdf = specialist.get(reverse("documents:outgoing_file", args=[doc.pk, "pdf"]))
        assert pdf.content.startswith(b"%PDF")


@pytest.fixture
def secret_doc(office):
    return office.register(
        user=office.chief,
        secrecy=2,
        summary=SECRET_SUMMARY,
        sender_reference="7-CV/BTCTW",
        files=[("mat.pdf", pdf_bytes())],
    )


def test_secret_document_does_not_leak_to_an_uncleared_user_on_any_path(office, secret_doc, client_for):
    incoming.route_incoming(
        office.actor(office.chief),
        secret_doc,
        instruction="Xử lý",
        lead_unit=office.board_unit,
        deadline_days=1,
    )
    client = client_for(office.specialist)
    pages = [
        reverse("documents:inbox"),
        reverse("documents:incoming_register"),
        reverse("documents:followup_register"),
        reverse("documents:incoming_register") + "?export=print",
        reverse("documents:incoming_register") + f"?text={'nhan su dai hoi'}",
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "nhân sự Đại hội" not in body, url
        assert "7-CV/BTCTW" not in body, url
    export = client.get(reverse("documents:incoming_register") + "?export=xlsx")
    cells = [
        str(c.value) for row in load_workbook(io.BytesIO(export.content)).active.iter_rows() for c in row
    ]
    assert not any("nhân sự" in cell for cell in cells)
    for url in (
        reverse("documents:incoming", args=[secret_doc.pk]),
        reverse("documents:attachment", args=[secret_doc.attachments.get().pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "nhân sự" not in response.content.decode()
    # The board member is cleared and named through the board: they see it, and the opening is logged.
    member = client_for(office.board_member)
    assert SECRET_SUMMARY in member.get(reverse("documents:inbox")).content.decode()
    assert member.get(
        reverse("documents:attachment", args=[secret_doc.attachments.get().pk])
    ).content.startswith(b"%PDF")
    from vanphong.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="attachment.opened", actor=office.board_member).count() == 1


def test_register_export_has_the_columns_of_the_regulation(office, client_for):
    office.register()
    response = client_for(office.clerk).get(
        reverse("documents:incoming_register") + f"?year={today().year}&export=xlsx"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "Ngày đến")
    assert header[:6] == (
        "Ngày đến",
        "Số đến",
        "Nơi gửi",
        "Số, ký hiệu",
        "Ngày văn bản",
        "Tên loại và trích yếu",
    )
    assert rows[-1][1] == 1


def test_print_view_lists_the_register(office, client_for):
    office.register()
    page = (
        client_for(office.clerk)
        .get(reverse("documents:outgoing_register") + "?export=print")
        .content.decode()
    )
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in page


def test_a_wrong_registration_is_corrected_by_a_linked_new_one(office, client_for):
    wrong = office.register(summary="V/v báo cáo (ghi sai trích yếu)")
    client = client_for(office.clerk)
    form = client.get(reverse("documents:incoming_new") + f"?replaces={wrong.pk}").content.decode()
    assert "ghi sai trích yếu" in form
    response = client.post(
        reverse("documents:incoming_new"),
        {**_form(office, sender_reference="125-CV/BTCTW"), "replaces": wrong.pk},
    )
    assert response.status_code == 302
    corrected = IncomingDocument.objects.exclude(pk=wrong.pk).get()
    assert corrected.replaces == wrong and corrected.arrival_number == 2
