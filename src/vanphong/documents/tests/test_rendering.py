"""The Party document renderer: DOCX structure, and PDF through LibreOffice where installed."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import subprocess
import unicodedata
from importlib import resources
from typing import Any

import pytest
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from vanphong.documents.rendering import (
    Layout,
    RenderingUnavailable,
    RenderInput,
    load_layout,
    pdf_available,
    render_docx,
    render_pdf,
)

BODY = (
    "Ngày 03 tháng 3 năm 2026, Ban Thường vụ Tỉnh ủy Ngọc Sơn họp, thảo luận và thống nhất ban hành "
    "Nghị quyết về tăng cường chuyển đổi số trong các cơ quan đảng của tỉnh giai đoạn 2026 - 2030.\n"
    "\n"
    "I. TÌNH HÌNH VÀ NGUYÊN NHÂN\n"
    "\n"
    "Những năm qua, công tác ứng dụng công nghệ thông tin trong các cơ quan đảng đã đạt được nhiều "
    "kết quả quan trọng.\n"
    "Tuy nhiên, việc khai thác dữ liệu còn hạn chế, kỹ năng số của đội ngũ cán bộ chưa đồng đều.\n"
    "\n"
    "II. MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP\n"
    "\n"
    "Các cấp ủy, tổ chức đảng quán triệt, cụ thể hóa Nghị quyết này bằng chương trình, kế hoạch phù "
    "hợp với tình hình thực tế của địa phương, đơn vị."
)

RESOLUTION = RenderInput(
    superior_body="ĐẢNG BỘ TỈNH NGỌC SƠN",
    issuing_body="TỈNH ỦY NGỌC SƠN",
    number_line="Số 12-NQ/TU",
    place_date_line="Ngọc Sơn, ngày 05 tháng 3 năm 2026",
    type_name="NGHỊ QUYẾT",
    summary="về tăng cường chuyển đổi số trong các cơ quan đảng giai đoạn 2026 - 2030",
    body=BODY,
    recipients=[
        "Ban Bí thư Trung ương Đảng (để báo cáo),",
        "Các đảng ủy trực thuộc Tỉnh ủy,",
        "Lưu Văn phòng Tỉnh ủy.",
    ],
    signing_authority="T/M BAN THƯỜNG VỤ",
    signer_title="BÍ THƯ",
    signer_name="Hoàng Quang Thịnh",
    secrecy="MẬT",
    urgency="KHẨN",
    copies_note="Số bản: 05",
)

OFFICIAL_LETTER = dataclasses.replace(
    RESOLUTION,
    number_line="Số 345-CV/TU",
    type_name="",
    summary="triển khai hệ thống quản lý văn bản điện tử",
    body="Kính gửi các đảng ủy trực thuộc Tỉnh ủy.\n\nVăn phòng Tỉnh ủy đề nghị các đồng chí báo cáo.",
    signing_authority="T/L BAN THƯỜNG VỤ",
    signer_title="CHÁNH VĂN PHÒNG",
    signer_name="Nguyễn Thị Hạnh",
    secrecy="",
    urgency="",
)

DRAFT = dataclasses.replace(
    RESOLUTION, draft=True, number_line="Số    -NQ/TU", signer_name="", secrecy="", urgency=""
)


def _open(data: bytes) -> Any:
    return Document(io.BytesIO(data))


def _block_texts(container: Any) -> list[str]:
    """Paragraph texts in document order, tables read row by row, left cell first."""
    texts: list[str] = []
    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            texts.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    texts.extend(_block_texts(cell))
    return texts


def _all_text(document: Any) -> str:
    parts = _block_texts(document)
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.footer, section.first_page_footer):
            parts.extend(p.text for p in part.paragraphs)
    return "\n".join(parts)


def _assert_in_order(texts: list[str], expected: list[str]) -> None:
    joined = "\n".join(texts)
    position = 0
    for item in expected:
        found = joined.find(item, position)
        assert found >= 0, f"{item!r} missing or out of order"
        position = found + len(item)


def test_layout_is_data_with_sources() -> None:
    raw = json.loads(
        resources.files("vanphong.documents").joinpath("data/party_format.json").read_text("utf-8")
    )
    assert "HD 36-HD/VPTW (2018), values to check against the text" in raw["source"]
    for name, style in raw["styles"].items():
        assert style.get("source"), f"style {name} has no source note"
    for group in ("page", "font", "header_table", "signature_table", "page_numbers"):
        assert raw[group].get("source"), f"{group} has no source note"
    layout = load_layout()
    assert isinstance(layout, Layout)
    assert layout is load_layout()  # cached
    assert (layout.page.width_mm, layout.page.height_mm) == (210, 297)
    assert layout.font_name == "Times New Roman"


def test_resolution_page_setup_and_font() -> None:
    layout = load_layout()
    document = _open(render_docx(RESOLUTION))
    section = document.sections[0]
    # DOCX stores lengths in twips: compare to a tenth of a millimetre.
    measured = {
        "width": section.page_width,
        "height": section.page_height,
        "top": section.top_margin,
        "bottom": section.bottom_margin,
        "left": section.left_margin,
        "right": section.right_margin,
    }
    expected = {
        "width": layout.page.width_mm,
        "height": layout.page.height_mm,
        "top": layout.page.margin_top_mm,
        "bottom": layout.page.margin_bottom_mm,
        "left": layout.page.margin_left_mm,
        "right": layout.page.margin_right_mm,
    }
    for name, length in measured.items():
        assert length is not None
        assert length.mm == pytest.approx(expected[name], abs=0.1), name
    assert (expected["width"], expected["height"]) == (210, 297)  # A4
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == layout.font_size_pt
    # Page numbers from page 2: page 1 has its own header without the PAGE field.
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_resolution_texts_in_order() -> None:
    document = _open(render_docx(RESOLUTION))
    texts = _block_texts(document)
    _assert_in_order(
        texts,
        [
            "ĐẢNG BỘ TỈNH NGỌC SƠN",
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "TỈNH ỦY NGỌC SƠN",
            "*",
            "Số 12-NQ/TU",
            "Ngọc Sơn, ngày 05 tháng 3 năm 2026",
            "NGHỊ QUYẾT",
            RESOLUTION.summary,
            "Ngày 03 tháng 3 năm 2026, Ban Thường vụ Tỉnh ủy Ngọc Sơn họp",
            "I. TÌNH HÌNH VÀ NGUYÊN NHÂN",
            "kết quả quan trọng.\nTuy nhiên, việc khai thác dữ liệu",
            "II. MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP",
            "phù hợp với tình hình thực tế của địa phương, đơn vị.",
            "Nơi nhận:",
            "- Ban Bí thư Trung ương Đảng (để báo cáo),",
            "- Lưu Văn phòng Tỉnh ủy.",
            "Số bản: 05",
            "T/M BAN THƯỜNG VỤ",
            "BÍ THƯ",
            "Hoàng Quang Thịnh",
        ],
    )
    # Secrecy and urgency marks: in the header block, under the number, before the type name.
    _assert_in_order(texts, ["Số 12-NQ/TU", "MẬT", "KHẨN", "NGHỊ QUYẾT"])
    # Exact NFC Vietnamese text, not decomposed.
    everything = "\n".join(texts)
    assert everything == unicodedata.normalize("NFC", everything)
    assert "DỰ THẢO" not in _all_text(document)


def test_resolution_formatting() -> None:
    document = _open(render_docx(RESOLUTION))
    runs = {
        run.text: run
        for paragraph in _iter_paragraphs(document)
        for run in paragraph.runs
        if run.text.strip()
    }
    heading = runs["ĐẢNG CỘNG SẢN VIỆT NAM"]
    assert heading.bold and heading.underline and _size_pt(heading) == 15
    assert runs["TỈNH ỦY NGỌC SƠN"].bold
    assert not runs["ĐẢNG BỘ TỈNH NGỌC SƠN"].bold
    assert runs["Ngọc Sơn, ngày 05 tháng 3 năm 2026"].italic
    assert runs["NGHỊ QUYẾT"].bold and _size_pt(runs["NGHỊ QUYẾT"]) == 15
    assert runs["Nơi nhận:"].bold and runs["Nơi nhận:"].italic
    assert _size_pt(runs["- Lưu Văn phòng Tỉnh ủy."]) == 11
    assert runs["Hoàng Quang Thịnh"].bold
    # Secrecy and urgency marks are boxed.
    assert "w:bdr" in runs["MẬT"]._r.xml
    assert "w:bdr" in runs["KHẨN"]._r.xml


def _size_pt(run: Run) -> float:
    size = run.font.size
    assert size is not None
    return float(size.pt)


def _iter_paragraphs(container: Any) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            paragraphs.append(block)
        else:
            for row in block.rows:
                for cell in row.cells:
                    paragraphs.extend(_iter_paragraphs(cell))
    return paragraphs


def test_official_letter_puts_summary_under_number() -> None:
    document = _open(render_docx(OFFICIAL_LETTER))
    header_table = document.tables[0]
    left_column = "\n".join(cell.text for cell in header_table.columns[0].cells)
    assert "Số 345-CV/TU" in left_column
    assert "V/v triển khai hệ thống quản lý văn bản điện tử" in left_column
    texts = _block_texts(document)
    _assert_in_order(
        texts,
        [
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "Số 345-CV/TU",
            "V/v triển khai",
            "Kính gửi các đảng ủy",
            "Nơi nhận:",
            "T/L BAN THƯỜNG VỤ",
            "CHÁNH VĂN PHÒNG",
            "Nguyễn Thị Hạnh",
        ],
    )
    assert "MẬT" not in "\n".join(texts)
    assert "KHẨN" not in "\n".join(texts)


def test_draft_has_mark_and_needs_no_signer_name() -> None:
    document = _open(render_docx(DRAFT))
    assert "DỰ THẢO" in "\n".join(p.text for p in document.sections[0].first_page_header.paragraphs)
    assert "Số    -NQ/TU" in _all_text(document)
    _assert_in_order(_block_texts(document), ["NGHỊ QUYẾT", "Nơi nhận:", "T/M BAN THƯỜNG VỤ", "BÍ THƯ"])


def test_input_is_normalised_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Hoàng Quang Thịnh")
    document = _open(render_docx(dataclasses.replace(RESOLUTION, signer_name=decomposed)))
    assert "Hoàng Quang Thịnh" in _block_texts(document)


def test_issued_document_requires_signer_and_known_marks() -> None:
    with pytest.raises(ValueError, match="signer_name"):
        render_docx(dataclasses.replace(RESOLUTION, signer_name=""))
    with pytest.raises(ValueError, match="secrecy"):
        render_docx(dataclasses.replace(RESOLUTION, secrecy="BÍ MẬT"))
    with pytest.raises(ValueError, match="urgency"):
        render_docx(dataclasses.replace(RESOLUTION, urgency="GẤP"))


def test_render_pdf_without_libreoffice_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert not pdf_available()
    with pytest.raises(RenderingUnavailable, match="LibreOffice"):
        render_pdf(b"")


def _pdftotext_page1(pdf: bytes) -> str:
    completed = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return completed.stdout.decode("utf-8")


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_page_one() -> None:
    pdf = render_pdf(render_docx(RESOLUTION))
    assert pdf.startswith(b"%PDF")
    page1 = _pdftotext_page1(pdf)
    for text in ("ĐẢNG CỘNG SẢN VIỆT NAM", "Số 12-NQ/TU", "Nơi nhận", "TỈNH ỦY NGỌC SƠN", "NGHỊ QUYẾT"):
        assert text in page1, f"{text!r} not on page 1 of the PDF"


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_of_draft_letter() -> None:
    pdf = render_pdf(render_docx(dataclasses.replace(OFFICIAL_LETTER, draft=True)))
    page1 = _pdftotext_page1(pdf)
    assert "DỰ THẢO" in page1
    assert "V/v triển khai hệ thống" in page1
