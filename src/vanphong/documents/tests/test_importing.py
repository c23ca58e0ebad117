"""Importing existing registers from XLSX and CSV files (documents.importing, views_import)."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import unicodedata
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook

from vanphong.core import spreadsheets
from vanphong.core.models import AuditEvent
from vanphong.core.text import unicode_to_legacy
from vanphong.documents import importing, numbering, registers, selectors
from vanphong.documents.incoming import cancel_incoming
from vanphong.documents.models import (
    IncomingDocument,
    IncomingStatus,
    NumberSequence,
    OutgoingDocument,
    OutgoingStatus,
)
from vanphong.documents.tests.conftest import build_office

D = datetime.date

INCOMING_HEADER = [
    "Số đến",
    "Ngày đến",
    "Nơi gửi",
    "Số, ký hiệu",
    "Ngày văn bản",
    "Loại",
    "Trích yếu",
    "Độ mật",
    "Độ khẩn",
    "Số trang",
    "Số bản",
    "Ghi chú",
]


def incoming_row(number: Any, arrived: Any = "05/03/2026", **fields: Any) -> list[Any]:
    values = {
        "sender": "Ban Tổ chức Trung ương",
        "reference": f"{100 + number if isinstance(number, int) else 99}-CV/BTCTW",
        "document_date": "02/03/2026",
        "type": "Công văn",
        "summary": f"V/v báo cáo kết quả đợt {number}",
        "secrecy": "",
        "urgency": "",
    }
    values.update(fields)
    return [
        number,
        arrived,
        values["sender"],
        values["reference"],
        values["document_date"],
        values["type"],
        values["summary"],
        values["secrecy"],
        values["urgency"],
        2,
        1,
        "bản chụp",
    ]


def xlsx_bytes(rows: list[list[Any]], title: bool = True) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:  # like our exports: a title, a period line and a blank row above the header
        sheet.append(["SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"])
        sheet.append(["Năm 2026"])
        sheet.append([])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows: list[list[Any]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue()


def cp1258(text: str) -> bytes:
    """Windows-1258 as old Vietnamese Windows wrote it: precomposed base letters, combining tones."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        tone = "".join(mark for mark in decomposed if mark in tones)
        base = unicodedata.normalize("NFC", "".join(mark for mark in decomposed if mark not in tones))
        out.append(base + tone)
    return "".join(out).encode("cp1258")


def check(office: Any, user: Any, kind: str, data: bytes, name: str = "so.xlsx") -> importing.Report:
    return importing.check_file(office.actor(user), kind, name, data)


def messages_by_row(report: importing.Report) -> dict[int | None, list[str]]:
    found: dict[int | None, list[str]] = {}
    for problem in report.problems:
        found.setdefault(problem.row, []).append(f"{problem.column}: {problem.message}")
    return found


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def test_a_clean_incoming_register_imports_with_its_numbers_and_registration_continues(office):
    data = xlsx_bytes(
        [
            INCOMING_HEADER,
            incoming_row(1, datetime.datetime(2026, 3, 5, 8, 30), type="Cong van"),
            incoming_row(2, "6/3/2026", type="CV"),
            [],
            incoming_row(3, "2026-03-07", type="công văn", secrecy="Mật", urgency="Hoả tốc"),
            incoming_row(4, D(2026, 3, 9), type="NGHỊ QUYẾT", summary="Về công tác cán bộ"),
        ]
    )
    report = check(office, office.clerk, importing.INCOMING, data)
    assert report.problems == []
    assert (report.header_row, report.row_count, report.ok_rows) == (4, 4, 4)
    assert IncomingDocument.objects.count() == 0  # the dry run writes nothing

    report = importing.import_file(office.actor(office.clerk), importing.INCOMING, "so.xlsx", data)
    assert report.imported == 4
    docs = list(IncomingDocument.objects.order_by("arrival_number"))
    assert [(d.arrival_year, d.arrival_number) for d in docs] == [(2026, 1), (2026, 2), (2026, 3), (2026, 4)]
    assert timezone.localtime(docs[0].arrived_at).strftime("%d/%m/%Y %H:%M") == "05/03/2026 08:30"
    assert [d.doc_type.symbol for d in docs] == ["CV", "CV", "CV", "NQ"]
    assert (docs[2].secrecy, docs[2].urgency) == (1, 3)
    assert docs[0].sender_reference == "101-CV/BTCTW"
    assert docs[0].document_date == D(2026, 3, 2)
    assert "bao cao ket qua" in docs[0].search_text and "ban to chuc" in docs[0].search_text
    assert all(d.status == IncomingStatus.HANDLED and d.registered_by == office.clerk for d in docs)
    event = AuditEvent.objects.get(action="register.imported")
    after = event.after or {}
    assert (after["count"], after["sha256"]) == (4, hashlib.sha256(data).hexdigest())
    sequence = NumberSequence.objects.get(organisation=office.org, key=numbering.incoming_key(2026))
    assert sequence.last_number == 4

    after = office.register(
        arrived_at=timezone.make_aware(datetime.datetime(2026, 11, 2, 9)), document_date=D(2026, 10, 30)
    )
    assert (after.arrival_year, after.arrival_number) == (2026, 5)


