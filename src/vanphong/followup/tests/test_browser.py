"""Done means (issue 6): in a real Chromium, a conclusion becomes tasks, the lead unit reports
progress, the office accepts it, the deadline passes (the daily job is run for the days around it),
the reminder is sent and escalated, and the dashboard shows the task overdue."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from vanphong.core.calendar import WorkingCalendar
from vanphong.followup.models import Notification, Reminder, Task
from vanphong.followup.tests.conftest import FollowupOffice
from vanphong.testing import TEST_PASSWORD, shot, sign_in

pytestmark = pytest.mark.browser


def assign(
    page, content: str, unit: str, deadline: datetime.date | None = None, days: int | None = None
) -> None:
    page.click("details.card > summary")
    page.fill("#id_task-content", content)
    page.select_option("#id_task-lead_unit", label=unit)
    page.select_option("#id_task-responsible", label="Vũ Đức Long")
    if deadline:
        page.fill("#id_task-deadline", deadline.isoformat())
    if days:
        page.fill("#id_task-deadline_days", str(days))
    page.click("details.card form button.primary")
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_conclusion_to_tasks_progress_reminder_escalation_dashboard(
    page, live_server, office: FollowupOffice
):
    base = live_server.url
    today = timezone.localdate()
    calendar = WorkingCalendar(office.org)
    issued = today - datetime.timedelta(days=30)
    deadline = today - datetime.timedelta(days=1)
    while not calendar.is_working_day(deadline):
        deadline -= datetime.timedelta(days=1)

    # The office chief records the Standing Committee's conclusion and assigns two tasks from it.
    sign_in(page, base, "chanhvp", TEST_PASSWORD)
    page.goto(f"{base}/followup/sources/")
    page.click("details.card > summary")
    page.select_option("#id_kind", "conclusion")
    page.fill("#id_title", "Kết luận của Ban Thường vụ về chuyển đổi số trong các cơ quan Đảng")
    page.fill("#id_reference", "15-KL/TU")
    page.fill("#id_issued_on", issued.isoformat())
    page.click("details.card form button.primary")
    page.wait_for_url("**/followup/sources/*/")
    assign(page, "Rà soát quy chế quản lý cơ sở dữ liệu đảng viên", "Ban Tổ chức Tỉnh ủy", deadline=deadline)
    # A deadline before the assignment date is refused with a message; nothing is saved.
    assign(page, "Nhiệm vụ sai hạn", "Ban Tổ chức Tỉnh ủy", deadline=issued - datetime.timedelta(days=3))
    assert "trước ngày giao" in page.locator(".errorlist").first.inner_text()
    page.fill("#id_task-content", "Tuyên truyền về chuyển đổi số")
    page.select_option("#id_task-lead_unit", label="Ban Tuyên giáo Tỉnh ủy")
    page.fill("#id_task-deadline", "")
    page.fill("#id_task-deadline_days", "60")
    page.click("details.card form button.primary")
    page.wait_for_load_state()
    shot(page, "followup-source")
    assert Task.objects.count() == 2
    task = Task.objects.get(content__startswith="Rà soát")
    assert Task.objects.get(content__startswith="Tuyên truyền").deadline == calendar.working_days_after(
        issued, 60
    )

    # The Organisation Board reports progress with a product attached.
    sign_in(page, base, "bantochuc", TEST_PASSWORD)
    page.goto(f"{base}/followup/tasks/{task.pk}/")
    page.fill("#id_text", "Đã dự thảo quy chế sửa đổi, đang lấy ý kiến.")
    page.fill("#id_percent", "140")
    page.click("form[action$='/report/'] button")
    page.wait_for_load_state()
    # Progress above 100% is refused under its field; what was typed stays.
    assert "100" in page.locator(".field.percent .errorlist").inner_text()
    assert page.input_value("#id_text") == "Đã dự thảo quy chế sửa đổi, đang lấy ý kiến."
    page.fill("#id_percent", "40")
    page.click("form[action$='/report/'] button")
    page.wait_for_load_state()
    assert "Chờ Văn phòng" in page.locator("ul.timeline").first.inner_text()

    # The office accepts it.
    sign_in(page, base, "chanhvp", TEST_PASSWORD)
    page.goto(f"{base}/followup/tasks/{task.pk}/")
    page.click("form[action$='/accept/'] button.primary-inline")
    page.wait_for_load_state()
    task.refresh_from_db()
    assert task.progress == 40

    # The daily job, run for three working days before the deadline: the unit is reminded.
    before = deadline - datetime.timedelta(days=1)
    while calendar.working_days_between(before, deadline) < 2:
        before -= datetime.timedelta(days=1)
    call_command("followup", "remind", "--today", before.isoformat())
    assert Reminder.objects.get(task=task).kind == "before"
    # The deadline passes; today's run: overdue, escalated to the member and the office chief.
    mail.outbox.clear()
    call_command("followup", "remind", "--today", today.isoformat())
    overdue = Reminder.objects.get(task=task, kind="overdue")
    assert overdue.escalated
    assert {office.member.pk, office.chief.pk} <= set(overdue.recipients)
    assert "long@example.vn" in {m.to[0] for m in mail.outbox}
    assert Notification.objects.filter(user=office.member, task=task).exists()

    # The responsible member sees the notification.
    sign_in(page, base, "uyvien", TEST_PASSWORD)
    page.goto(f"{base}/followup/notifications/")
    assert "Quá hạn" in page.locator("ul.timeline").inner_text()
    shot(page, "followup-notifications")

    # The dashboard shows the task overdue, and the task page the escalated reminder.
    sign_in(page, base, "chanhvp", TEST_PASSWORD)
    page.goto(f"{base}/followup/")
    shot(page, "followup-dashboard")
    assert page.locator(".figure.fu-overdue").inner_text() == "1"
    assert "Rà soát quy chế" in page.locator("table.tasks").first.inner_text()
    page.goto(f"{base}/followup/tasks/{task.pk}/")
    assert "Quá hạn" in page.locator("h1").inner_text()
    assert "chuyển lên" in page.locator("body").inner_text()
    shot(page, "followup-task")
    # The office drafts the urging letter to the unit.
    page.goto(f"{base}/followup/?unit={office.board.pk}")
    page.click("form[action$='/urge/'] button")
    page.wait_for_url("**/documents/outgoing/*/")
    assert "Rà soát quy chế" in page.locator("body").inner_text()
