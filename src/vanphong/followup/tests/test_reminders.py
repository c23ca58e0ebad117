from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from docx import Document as DocxDocument

from vanphong.core.models import AuditEvent, Clearance
from vanphong.followup import reminders, urging
from vanphong.followup.models import FollowupSettings, Notification, Reminder, TaskTally
from vanphong.followup.tests.conftest import FollowupOffice
from vanphong.testing import make_user

pytestmark = pytest.mark.django_db


def test_reminders_before_the_deadline_then_overdue_escalated(office: FollowupOffice) -> None:
    task = office.task(deadline=datetime.date(2026, 3, 20))  # a Friday
    # Two weeks before: nothing due.
    assert reminders.run(datetime.date(2026, 3, 6)).before == 0
    # Three working days before: the lead unit is reminded, once.
    summary = reminders.run(datetime.date(2026, 3, 17))
    assert summary.before == 1 and summary.overdue == 0
    assert reminders.run(datetime.date(2026, 3, 17)).before == 0
    assert reminders.run(datetime.date(2026, 3, 18)).before == 0  # once per deadline
    before = Reminder.objects.get(task=task)
    assert before.kind == "before" and not before.escalated
    assert before.recipients == [office.board_officer.pk]
    # The deadline passes: overdue, escalated to the responsible member and the office chief.
    mail.outbox.clear()
    summary = reminders.run(datetime.date(2026, 3, 23))
    assert summary.overdue == 1
    overdue = Reminder.objects.get(task=task, kind="overdue")
    assert overdue.escalated
    assert set(overdue.recipients) == {office.board_officer.pk, office.member.pk, office.chief.pk}
    assert Notification.objects.filter(user=office.chief, task=task).exists()
    assert {m.to[0] for m in mail.outbox} == {"thao@example.vn", "long@example.vn", "chanhvp@example.vn"}
    # Idempotent per day; repeated after a week.
    assert reminders.run(datetime.date(2026, 3, 23)).overdue == 0
    assert reminders.run(datetime.date(2026, 3, 26)).overdue == 0
    assert reminders.run(datetime.date(2026, 3, 30)).overdue == 1
    assert Reminder.objects.filter(task=task).count() == 3
    assert AuditEvent.objects.filter(action="followup.reminders.sent").count() == 3


def test_secret_tasks_are_named_by_number_and_only_to_the_cleared(office: FollowupOffice) -> None:
    task = office.task(deadline=datetime.date(2026, 3, 20), secrecy=2)
    reminders.run(datetime.date(2026, 3, 23))
    texts = list(Notification.objects.filter(task=task).values_list("text", flat=True))
    assert texts and all("chuyển đổi số" not in text for text in texts)
    assert not Notification.objects.filter(user=office.clerk).exists()


def test_urging_letter_lists_the_units_overdue_tasks(office: FollowupOffice) -> None:
    office.task(deadline=datetime.date(2026, 3, 20), content="Hoàn thiện quy chế")
    office.task(
        deadline=datetime.date(2026, 3, 20), content="Nhiệm vụ của ban khác", lead_unit=office.propaganda
    )
    doc = urging.urging_letter(office.actor(office.chief), office.board, today=datetime.date(2026, 4, 1))
    assert doc.status == "draft" and doc.doc_type.symbol == "CV"
    assert "Hoàn thiện quy chế" in doc.body and "ban khác" not in doc.body
    with pytest.raises(ValidationError) as error:
        urging.urging_letter(office.actor(office.chief), office.office, today=datetime.date(2026, 4, 1))
    assert "Văn phòng Tỉnh ủy" in str(error.value)


def test_an_urging_letter_never_quotes_a_top_secret_task(office: FollowupOffice, client_for) -> None:
    secret_source = office.source(title="Kết luận tuyệt mật về nhân sự", secrecy=Clearance.TUYET_MAT)
    office.task(
        secret_source,
        deadline=datetime.date(2026, 3, 20),
        content="Rà soát nhân sự tuyệt mật",
        secrecy=Clearance.TUYET_MAT,
    )
    office.task(deadline=datetime.date(2026, 3, 20), content="Hoàn thiện quy chế mật", secrecy=Clearance.MAT)
    doc = urging.urging_letter(office.actor(office.secretary), office.board, today=datetime.date(2026, 4, 1))
    assert "Hoàn thiện quy chế mật" in doc.body and "20/03/2026" in doc.body
    assert "nhân sự tuyệt mật" not in doc.body and doc.secrecy == Clearance.MAT
    # A clerk cleared for Tuyệt mật but not entitled to Tuyệt mật tasks reads the letter everywhere.
    clerk = make_user(office.org, "vanthu3", roles=["clerk"], clearance=Clearance.TUYET_MAT)
    pages = client_for(clerk)
    for url in (reverse("documents:outgoing", args=[doc.pk]), reverse("search:search") + "?q=nhan+su"):
        response = pages.get(url)
        assert response.status_code == 200
        assert "nhân sự tuyệt mật" not in response.content.decode()
    docx = pages.get(reverse("documents:outgoing_file", args=[doc.pk, "docx"]))
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(docx.content)).paragraphs)
    assert "Hoàn thiện quy chế mật" in text and "nhân sự tuyệt mật" not in text


def test_recount_command_rebuilds_the_counts(office: FollowupOffice) -> None:
    office.task()
    TaskTally.objects.all().delete()
    call_command("followup", "recount")
    assert TaskTally.objects.get().count == 1


def test_an_organisations_own_due_soon_window(office: FollowupOffice) -> None:
    FollowupSettings.objects.create(organisation=office.org, due_soon_working_days=10)
    task = office.task(deadline=datetime.date(2026, 3, 20))
    assert reminders.run(datetime.date(2026, 3, 5)).before == 0  # 11 working days before
    assert reminders.run(datetime.date(2026, 3, 6)).before == 1  # 10 working days before
    assert Reminder.objects.get(task=task).kind == "before"