def test_a_clean_outgoing_csv_imports_and_issuing_continues_after_it(office):
    rows: list[list[Any]] = [
        [
            "Number",
            "Number and symbol",
            "Date",
            "Type",
            "Summary",
            "Signer",
            "Recipients",
            "Copies",
            "Secrecy",
        ],
        [
            "",
            "05-NQ/TU",
            "10/03/2026",
            "",
            "Về chuyển đổi số",
            "Hoàng Quang Thịnh",
            "Các ban đảng; Lưu VT",
            3,
            "",
        ],
        [
            "7",
            "Số 07-NQ/TU",
            "2026-03-12",
            "Nghị quyết",
            "Về công tác cán bộ",
            "Nguyễn Văn Xưa",
            "",
            "",
            "Mật",
        ],
        ["", "02-CV/TU", "12/03/2026", "", "V/v góp ý dự thảo", "", "Huyện ủy Tân Hòa", "", ""],
    ]
    data = csv_text(rows, delimiter=";").encode("utf-8")  # no BOM, semicolons as Excel writes in Vietnam
    report = importing.import_file(office.actor(office.chief), importing.OUTGOING, "so-di.csv", data)
    assert report.problems == []
    assert report.imported == 3
    docs = {d.reference: d for d in OutgoingDocument.objects.all()}
    assert set(docs) == {"05-NQ/TU", "07-NQ/TU", "02-CV/TU"}
    first = docs["05-NQ/TU"]
    assert (first.number, first.issued_on, first.status) == (5, D(2026, 3, 10), OutgoingStatus.ISSUED)
    assert first.signer == office.secretary_person and first.copies == 3
    assert first.external_recipients == "Các ban đảng\nLưu VT"
    assert first.term is not None and first.term.name == "Khóa XVII"
    assert docs["07-NQ/TU"].signer is None and docs["07-NQ/TU"].signer_title == "Nguyễn Văn Xưa"
    assert docs["07-NQ/TU"].secrecy == 1
    assert docs["02-CV/TU"].doc_type.symbol == "CV"

    issued = office.issued(issued_on=D(2026, 4, 1))  # a Nghị quyết
    assert issued.reference == "08-NQ/TU"


def test_every_bad_row_is_reported_and_nothing_is_imported(office):
    data = xlsx_bytes(
        [
            INCOMING_HEADER,
            incoming_row(1),  # row 5
            incoming_row(2, "31/02/2026"),  # row 6: no such date
            incoming_row(3, type="Thư tay"),  # row 7: unknown type
            incoming_row(1, "07/03/2026"),  # row 8: arrival number of row 5 again
            incoming_row(5),  # row 9
        ]
    )
    report = importing.import_file(office.actor(office.clerk), importing.INCOMING, "so.xlsx", data)
    assert messages_by_row(report) == {
        6: ["B: “31/02/2026” is not a date; write it as 05/03/2026 or 2026-03-05."],
        7: ["F: Unknown document type “Thư tay”."],
        8: ["A: Arrival number 1/2026 appears twice in the file (also in row 5)."],
    }
    assert (report.row_count, report.ok_rows, report.bad_rows, report.imported) == (5, 2, 3, 0)
    assert IncomingDocument.objects.count() == 0
    assert not AuditEvent.objects.filter(action="register.imported").exists()
    assert not NumberSequence.objects.filter(organisation=office.org).exists()


