from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vanphong.core.models import AuditEvent
from vanphong.followup import services
from vanphong.followup.models import ExtensionState, Phase, ProgressReport, ReportState, Task
from vanphong.followup.tests.conftest import MONDAY, FollowupOffice
from vanphong.testing import system

pytestmark = pytest.mark.django_db


def test_deadline_in_working_days_goes_through_the_calendar(office: FollowupOffice) -> None:
    # 30/4 and 1/5/2026 are public holidays (Labour Code 2019 art. 112): Thursday and Friday.
    source = office.source(issued_on=datetime.date(2026, 4, 28))
    task = office.task(source, deadline=None, deadline_days=3)
    assert task.deadline == datetime.date(2026, 5, 5)
    assert task.phase == Phase.NOT_STARTED
    assert AuditEvent.objects.filter(action="followup.task.created", object_id=str(task.pk)).exists()


def test_deadline_before_assignment_is_refused_and_nothing_saved(office: FollowupOffice) -> None:
    source = office.source()
    with pytest.raises(ValidationError) as error:
        office.task(source, deadline=MONDAY - datetime.timedelta(days=1))
    assert "trước ngày giao" in str(error.value) or "before the assignment" in str(error.value)
    assert not Task.objects.exists()


def test_unit_report_waits_for_the_office_then_sets_progress(office: FollowupOffice) -> None:
    task = office.task()
    report = services.submit_report(office.actor(office.board_officer), task, text="Đã dự thảo", percent=40)
    task.refresh_from_db()
    assert report.state == ReportState.PENDING and task.progress == 0
    services.review_report(office.actor(office.chief), report, accept=True)
    task.refresh_from_db()
    assert task.progress == 40 and task.phase == Phase.IN_PROGRESS


def test_other_unit_cannot_report(office: FollowupOffice) -> None:
    task = office.task()
    with pytest.raises(PermissionDenied):
        services.submit_report(office.actor(office.propaganda_officer), task, text="x", percent=10)


@pytest.mark.parametrize("percent", [101, -1])
def test_progress_outside_0_100_is_refused(office: FollowupOffice, percent: int) -> None:
    task = office.task()
    with pytest.raises(ValidationError) as error:
        services.submit_report(office.actor(office.board_officer), task, text="Đã làm", percent=percent)
    assert "percent" in error.value.error_dict
    assert not ProgressReport.objects.exists()


def test_done_late_and_on_time(office: FollowupOffice) -> None:
    task = office.task(deadline=MONDAY + datetime.timedelta(days=3))
    services.submit_report(
        office.actor(office.chief),
        task,
        text="Xong",
        percent=100,
        reported_on=MONDAY + datetime.timedelta(days=5),
    )
    task.refresh_from_db()
    assert task.phase == Phase.DONE_LATE and task.done_on == MONDAY + datetime.timedelta(days=5)
    other = office.task()
    services.submit_report(office.actor(office.chief), other, text="Xong", percent=100, reported_on=MONDAY)
    other.refresh_from_db()
    assert other.phase == Phase.DONE_ON_TIME


def test_weighted_roll_up(office: FollowupOffice) -> None:
    parent = office.task()
    first = office.task(parent.source, parent=parent, weight=70, content="Khảo sát")
    second = office.task(parent.source, parent=parent, weight=30, content="Dự thảo")
    chief = office.actor(office.chief)
    services.submit_report(chief, first, text="Một nửa", percent=50)
    services.submit_report(chief, second, text="Xong", percent=100, reported_on=MONDAY)
    parent.refresh_from_db()
    assert parent.progress == 65 and parent.phase == Phase.IN_PROGRESS
    services.submit_report(
        chief, first, text="Xong", percent=100, reported_on=MONDAY + datetime.timedelta(days=2)
    )
    parent.refresh_from_db()
    assert parent.progress == 100 and parent.done_on == MONDAY + datetime.timedelta(days=2)
    assert parent.phase == Phase.DONE_ON_TIME


def test_weights_that_do_not_sum_are_refused(office: FollowupOffice) -> None:
    parent = office.task()
    first = office.task(parent.source, parent=parent, weight=70, content="Khảo sát")
    with pytest.raises(ValidationError) as error:
        office.task(parent.source, parent=parent, weight=40, content="Dự thảo")
    assert "110%" in str(error.value)
    second = office.task(parent.source, parent=parent, weight=20, content="Dự thảo")
    with pytest.raises(ValidationError) as error:
        services.set_weights(system(office.org), parent, {first.pk: 60, second.pk: 30})
    assert "90%" in str(error.value)
    first.refresh_from_db()
    assert first.weight == 70
    services.set_weights(system(office.org), parent, {first.pk: 60, second.pk: 40})
    assert services.weights_total(parent) == 100


