"""The numbering rules: numbers never repeat in their register, follow the order of issue, and are
written the way the rule in force writes them (HD 36-HD/VPTW or ND 30/2020/NĐ-CP)."""

from __future__ import annotations

import io
import re

from django.urls import reverse
from docx import Document as DocxDocument
from openpyxl import load_workbook

from vanphong.documents import importing, services
from vanphong.documents.models import DocumentSettings, IncomingDocument, NumberingScheme, OutgoingDocument
from vanphong.documents.rendering import render_docx
from vanphong.search import services as search
from vanphong.testing import make_organisation, today


def use_state_rule(office):
    DocumentSettings.objects.update_or_create(
        organisation=office.org, defaults={"numbering_scheme": NumberingScheme.STATE}
    )


def docx_text(doc) -> str:
    document = DocxDocument(io.BytesIO(render_docx(services.render_input(doc))))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([*cells, *(p.text for p in document.paragraphs)])


# -- how the number is written --------------------------------------------------------------------


def test_the_party_rule_writes_the_number_with_a_hyphen_and_no_colon(office):
    draft = office.draft()
    assert services.render_input(draft).number_line == "Số       -NQ/TU"
    doc = office.issued()
    assert doc.reference == "01-NQ/TU"
    assert "Số 01-NQ/TU" in docx_text(doc)


def test_the_state_rule_writes_the_number_the_nd30_way_on_the_document(office):
    use_state_rule(office)
    draft = office.draft()
    assert services.render_input(draft).number_line == "Số:       /NQ-TU"
    assert "Số:       /NQ-TU" in docx_text(draft)
    doc = office.issued()
    assert doc.reference == "01/NQ-TU"
    assert services.render_input(doc).number_line == "Số: 01/NQ-TU"
    assert "Số: 01/NQ-TU" in docx_text(doc)
    assert services.file_name(doc) == "01-NQ-TU"


def test_the_state_rule_reference_is_the_same_in_pages_registers_search_and_deliveries(office, client_for):
    use_state_rule(office)
    commune = make_organisation(
        "xa-an-binh", "ĐU", level="commune", parent=office.org, name="Đảng ủy xã An Bình"
    )
    doc = office.issued(internal_recipients=[commune])
    client = client_for(office.clerk)
    assert "Số: 01/NQ-TU" in client.get(reverse("documents:outgoing", args=[doc.pk])).content.decode()
    register = reverse("documents:outgoing_register")
    assert "01/NQ-TU" in client.get(register + "?export=print").content.decode()
    sheet = load_workbook(
        io.BytesIO(client.get(register + f"?year={today().year}&export=xlsx").content)
    ).active
    assert "01/NQ-TU" in [row[0] for row in sheet.iter_rows(values_only=True)]
    found = search.search(office.actor(office.clerk), "Số: 01/NQ-TU").results
    titles = [re.sub("</?mark>", "", result.title) for result in found]
    assert [title.split(" · ")[0] for title in titles] == ["01/NQ-TU"]
    assert IncomingDocument.objects.get(organisation=commune).sender_reference == "01/NQ-TU"


def test_a_state_rule_register_imports_with_its_numbers_written_the_nd30_way(office):
    use_state_rule(office)
    year = today().year
    rows = [
        ["Số, ký hiệu", "Ngày ban hành", "Tên loại và trích yếu nội dung"],
        ["Số: 03/NQ-TU", f"02/01/{year}", "Nghị quyết về công tác cán bộ"],
        ["04-CV/TU", f"03/01/{year}", "Công văn: V/v góp ý dự thảo"],  # written the Party way in the file
    ]
    data = "\n".join(";".join(row) for row in rows).encode("utf-8")
    report = importing.import_file(office.actor(office.chief), importing.OUTGOING, "so-di.csv", data)
    assert report.problems == [] and report.imported == 2
    assert sorted(OutgoingDocument.objects.values_list("reference", flat=True)) == ["03/NQ-TU", "04/CV-TU"]
    assert office.issued().reference == "05/NQ-TU"
