"""A register's Excel as an inspector expects it: a title block naming the organisation, the register,
the period and the filters; real dates; the header frozen and filtered; A4 landscape with the header
on every printed page. Opened again with openpyxl, as a reader would."""

from __future__ import annotations

import datetime
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from vanphong.testing import today


def test_the_incoming_register_in_excel_is_ready_for_an_inspection(office, client_for):
    doc = office.register(summary="V/v báo cáo công tác kiểm tra")
    cv = office.doc_type("CV")
    url = reverse("documents:incoming_register") + f"?year={today().year}&doc_type={cv.pk}&export=xlsx"
    sheet = load_workbook(io.BytesIO(client_for(office.clerk).get(url).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    block = [row[0] for row in rows[:5]]
    assert block == [
        office.org.name.upper(),
        "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
        f"Thời gian: {today().year}",
        f"Lọc theo: Loại văn bản: {cv}",
        f"Lập ngày {today():%d/%m/%Y}",
    ]
    header = next(index for index, row in enumerate(rows, start=1) if row[0] == "Ngày đến")
    assert header == 7
    assert sheet.freeze_panes == f"A{header + 1}"
    assert sheet.auto_filter.ref == f"A{header}:J{header + 1}"
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    arrival, document_date = sheet.cell(header + 1, 1), sheet.cell(header + 1, 5)
    assert isinstance(arrival.value, datetime.datetime) and arrival.number_format == "DD/MM/YYYY"
    assert arrival.value.date() == timezone.localdate(doc.arrived_at)
    assert document_date.value.date() == doc.document_date


def test_the_print_view_writes_the_same_dates_day_first(office, client_for):
    doc = office.register()
    page = client_for(office.clerk).get(reverse("documents:incoming_register") + "?export=print")
    assert doc.document_date.strftime("%d/%m/%Y") in page.content.decode()


def test_a_register_shows_this_year_unless_asked_for_another_or_for_all(office, client_for):
    last_year = today().replace(year=today().year - 1, month=6, day=10)
    old = office.issued_back_then(last_year, summary="Văn bản năm trước")
    new = office.issued(summary="Văn bản năm nay")
    client = client_for(office.clerk)
    register = reverse("documents:outgoing_register")
    shown = client.get(register).content.decode()
    assert new.summary in shown and old.summary not in shown
    assert f'value="{today().year}"' in shown  # the year field says which year is shown
    assert old.summary in client.get(register + f"?year={last_year.year}").content.decode()
    every = client.get(register + "?year=").content.decode()
    assert old.summary in every and new.summary in every


def test_the_outgoing_register_is_not_filtered_by_a_sender(office, client_for):
    page = client_for(office.clerk).get(reverse("documents:outgoing_register")).content.decode()
    assert 'name="sender"' not in page
    assert (
        'name="sender"'
        in client_for(office.clerk).get(reverse("documents:incoming_register")).content.decode()
    )
