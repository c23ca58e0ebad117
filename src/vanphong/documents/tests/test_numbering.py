"""The numbering rules: numbers never repeat in their register, follow the order of issue, and are
written the way the rule in force writes them (HD 36-HD/VPTW or ND 30/2020/NĐ-CP)."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document as DocxDocument
from openpyxl import load_workbook

from vanphong.accounts.tokens import create_token
from vanphong.documents import importing, services
from vanphong.documents.models import DocumentSettings, IncomingDocument, NumberingScheme, OutgoingDocument
from vanphong.documents.rendering import render_docx
from vanphong.documents.tests.test_api import ApiClient
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


# -- the issue date is the day of issue -----------------------------------------------------------


def refused_date(office, doc, issued_on) -> str:
    with pytest.raises(ValidationError) as info:
        services.issue(office.actor(office.clerk), doc, issued_on=issued_on)
    assert OutgoingDocument.objects.get(pk=doc.pk).number is None
    return " ".join(info.value.message_dict["issued_on"])


def test_an_issue_date_before_the_last_one_in_its_sequence_is_refused(office):
    office.issued()  # 01-NQ/TU, today
    week_ago = today() - datetime.timedelta(days=7)
    doc = office.approved()
    assert week_ago.strftime("%d/%m/%Y") in refused_date(office, doc, week_ago)
    # Another type is another sequence under the Party rule; the refused attempt left no gap.
    assert office.issued(doc_type=office.doc_type("CT"), issued_on=week_ago).reference == "01-CT/TU"
    assert services.issue(office.actor(office.clerk), doc).reference == "02-NQ/TU"


def test_an_issue_date_in_an_earlier_term_is_refused_under_the_party_rule(office):
    doc = office.approved()
    assert "Khóa XVII" in refused_date(office, doc, datetime.date(2025, 10, 14))  # the last day of Khóa XVI
    assert services.issue(office.actor(office.clerk), doc).reference == "01-NQ/TU"


def test_an_issue_date_in_an_earlier_year_is_refused_under_the_state_rule(office):
    use_state_rule(office)
    doc = office.approved()
    refused_date(office, doc, datetime.date(today().year - 1, 12, 31))
    refused_date(office, doc, datetime.date(1, 1, 1))
    assert services.issue(office.actor(office.clerk), doc).reference == "01/NQ-TU"


def test_the_api_answers_a_refused_issue_date_with_422(office):
    use_state_rule(office)
    doc = office.approved()
    client = ApiClient(create_token(by=None, user=office.clerk, organisation=office.org, name="test")[1])
    for day in ("0001-01-01", "9999-12-31", (today() - datetime.timedelta(days=400)).isoformat()):
        response = client.post(f"/documents/outgoing/{doc.pk}/issue", {"issued_on": day})
        assert response.status_code == 422, (day, response.content)
    assert client.post(f"/documents/outgoing/{doc.pk}/issue").json()["reference"] == "01/NQ-TU"
