"""Assigning tasks: deadlines by date or working days, sub-tasks and their weights, recurring
tasks, work programmes (followup.assignment)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from vanphong.core.models import AuditEvent
from vanphong.followup import assignment
from vanphong.followup.models import Phase, Task
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


def test_weights_that_do_not_sum_are_refused(office: FollowupOffice) -> None:
    parent = office.task()
    first = office.task(parent.source, parent=parent, weight=70, content="Khảo sát")
    with pytest.raises(ValidationError) as error:
        office.task(parent.source, parent=parent, weight=40, content="Dự thảo")
    assert "110%" in str(error.value)
    second = office.task(parent.source, parent=parent, weight=20, content="Dự thảo")
    with pytest.raises(ValidationError) as error:
        assignment.set_weights(system(office.org), parent, {first.pk: 60, second.pk: 30})
    assert "90%" in str(error.value)
    first.refresh_from_db()
    assert first.weight == 70
    assignment.set_weights(system(office.org), parent, {first.pk: 60, second.pk: 40})
    assert assignment.weights_total(parent) == 100


def test_work_programme_item_due_at_the_end_of_its_quarter(office: FollowupOffice) -> None:
    programme = office.source(
        kind="work_programme", title="Chương trình làm việc năm 2026", reference="", issued_on=None, year=2026
    )
    item = office.task(programme, deadline=None, period_quarter=2, content="Sơ kết 6 tháng")
    assert item.deadline == datetime.date(2026, 6, 30)
    with pytest.raises(ValidationError):
        office.task(office.source(), deadline=None, period_month=3)


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
    later = assignment.add_months(today, 2)
    made = assignment.generate_occurrences(later)
    # Two months later, up to one month ahead: the first three months' occurrences.
    assert made == 2 and series.occurrences.count() == 3
    assert assignment.generate_occurrences(later) == 0
    for occurrence in series.occurrences.all():  # moved to a working day when the date is a day off
        assert occurrence.deadline is not None and occurrence.deadline.weekday() < 5
        assert occurrence.phase == Phase.NOT_STARTED and occurrence.series_id == series.pk
