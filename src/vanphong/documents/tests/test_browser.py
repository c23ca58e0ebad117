"""The clerk's day in a real Chromium: register, route, handle an incoming document; draft, approve and
issue an outgoing one."""

from __future__ import annotations

import pytest

from vanphong.documents.models import IncomingDocument, IncomingStatus, OutgoingDocument, OutgoingStatus
from vanphong.documents.tests.conftest import pdf_bytes
from vanphong.testing import TEST_PASSWORD, shot, sign_in, today

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_incoming_and_outgoing_documents_in_the_browser(page, live_server, office):
    base = live_server.url

    # The clerk registers an incoming letter with its scan.
    sign_in(page, base, "vanthu", TEST_PASSWORD)
    page.goto(f"{base}/documents/incoming/new/")
    page.select_option("#id_doc_type", str(office.doc_type("CV").pk))
    page.fill("#id_sender_name", "Văn phòng Trung ương Đảng")
    page.fill("#id_sender_reference", "88-CV/VPTW")
    page.fill("#id_document_date", "2026-03-02")
    page.fill("#id_summary", "V/v chuẩn bị Hội nghị Ban Chấp hành lần thứ ba")
    page.select_option("#id_urgency", "1")
    page.set_input_files(
        "#id_attachments", files=[{"name": "cv-88.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.click("form.grid-form button.primary")
    page.wait_for_url("**/documents/incoming/*/")
    assert f"1/{today().year}" in page.locator("h1").inner_text()
    assert page.locator("a", has_text="cv-88.pdf").is_visible()
    doc = IncomingDocument.objects.get()

    # The office chief routes it to the Organisation Board within five working days.
    sign_in(page, base, "chanhvp", TEST_PASSWORD)
    page.goto(f"{base}/documents/incoming/{doc.pk}/")
    page.fill("#id_instruction", "Giao Ban Tổ chức chủ trì tham mưu, báo cáo Thường trực.")
    page.select_option("#id_lead_unit", str(office.board_unit.pk))
    page.fill("#id_deadline_days", "5")
    page.click("details form button.primary")
    page.wait_for_load_state()
    shot(page, "incoming-routed")
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.ROUTED

    # The board's specialist finds it in the inbox, comments and closes it.
    sign_in(page, base, "bantochuc", TEST_PASSWORD)
    page.goto(f"{base}/documents/")
    shot(page, "inbox")
    page.click("text=V/v chuẩn bị Hội nghị Ban Chấp hành lần thứ ba")
    page.fill("form[action$='/note/'] textarea", "Đã xây dựng dự thảo báo cáo.")
    page.click("form[action$='/note/'] button")
    page.wait_for_load_state()
    page.click("form[action$='/handled/'] button.primary")
    page.wait_for_load_state()
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.HANDLED

    # A specialist drafts a resolution for the secretary's signature.
    sign_in(page, base, "chuyenvien", TEST_PASSWORD)
    page.goto(f"{base}/documents/outgoing/new/")
    page.select_option("#id_doc_type", str(office.doc_type("NQ").pk))
    page.fill("#id_summary", "Về đẩy mạnh chuyển đổi số trong các cơ quan Đảng")
    page.fill("#id_body", "I. MỤC TIÊU\n\nĐến năm 2030, 100% văn bản được trao đổi dưới dạng điện tử.")
    page.select_option("#id_signer", str(office.secretary_person.pk))
    page.select_option("#id_signing_authority", "T/M")
    page.fill("#id_signing_body", "Ban Thường vụ")
    page.fill("#id_signer_title", "Bí thư")
    page.fill("#id_external_recipients", "Ban Bí thư Trung ương Đảng (để báo cáo),\nLưu Văn phòng Tỉnh ủy.")
    page.click("form.grid-form button.primary")
    page.wait_for_url("**/documents/outgoing/*/")
    outgoing = OutgoingDocument.objects.get()
    page.click(f"form[action$='/outgoing/{outgoing.pk}/do/submit/'] button")
    page.wait_for_load_state()

    sign_in(page, base, "bithu", TEST_PASSWORD)
    page.goto(f"{base}/documents/outgoing/{outgoing.pk}/")
    page.click("form[action$='/do/approve/'] button")
    page.wait_for_load_state()

    sign_in(page, base, "vanthu", TEST_PASSWORD)
    page.goto(f"{base}/documents/outgoing/{outgoing.pk}/")
    # The clerk sees the number and the date the document will take, then confirms.
    assert "01-NQ/TU" in page.locator("details", has_text="Cấp số và phát hành").inner_text()
    for width in (1366, 1024, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, f"outgoing-confirm-issue-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1 or width == 390
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("form[action$='/do/issue/'] button")
    page.wait_for_load_state()
    assert "01-NQ/TU" in page.locator("h1").inner_text()
    shot(page, "outgoing-issued")
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingStatus.ISSUED
    with page.expect_download() as download:
        page.click("a[href$='file.docx']")
    assert download.value.suggested_filename == "01-NQ-TU.docx"
