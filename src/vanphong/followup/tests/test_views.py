"""The pages: who may open and do what, and bad input answered with a message, nothing saved."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from vanphong.core.models import Clearance
from vanphong.documents.models import OutgoingDocument
from vanphong.documents.tests.conftest import pdf_bytes
from vanphong.followup import progress
from vanphong.followup.models import ProgressReport, Source, Task
from vanphong.followup.tests.conftest import MONDAY, FollowupOffice
from vanphong.testing import make_user, system

pytestmark = pytest.mark.django_db


def xlsx(rows: list[list[Any]]) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("tien-do.xlsx", buffer.getvalue())


def test_units_open_their_tasks_and_not_the_others(office: FollowupOffice, client_for) -> None:
    mine = office.task(responsible=None)
    theirs = office.task(lead_unit=office.propaganda, responsible=None, content="Việc của Ban Tuyên giáo")
    client = client_for(office.board_officer)
    assert client.get(f"/followup/tasks/{mine.pk}/").status_code == 200
    assert client.get(f"/followup/tasks/{theirs.pk}/").status_code == 404
    page = client.get("/followup/tasks/").content.decode()
    assert mine.content in page and theirs.content not in page
    # The responsible member sees what they monitor.
    monitored = office.task(lead_unit=office.propaganda, content="Việc được theo dõi")
    assert client_for(office.member).get(f"/followup/tasks/{monitored.pk}/").status_code == 200
    assert client_for(office.member).get(f"/followup/tasks/{theirs.pk}/").status_code == 404


def test_inspection_reads_but_does_not_act(office: FollowupOffice, client_for) -> None:
    task = office.task(responsible=None)
    client = client_for(office.inspector)
    assert client.get(f"/followup/tasks/{task.pk}/").status_code == 200
    assert client.get("/followup/").status_code == 200
    response = client.post(f"/followup/tasks/{task.pk}/report/", {"text": "x", "percent": 10})
    assert response.status_code == 403
    assert client.post("/followup/sources/", {"kind": "conclusion", "title": "x"}).status_code == 403
    assert client.post(f"/followup/tasks/{task.pk}/cancel/", {"reason": "x"}).status_code == 403
    assert client.post("/followup/urge/", {"unit": office.board.pk}).status_code == 403
    assert not ProgressReport.objects.exists() and Task.objects.get().phase == "not_started"


def test_tuyet_mat_task_hidden_but_counted(office: FollowupOffice, client_for) -> None:
    top = office.task(
        secrecy=Clearance.TUYET_MAT, lead_unit=office.office, responsible=None, content="Nội dung tuyệt mật"
    )
    chief3 = make_user(office.org, "phochanh", roles=["office_chief"], clearance=Clearance.TUYET_MAT)
    client = client_for(chief3)
    assert client.get(f"/followup/tasks/{top.pk}/").status_code == 404
    page = client.get("/followup/").content.decode()
    assert "Nội dung tuyệt mật" not in page
    assert "không hiển thị" in page  # "1 restricted task not shown"
    assert (
        "Nội dung tuyệt mật"
        in client_for(office.secretary).get(f"/followup/tasks/{top.pk}/").content.decode()
    )


def test_deadline_before_assignment_in_the_form(office: FollowupOffice, client_for) -> None:
    source = office.source()
    client = client_for(office.chief)
    response = client.post(
        f"/followup/sources/{source.pk}/",
        {
            "form": "task",
            "task-content": "Nhiệm vụ",
            "task-lead_unit": office.board.pk,
            "task-deadline": (MONDAY - datetime.timedelta(days=2)).isoformat(),
            "task-secrecy": 0,
        },
    )
    assert response.status_code == 200
    assert "trước ngày giao" in response.content.decode()
    assert not Task.objects.exists()


def test_report_above_100_refused_with_a_message(office: FollowupOffice, client_for) -> None:
    task = office.task()
    client = client_for(office.board_officer)
    response = client.post(
        f"/followup/tasks/{task.pk}/report/",
        {"text": "Đã làm", "percent": 150, "files": [SimpleUploadedFile("sp.pdf", pdf_bytes())]},
        follow=True,
    )
    assert "150" in response.content.decode()
    assert not ProgressReport.objects.exists()
    response = client.post(
        f"/followup/tasks/{task.pk}/report/",
        {"text": "Đã làm", "percent": 40, "files": [SimpleUploadedFile("sp.pdf", pdf_bytes())]},
    )
    report = ProgressReport.objects.get()
    file = report.files.get()
    download = client.get(f"/followup/files/{file.pk}/")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert client_for(office.propaganda_officer).get(f"/followup/files/{file.pk}/").status_code == 404


def test_extension_on_a_closed_task_refused_in_the_page(office: FollowupOffice, client_for) -> None:
    task = office.task()
    progress.submit_report(system(office.org), task, text="Xong", percent=100, reported_on=MONDAY)
    response = client_for(office.board_officer).post(
        f"/followup/tasks/{task.pk}/extension/",
        {"reason": "Lý do", "requested_deadline": "2026-12-31"},
        follow=True,
    )
    assert "không thể gia hạn" in response.content.decode()
    assert not task.extensions.exists()


def test_xlsx_dry_run_then_record(office: FollowupOffice, client_for) -> None:
    first = office.task(content="Nhiệm vụ một")
    second = office.task(content="Nhiệm vụ hai")
    other = office.task(lead_unit=office.propaganda, content="Nhiệm vụ của ban khác")
    client = client_for(office.board_officer)
    template = load_workbook(io.BytesIO(client.get("/followup/import/?template=1").content))
    ids = [row[0] for row in template.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert set(ids) == {first.pk, second.pk}
    header = [
        "Số nhiệm vụ",
        "Nhiệm vụ",
        "Đơn vị chủ trì",
        "Hạn",
        "Tiến độ hiện tại (%)",
        "Tiến độ mới (%)",
        "Báo cáo",
    ]
    bad = xlsx(
        [
            header,
            [first.pk, "", "", "", 0, 50, "Đã làm một nửa"],
            [second.pk, "", "", "", 0, 120, "Quá"],
            [99999, "", "", "", 0, 10, "Không có"],
            [other.pk, "", "", "", 0, 10, "Không phải của mình"],
        ]
    )
    page = client.post("/followup/import/", {"file": bad, "confirm": "on"}).content.decode()
    assert "Dòng 3" in page and "Dòng 4" in page and "Dòng 5" in page and "99999" in page
    assert not ProgressReport.objects.exists()  # nothing half-saved
    good: list[list[Any]] = [
        header,
        [first.pk, "", "", "", 0, 50, "Đã làm một nửa"],
        [second.pk, "", "", "", 0, "30%", "Bắt đầu"],
    ]
    page = client.post("/followup/import/", {"file": xlsx(good)}).content.decode()
    assert "Tệp hợp lệ" in page and not ProgressReport.objects.exists()  # the dry run writes nothing
    response = client.post("/followup/import/", {"file": xlsx(good), "confirm": "on"})
    assert response.status_code == 302
    assert sorted(ProgressReport.objects.values_list("percent", flat=True)) == [30, 50]


def test_urging_letter_from_the_dashboard(office: FollowupOffice, client_for) -> None:
    office.task(deadline=MONDAY + datetime.timedelta(days=1), content="Hoàn thiện quy chế")
    response = client_for(office.chief).post("/followup/urge/", {"unit": office.board.pk})
    doc = OutgoingDocument.objects.get()
    assert response["Location"].endswith(f"/documents/outgoing/{doc.pk}/")
    assert "Hoàn thiện quy chế" in doc.body


def test_pages_render_for_every_role(office: FollowupOffice, client_for) -> None:
    source = office.source(
        kind="work_programme", title="Chương trình công tác năm 2026", reference="", issued_on=None, year=2026
    )
    item = office.task(source, deadline=None, period_quarter=1)
    parent = office.task()
    office.task(parent.source, parent=parent, weight=60, content="Phần một")
    for user in (office.chief, office.board_officer, office.member, office.inspector, office.secretary):
        client = client_for(user)
        for url in (
            "/followup/",
            "/followup/tasks/",
            "/followup/sources/",
            f"/followup/sources/{source.pk}/",
            "/followup/notifications/",
            "/followup/import/",
            f"/followup/?source={source.pk}&year=2026&quarter=1",
        ):
            assert client.get(url).status_code == 200, (user, url)
    page = client_for(office.chief).get(f"/followup/tasks/{parent.pk}/").content.decode()
    assert "60%" in page and "100%" in page  # the weights do not add up: a warning
    assert Source.objects.count() == 2 and item.deadline == datetime.date(2026, 3, 31)


def test_weights_that_do_not_sum_refused_in_the_page(office: FollowupOffice, client_for) -> None:
    parent = office.task()
    first = office.task(parent.source, parent=parent, weight=50, content="Phần một")
    second = office.task(parent.source, parent=parent, weight=50, content="Phần hai")
    client = client_for(office.chief)
    page = client.post(
        f"/followup/tasks/{parent.pk}/weights/",
        {f"weight-{first.pk}": 70, f"weight-{second.pk}": 20},
        follow=True,
    ).content.decode()
    assert "90%" in page
    first.refresh_from_db()
    assert first.weight == 50
    client.post(
        f"/followup/tasks/{parent.pk}/weights/", {f"weight-{first.pk}": 70, f"weight-{second.pk}": 30}
    )
    first.refresh_from_db()
    assert first.weight == 70
    response = client_for(office.board_officer).post(
        f"/followup/tasks/{parent.pk}/weights/", {f"weight-{first.pk}": 50, f"weight-{second.pk}": 50}
    )
    assert response.status_code == 403


def test_a_refused_report_comes_back_as_typed_with_its_error_under_the_percentage(
    office: FollowupOffice, client_for
) -> None:
    task = office.task()
    text = "Ban Tổ chức đã hoàn thành dự thảo đề án, đang xin ý kiến các ban."
    response = client_for(office.board_officer).post(
        f"/followup/tasks/{task.pk}/report/", {"text": text, "percent": 150}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert text in html.split('class="field text"', 1)[1].split("</textarea>", 1)[0]
    percent = html.split('class="field percent"', 1)[1].split('class="field ', 1)[0]
    assert 'value="150"' in percent and "errorlist" in percent
    assert not ProgressReport.objects.exists()


def test_a_refused_extension_request_comes_back_open_with_its_reason(
    office: FollowupOffice, client_for
) -> None:
    task = office.task()
    response = client_for(office.board_officer).post(
        f"/followup/tasks/{task.pk}/extension/", {"reason": "Chờ ý kiến Trung ương", "requested_deadline": ""}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert (
        "Chờ ý kiến Trung ương" in html
        and "errorlist" in html.split("Chờ ý kiến Trung ương", 1)[0][-3000:] + html
    )