def test_each_kind_of_problem_is_named(office):
    office.register(arrived_at=timezone.make_aware(datetime.datetime(2026, 3, 3, 9)))  # number 1/2026
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    data = xlsx_bytes(
        [
            INCOMING_HEADER,
            incoming_row(1),  # row 5: already registered
            incoming_row(2, tomorrow),  # row 6
            incoming_row(3, sender=""),  # row 7
            incoming_row(4, secrecy="Bí mật"),  # row 8
            incoming_row(5, document_date="09/03/2026"),  # row 9: dated after its arrival
            incoming_row("năm"),  # row 10
            incoming_row(7, urgency="Gấp"),  # row 11
        ]
    )
    found = messages_by_row(check(office, office.clerk, importing.INCOMING, data))
    assert found[5] == ["A: Arrival number 1/2026 is already in the register."]
    assert found[6] == [f"B: The date {tomorrow} is in the future."]
    assert found[7] == ["C: This value is required."]
    assert found[8][0].startswith("H: Unknown secrecy level “Bí mật”")
    assert found[9] == ["E: The document date is after its arrival."]
    assert found[10] == ["A: “năm” is not a whole number of at least 1."]
    assert found[11][0].startswith("I: Unknown urgency “Gấp”")


def test_missing_columns_and_unreadable_files_are_reported(office):
    no_sender = [[c for c in INCOMING_HEADER if c != "Nơi gửi"]]
    report = check(office, office.clerk, importing.INCOMING, xlsx_bytes(no_sender))
    assert [p.message for p in report.problems] == ["The column “Sender” is missing."]
    report = check(office, office.clerk, importing.INCOMING, b"PK\x03\x04 broken", "so.xlsx")
    assert report.problems[0].message.startswith("The file cannot be read as an XLSX workbook")
    report = check(office, office.clerk, importing.INCOMING, b"\xd0\xcf\x11\xe0 old", "so.xls")
    assert ".xls" in report.problems[0].message
    report = check(
        office, office.clerk, importing.INCOMING, csv_text([["a", "b"], ["1", "2"]]).encode(), "a.csv"
    )
    assert report.problems[0].message.startswith("No header row found")


def test_outgoing_numbers_that_disagree_or_exist_are_refused(office):
    office.issued(issued_on=D(2026, 3, 2))  # 01-NQ/TU
    data = xlsx_bytes(
        [
            [
                "Số, ký hiệu văn bản",
                "Ngày tháng văn bản",
                "Tên loại và trích yếu nội dung",
                "Người ký",
                "Nơi nhận",
            ],
            ["02-QĐ/TU", "03/03/2026", "Nghị quyết: Về công tác cán bộ", "", ""],  # row 5
            ["03-NQ/HU", "03/03/2026", "Nghị quyết về kinh tế", "", ""],  # row 6
            ["01-NQ/TU", "04/03/2026", "Nghị quyết về quốc phòng", "", ""],  # row 7
            ["30/2020/NĐ-CP", "04/03/2026", "Nghị quyết về công tác văn thư", "", ""],  # row 8
            ["04-NQ/TU", "04/03/2019", "Nghị quyết về nhân sự", "", ""],  # row 9: before any term
            ["05-NQ/TU", "05/03/2026", "Nghị quyết về giáo dục", "", ""],  # row 10: fine
        ]
    )
    found = messages_by_row(check(office, office.chief, importing.OUTGOING, data))
    assert found[5] == ["A: The type symbol “QĐ” in 02-QĐ/TU does not match the type “Nghị quyết” (NQ)."]
    assert found[6] == ["A: 03-NQ/HU is numbered by “HU”, not by this organisation (TU)."]
    assert found[7] == ["A: 01-NQ/TU is already in the register."]
    assert found[8] == ["A: “30/2020/NĐ-CP” is not a number and symbol like 12-NQ/TU or 12/QĐ-TU."]
    assert found[9][0].startswith("B: No term of the committee covers 04/03/2019")
    assert 10 not in found


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_encoded_text_is_converted(office, encoding):
    summary = "Về việc tổ chức Hội nghị Ban Chấp hành Đảng bộ tỉnh"
    sender = "Ban Tuyên giáo Trung ương"
    legacy_summary = unicode_to_legacy(summary, encoding)
    assert legacy_summary != summary
    rows = [
        ["So den", "Ngay den", "Noi gui", "So, ky hieu", "Ngay van ban", "Loai", "Trich yeu"],
        [
            "1",
            "05/03/2026",
            unicode_to_legacy(sender, encoding),
            "12-CV/BTGTW",
            "02/03/2026",
            "CV",
            legacy_summary,
        ],
    ]
    # An old office's CSV: the font's bytes as they are, not UTF-8.
    data = csv_text(rows).encode("latin-1")
    report = importing.import_file(office.actor(office.clerk), importing.INCOMING, "cu.csv", data)
    assert report.problems == [] and report.imported == 1
    doc = IncomingDocument.objects.get()
    assert (doc.summary, doc.sender_name) == (summary, sender)
    assert "hoi nghi ban chap hanh" in doc.search_text

    # The same text in an XLSX cell (an old .xls saved as .xlsx keeps the font's characters).
    rows[1][0] = "2"
    report = importing.import_file(
        office.actor(office.clerk), importing.INCOMING, "cu.xlsx", xlsx_bytes(rows)
    )
    assert report.imported == 1
    assert IncomingDocument.objects.get(arrival_number=2).summary == summary


