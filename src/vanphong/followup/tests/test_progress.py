"""Progress reports and their acceptance, the phase and roll-up that follow; evaluating and
cancelling (followup.progress, followup.assignment)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vanphong.followup import assignment, progress
from vanphong.followup.models import Phase, ProgressReport, ReportState
from vanphong.followup.tests.conftest import MONDAY, FollowupOffice

pytestmark = pytest.mark.django_db


def test_unit_report_waits_for_the_office_then_sets_progress(office: FollowupOffice) -> None:
    task = office.task()
    report = progress.submit_report(office.actor(office.board_officer), task, text="Đã dự thảo", percent=40)
    task.refresh_from_db()
    assert report.state == ReportState.PENDING and task.progress == 0
    progress.review_report(office.actor(office.chief), report, accept=True)
    task.refresh_from_db()
    assert task.progress == 40 and task.phase == Phase.IN_PROGRESS


def test_other_unit_cannot_report(office: FollowupOffice) -> None:
    task = office.task()
    with pytest.raises(PermissionDenied):
        progress.submit_report(office.actor(office.propaganda_officer), task, text="x", percent=10)


@pytest.mark.parametrize("percent", [101, -1])
def test_progress_outside_0_100_is_refused(office: FollowupOffice, percent: int) -> None:
    task = office.task()
    with pytest.raises(ValidationError) as error:
        progress.submit_report(office.actor(office.board_officer), task, text="Đã làm", percent=percent)
    assert "percent" in error.value.error_dict
    assert not ProgressReport.objects.exists()


def test_done_late_and_on_time(office: FollowupOffice) -> None:
    task = office.task(deadline=MONDAY + datetime.timedelta(days=3))
    progress.submit_report(
        office.actor(office.chief),
        task,
        text="Xong",
        percent=100,
        reported_on=MONDAY + datetime.timedelta(days=5),
    )
    task.refresh_from_db()
    assert task.phase == Phase.DONE_LATE and task.done_on == MONDAY + datetime.timedelta(days=5)
    other = office.task()
    progress.submit_report(office.actor(office.chief), other, text="Xong", percent=100, reported_on=MONDAY)
    other.refresh_from_db()
    assert other.phase == Phase.DONE_ON_TIME


def test_weighted_roll_up(office: FollowupOffice) -> None:
    parent = office.task()
    first = office.task(parent.source, parent=parent, weight=70, content="Khảo sát")
    second = office.task(parent.source, parent=parent, weight=30, content="Dự thảo")
    chief = office.actor(office.chief)
    progress.submit_report(chief, first, text="Một nửa", percent=50)
    progress.submit_report(chief, second, text="Xong", percent=100, reported_on=MONDAY)
    parent.refresh_from_db()
    assert parent.progress == 65 and parent.phase == Phase.IN_PROGRESS
    progress.submit_report(
        chief, first, text="Xong", percent=100, reported_on=MONDAY + datetime.timedelta(days=2)
    )
    parent.refresh_from_db()
    assert parent.progress == 100 and parent.done_on == MONDAY + datetime.timedelta(days=2)
    assert parent.phase == Phase.DONE_ON_TIME


def test_reports_go_on_subtasks_not_on_their_parent(office: FollowupOffice) -> None:
    parent = office.task()
    office.task(parent.source, parent=parent, weight=100, content="Khảo sát")
    with pytest.raises(ValidationError):
        progress.submit_report(office.actor(office.chief), parent, text="x", percent=10)


def test_cancel_and_evaluate(office: FollowupOffice) -> None:
    task = office.task()
    with pytest.raises(ValidationError):
        progress.evaluate(office.actor(office.chief), task, evaluation="good")
    progress.submit_report(office.actor(office.chief), task, text="Xong", percent=100, reported_on=MONDAY)
    task.refresh_from_db()
    progress.evaluate(office.actor(office.chief), task, evaluation="good", note="Đúng hạn, chất lượng")
    other = office.task()
    assignment.cancel_task(office.actor(office.chief), other, reason="Không còn phù hợp")
    other.refresh_from_db()
    assert other.phase == Phase.CANCELLED
    with pytest.raises(PermissionDenied):
        assignment.cancel_task(office.actor(office.board_officer), task, reason="x")
