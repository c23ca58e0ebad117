"""Extensions of a task's deadline (followup.extensions)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from vanphong.followup import extensions, progress, selectors
from vanphong.followup.models import ExtensionState, Phase
from vanphong.followup.tests.conftest import MONDAY, FollowupOffice

pytestmark = pytest.mark.django_db


def test_extension_approved_keeps_history(office: FollowupOffice) -> None:
    task = office.task()
    old = task.deadline
    assert old is not None
    request = extensions.request_extension(
        office.actor(office.board_officer),
        task,
        reason="Chờ ý kiến Trung ương",
        requested_deadline=old + datetime.timedelta(days=14),
    )
    extensions.decide_extension(office.actor(office.chief), request, approve=True)
    task.refresh_from_db()
    request.refresh_from_db()
    assert task.deadline == old + datetime.timedelta(days=14) and task.original_deadline == old
    assert task.phase == Phase.EXTENDED
    assert request.state == ExtensionState.APPROVED and request.previous_deadline == old
    assert request.decided_by == office.chief
    # The task's history holds the events of the task and of its request, newest first.
    history = [event.action for event in selectors.history(task)]
    assert history[:3] == [
        "followup.extension.approved",
        "followup.task.extended",
        "followup.extension.requested",
    ]


def test_extension_refused_needs_a_reason(office: FollowupOffice) -> None:
    task = office.task()
    assert task.deadline is not None
    request = extensions.request_extension(
        office.actor(office.board_officer),
        task,
        reason="Lý do",
        requested_deadline=task.deadline + datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        extensions.decide_extension(office.actor(office.chief), request, approve=False)
    extensions.decide_extension(office.actor(office.chief), request, approve=False, note="Đủ thời gian")
    request.refresh_from_db()
    task.refresh_from_db()
    assert request.state == ExtensionState.REFUSED and task.original_deadline is None


def test_extension_on_a_closed_task_is_refused(office: FollowupOffice) -> None:
    task = office.task()
    progress.submit_report(office.actor(office.chief), task, text="Xong", percent=100, reported_on=MONDAY)
    task.refresh_from_db()
    assert task.deadline is not None
    with pytest.raises(ValidationError) as error:
        extensions.request_extension(
            office.actor(office.board_officer),
            task,
            reason="Lý do",
            requested_deadline=task.deadline + datetime.timedelta(days=9),
        )
    assert "__all__" in error.value.error_dict