def test_windows_1258_csv_is_read(office):
    rows = [
        ["Số đến", "Ngày đến", "Cơ quan ban hành", "Số, ký hiệu", "Ngày văn bản", "Tên loại và trích yếu"],
        [
            "1",
            "05/03/2026",
            "Văn phòng Trung ương Đảng",
            "88-CV/VPTW",
            "02/03/2026",
            "Công văn: V/v lưu trữ hồ sơ",
        ],
    ]
    data = cp1258(csv_text(rows))
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = importing.import_file(office.actor(office.clerk), importing.INCOMING, "so.csv", data)
    assert report.problems == []
    doc = IncomingDocument.objects.get()
    assert (doc.sender_name, doc.summary, doc.doc_type.symbol) == (
        "Văn phòng Trung ương Đảng",
        "V/v lưu trữ hồ sơ",
        "CV",
    )


def test_our_own_exports_import_into_another_organisation(office, org_b, client_for):
    office.register()
    secret = office.register(sender_reference="7-CV/BTCTW", secrecy=1, urgency=1, summary="Về nhân sự")
    cancelled = office.register(sender_reference="8-CV/BTCTW", summary="Công văn gửi nhầm địa chỉ")
    cancel_incoming(office.actor(office.clerk), cancelled, reason="Gửi nhầm")
    office.issued(issued_on=D(2026, 3, 3))
    office.issued(issued_on=D(2026, 3, 4), secrecy=1, summary="Về công tác bảo vệ chính trị nội bộ")
    incoming_export = client_for(office.chief).get(reverse("documents:incoming_register") + "?export=xlsx")
    chief = office.actor(office.chief)
    criteria = selectors.RegisterFilter()
    outgoing_export = spreadsheets.xlsx_response(
        registers.OUTGOING, selectors.outgoing_register(chief, criteria), criteria
    )

    other = build_office(org_b, prefix="b.")
    actor_b = other.actor(other.chief)
    report = importing.import_file(actor_b, importing.INCOMING, "den.xlsx", incoming_export.content)
    assert report.problems == [] and report.imported == 3

    def incoming(org: Any) -> set[tuple[Any, ...]]:
        return {
            (
                *(d.arrival_year, d.arrival_number, d.sender_name, d.sender_reference, d.document_date),
                *(d.doc_type_id, d.summary, d.secrecy, d.urgency, d.status == IncomingStatus.CANCELLED),
            )
            for d in IncomingDocument.objects.filter(organisation=org)
        }

    assert incoming(org_b) == incoming(office.org)
    assert IncomingDocument.objects.get(organisation=org_b, arrival_number=secret.arrival_number).secrecy == 1
    assert IncomingDocument.objects.get(organisation=org_b, status="cancelled").cancelled_reason == "Gửi nhầm"

    report = importing.import_file(actor_b, importing.OUTGOING, "di.xlsx", outgoing_export.content)
    assert report.problems == [] and report.imported == 2

    def outgoing(org: Any) -> set[tuple[Any, ...]]:
        return {
            (d.number, d.reference, d.issued_on, d.doc_type_id, d.summary, d.secrecy, d.status)
            for d in OutgoingDocument.objects.filter(organisation=org, number__isnull=False)
        }

    assert outgoing(org_b) == outgoing(office.org)
    # The signer's name found a person of the same name in the importing organisation.
    assert OutgoingDocument.objects.get(organisation=org_b, number=1).signer == other.secretary_person