def test_reports_go_on_subtasks_not_on_their_parent(office: FollowupOffice) -> None:
    parent = office.task()
    office.task(parent.source, parent=parent, weight=100, content="Khảo sát")
    with pytest.raises(ValidationError):
        services.submit_report(office.actor(office.chief), parent, text="x", percent=10)


def test_extension_approved_keeps_history(office: FollowupOffice) -> None:
    task = office.task()
    old = task.deadline
    assert old is not None
    request = services.request_extension(
        office.actor(office.board_officer),
        task,
        reason="Chờ ý kiến Trung ương",
        requested_deadline=old + datetime.timedelta(days=14),
    )
    services.decide_extension(office.actor(office.chief), request, approve=True)
    task.refresh_from_db()
    request.refresh_from_db()
    assert task.deadline == old + datetime.timedelta(days=14) and task.original_deadline == old
    assert task.phase == Phase.EXTENDED
    assert request.state == ExtensionState.APPROVED and request.previous_deadline == old
    assert request.decided_by == office.chief


def test_extension_refused_needs_a_reason(office: FollowupOffice) -> None:
    task = office.task()
    assert task.deadline is not None
    request = services.request_extension(
        office.actor(office.board_officer),
        task,
        reason="Lý do",
        requested_deadline=task.deadline + datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        services.decide_extension(office.actor(office.chief), request, approve=False)
    services.decide_extension(office.actor(office.chief), request, approve=False, note="Đủ thời gian")
    request.refresh_from_db()
    task.refresh_from_db()
    assert request.state == ExtensionState.REFUSED and task.original_deadline is None


def test_extension_on_a_closed_task_is_refused(office: FollowupOffice) -> None:
    task = office.task()
    services.submit_report(office.actor(office.chief), task, text="Xong", percent=100, reported_on=MONDAY)
    task.refresh_from_db()
    assert task.deadline is not None
    with pytest.raises(ValidationError) as error:
        services.request_extension(
            office.actor(office.board_officer),
            task,
            reason="Lý do",
            requested_deadline=task.deadline + datetime.timedelta(days=9),
        )
    assert "__all__" in error.value.error_dict


def test_cancel_and_evaluate(office: FollowupOffice) -> None:
    task = office.task()
    with pytest.raises(ValidationError):
        services.evaluate(office.actor(office.chief), task, evaluation="good")
    services.submit_report(office.actor(office.chief), task, text="Xong", percent=100, reported_on=MONDAY)
    task.refresh_from_db()
    services.evaluate(office.actor(office.chief), task, evaluation="good", note="Đúng hạn, chất lượng")
    other = office.task()
    services.cancel_task(office.actor(office.chief), other, reason="Không còn phù hợp")
    other.refresh_from_db()
    assert other.phase == Phase.CANCELLED
    with pytest.raises(PermissionDenied):
        services.cancel_task(office.actor(office.board_officer), task, reason="x")


def test_recurring_monthly_report_generates_occurrences(office: FollowupOffice) -> None:
    today = timezone.localdate()
    source = office.source(kind="directive", issued_on=today)
    first = today + datetime.timedelta(days=10)
    series = office.task(
        source, content="Báo cáo tình hình thực hiện hằng tháng", deadline=first, recurrence="monthly"
    )
    assert series.phase == Phase.SERIES
    # At creation: the occurrences due up to one month ahead, i.e. the first one.
    assert series.occurrences.count() == 1
    later = services.add_months(today, 2)
    made = services.generate_occurrences(later)
    # Two months later, up to one month ahead: the first three months' occurrences.
    assert made == 2 and series.occurrences.count() == 3
    assert services.generate_occurrences(later) == 0
    for occurrence in series.occurrences.all():  # moved to a working day when the date is a day off
        assert occurrence.deadline is not None and occurrence.deadline.weekday() < 5
        assert occurrence.phase == Phase.NOT_STARTED and occurrence.series_id == series.pk


def test_work_programme_item_due_at_the_end_of_its_quarter(office: FollowupOffice) -> None:
    programme = office.source(
        kind="work_programme", title="Chương trình làm việc năm 2026", reference="", issued_on=None, year=2026
    )
    item = office.task(programme, deadline=None, period_quarter=2, content="Sơ kết 6 tháng")
    assert item.deadline == datetime.date(2026, 6, 30)
    with pytest.raises(ValidationError):
        office.task(office.source(), deadline=None, period_month=3)
