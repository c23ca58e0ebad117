"""A công văn that can be sent as it is: "V/v" once, "Kính gửi:" above the body, one paragraph a line
with its indent, "Nơi nhận:" underlined; rendered to PDF and to a picture to look at."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document

from vanphong.documents.rendering import load_layout, render_docx, render_pdf
from vanphong.documents.rendering.docx import subject_line
from vanphong.documents.tests.test_rendering import OFFICIAL_LETTER
from vanphong.testing import ARTIFACTS

LETTER = dataclasses.replace(
    OFFICIAL_LETTER,
    summary="V/v báo cáo sơ kết 6 tháng",
    addressees=("Ban Tổ chức Tỉnh ủy",),
    body=(
        "Thực hiện Kế hoạch số 12-KH/TU của Ban Thường vụ Tỉnh ủy, Văn phòng Tỉnh ủy đề nghị các đồng chí "
        "báo cáo sơ kết 6 tháng.\n"
        "Báo cáo gửi về Văn phòng Tỉnh ủy trước ngày 15 tháng 12 năm 2026."
    ),
)


@pytest.mark.parametrize(
    "summary",
    [
        "báo cáo sơ kết 6 tháng",
        "V/v báo cáo sơ kết 6 tháng",
        "v/v: báo cáo sơ kết 6 tháng",
        "Về việc báo cáo sơ kết 6 tháng",
        "V/v Về báo cáo sơ kết 6 tháng",
        "Về báo cáo sơ kết 6 tháng",
    ],
)
def test_the_summary_of_a_letter_takes_v_v_once(summary):
    assert subject_line("V/v ", summary) == "V/v báo cáo sơ kết 6 tháng"


def _paragraphs(data: bytes):
    return Document(io.BytesIO(data)).paragraphs


def test_a_letter_is_addressed_above_its_body_and_each_line_is_an_indented_paragraph():
    paragraphs = _paragraphs(render_docx(LETTER))
    texts = [p.text for p in paragraphs]
    addressed = texts.index("Kính gửi: Ban Tổ chức Tỉnh ủy")
    first, second = texts.index(LETTER.body.split("\n")[0]), texts.index(LETTER.body.split("\n")[1])
    assert addressed < first < second
    body = load_layout().style("body")
    for index in (first, second):
        assert paragraphs[index].paragraph_format.first_line_indent.cm == pytest.approx(
            body.first_line_indent_cm
        )
    assert str(paragraphs[addressed].alignment) == "CENTER (1)"


def test_several_addressees_are_listed_one_a_line():
    texts = [
        p.text
        for p in _paragraphs(
            render_docx(
                dataclasses.replace(LETTER, addressees=("Ban Tổ chức Tỉnh ủy", "Ban Nội chính Tỉnh ủy"))
            )
        )
    ]
    start = texts.index("Kính gửi:")
    assert texts[start + 1 : start + 3] == ["- Ban Tổ chức Tỉnh ủy;", "- Ban Nội chính Tỉnh ủy."]


def test_the_recipients_heading_is_bold_italic_and_underlined():
    document = Document(io.BytesIO(render_docx(LETTER)))
    signature = document.tables[-1].rows[0].cells[0].paragraphs[0]
    assert signature.text == "Nơi nhận:"
    run = signature.runs[0]
    assert run.bold and run.italic and run.underline


def test_a_reply_is_addressed_to_the_sender_of_what_it_answers(office, client_for):
    incoming = office.register(sender_name="Ban Tuyên giáo và Dân vận Tỉnh ủy")
    page = client_for(office.clerk).get(reverse("documents:outgoing_new") + f"?reply_to={incoming.pk}")
    assert page.status_code == 200
    assert page.context["form"]["addressees"].value() == "Ban Tuyên giáo và Dân vận Tỉnh ủy"


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_the_letter_as_printed(tmp_path: Path):
    """Rendered DOCX → PDF → PNG (artifacts/cong-van.png, to be looked at); its text in reading order."""
    pdf = render_pdf(render_docx(LETTER))
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert text.count("V/v") == 1 and "V/v báo cáo sơ kết 6 tháng" in text
    assert (
        text.index("Kính gửi: Ban Tổ chức Tỉnh ủy")
        < text.index("Thực hiện Kế hoạch")
        < text.index("Nơi nhận")
    )
    ARTIFACTS.mkdir(exist_ok=True)
    (tmp_path / "letter.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(tmp_path / "letter.pdf"),
            str(ARTIFACTS / "cong-van"),
        ],
        check=True,
    )
    assert (ARTIFACTS / "cong-van.png").stat().st_size > 10_000