def test_a_clerk_cleared_for_mat_cannot_import_toi_mat(office):
    data = xlsx_bytes([INCOMING_HEADER, incoming_row(1, secrecy="Mật"), incoming_row(2, secrecy="TỐI MẬT")])
    report = importing.import_file(office.actor(office.clerk), importing.INCOMING, "so.xlsx", data)
    assert [(p.row, p.column) for p in report.problems] == [(6, "H")]
    assert "clearance" in report.problems[0].message
    assert report.imported == 0 and IncomingDocument.objects.count() == 0
    # Rows passed to the service directly are checked again.
    checked = check(office, office.chief, importing.INCOMING, data)
    assert checked.is_clean
    with pytest.raises(PermissionDenied):
        importing.import_rows(office.actor(office.clerk), importing.INCOMING, checked.rows)
    assert IncomingDocument.objects.count() == 0


def test_a_specialist_may_not_import(office, client_for):
    client = client_for(office.specialist)
    assert client.get(reverse("documents:import")).status_code == 403
    upload = SimpleUploadedFile("so.xlsx", xlsx_bytes([INCOMING_HEADER, incoming_row(1)]))
    response = client.post(reverse("documents:import"), {"kind": "incoming", "file": upload, "dry_run": "1"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        check(office, office.specialist, importing.INCOMING, xlsx_bytes([INCOMING_HEADER, incoming_row(1)]))
    assert IncomingDocument.objects.count() == 0


def test_the_page_checks_first_and_imports_the_same_file_on_confirmation(office, client_for):
    client = client_for(office.clerk)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.get(reverse("documents:import")).status_code == 200

    bad = xlsx_bytes(
        [INCOMING_HEADER, incoming_row(1), incoming_row(2, "32/01/2026"), incoming_row(3, type="?")]
    )
    page = client.post(
        reverse("documents:import"),
        {"kind": "incoming", "file": SimpleUploadedFile("so.xlsx", bad), "dry_run": "1"},
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "2 problems found: nothing was imported" in body
    assert "“32/01/2026” is not a date" in body and "Unknown document type “?”" in body
    assert "<td>6</td>" in body and "<td>7</td>" in body
    assert IncomingDocument.objects.count() == 0

    good = xlsx_bytes([INCOMING_HEADER, incoming_row(1), incoming_row(2)])
    digest = hashlib.sha256(good).hexdigest()
    page = client.post(
        reverse("documents:import"),
        {"kind": "incoming", "file": SimpleUploadedFile("so.xlsx", good), "dry_run": "1"},
    )
    body = page.content.decode()
    assert digest in body and 'name="confirm"' in body
    assert IncomingDocument.objects.count() == 0

    # Confirming with another file than the one checked imports nothing.
    page = client.post(
        reverse("documents:import"),
        {"kind": "incoming", "sha256": digest, "file": SimpleUploadedFile("so.xlsx", bad), "confirm": "1"},
    )
    assert "This is not the file that was checked" in page.content.decode()
    assert IncomingDocument.objects.count() == 0

    page = client.post(
        reverse("documents:import"),
        {"kind": "incoming", "sha256": digest, "file": SimpleUploadedFile("so.xlsx", good), "confirm": "1"},
    )
    assert page.status_code == 302 and page["Location"] == reverse("documents:incoming_register")
    assert IncomingDocument.objects.count() == 2


def test_files_over_the_size_limit_are_refused(office, client_for, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    client = client_for(office.clerk)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    data = xlsx_bytes([INCOMING_HEADER, *[incoming_row(n) for n in range(1, 40)]])
    assert len(data) > 1000
    page = client.post(
        reverse("documents:import"),
        {"kind": "incoming", "file": SimpleUploadedFile("so.xlsx", data), "dry_run": "1"},
    )
    assert page.status_code == 200 and page.context["report"] is None
    assert "The file is larger than" in page.content.decode()
    assert IncomingDocument.objects.count() == 0


def test_imported_documents_are_found_by_search_at_once_within_each_clearance(office):
    from vanphong.search import services as search

    data = xlsx_bytes(
        [
            INCOMING_HEADER,
            incoming_row(1, "2026-03-07", type="NQ", summary="Về phòng chống thiên tai lũ quét"),
            incoming_row(2, "2026-03-08", secrecy="Mật", summary="Về phòng chống thiên tai (kế hoạch mật)"),
        ]
    )
    importing.import_file(office.actor(office.clerk), importing.INCOMING, "so.xlsx", data)
    clerk = search.search(office.actor(office.clerk), "phong chong thien tai")
    assert clerk.total == 2
    specialist = search.search(office.actor(office.specialist), "phong chong thien tai")
    assert [r.object_id for r in specialist.results] == list(
        IncomingDocument.objects.filter(secrecy=0).values_list("pk", flat=True)
    )
    assert search.check().ok
