"""The follow-up's workflows: their data, two people acting at once on one report, one extension
request or one task, and the task page offering exactly what the actor may do.

In each race both read the object first (two pages open), then act at the same moment; the second
acts on what the first left and is told the state it found.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from vanphong.core.models import AuditEvent
from vanphong.followup import assignment, extensions, progress
from vanphong.followup.models import (
    CLOSED_PHASES,
    ExtensionRequest,
    ExtensionState,
    Phase,
    ProgressReport,
    ReportState,
    Task,
)
from vanphong.followup.permissions import actions_for
from vanphong.followup.tests.conftest import MONDAY, FollowupOffice, build_followup_office
from vanphong.followup.workflow import EXTENSION, REPORT, TASK
from vanphong.testing import one_wins, race

RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_workflows_name_only_their_states_and_closed_tasks_only_get_evaluated():
    for workflow, states in (
        (TASK, set(Phase.values)),
        (REPORT, set(ReportState.values)),
        (EXTENSION, set(ExtensionState.values)),
    ):
        for transition in workflow.transitions:
            assert set(transition.sources) <= states
            assert transition.target is None or transition.target in states
    for phase in CLOSED_PHASES:
        allowed = [t.action for t in TASK.transitions if phase in t.sources]
        assert allowed == ([] if phase == Phase.CANCELLED else ["evaluated"])


def _events(action: str, obj: object) -> int:
    return AuditEvent.objects.filter(
        action=action,
        object_type=type(obj)._meta.label,  # type: ignore[attr-defined]
        object_id=str(obj.pk),  # type: ignore[attr-defined]
    ).count()


def _pending_report(office: FollowupOffice, task: Task, percent: int) -> ProgressReport:
    return progress.submit_report(
        office.actor(office.board_officer), task, text="Đã hoàn thành dự thảo", percent=percent
    )


@RACE
def test_a_report_accepted_and_returned_at_once(org_a):
    office = build_followup_office(org_a)
    task = office.task()
    report = _pending_report(office, task, 40)
    seen = [ProgressReport.objects.get(pk=report.pk) for _ in range(2)]
    one_wins(
        race(
            lambda: progress.review_report(office.actor(office.chief), seen[0], accept=True),
            lambda: progress.review_report(
                office.actor(office.clerk), seen[1], accept=False, note="Thiếu sản phẩm kèm theo"
            ),
        )
    )
    report.refresh_from_db()
    task.refresh_from_db()
    accepted = report.state == ReportState.ACCEPTED
    assert _events("followup.report.accepted", report) + _events("followup.report.returned", report) == 1
    assert task.progress == (40 if accepted else 0)
    assert _events("followup.task.progressed", task) == (1 if accepted else 0)


@RACE
def test_an_extension_granted_and_refused_at_once_moves_the_deadline_at_most_once(org_a):
    office = build_followup_office(org_a)
    task = office.task()
    old = task.deadline
    assert old is not None
    request = extensions.request_extension(
        office.actor(office.board_officer),
        task,
        reason="Chờ ý kiến của Trung ương",
        requested_deadline=old + datetime.timedelta(days=14),
    )
    seen = [ExtensionRequest.objects.get(pk=request.pk) for _ in range(2)]
    one_wins(
        race(
            lambda: extensions.decide_extension(office.actor(office.chief), seen[0], approve=True),
            lambda: extensions.decide_extension(
                office.actor(office.clerk), seen[1], approve=False, note="Đủ thời gian thực hiện"
            ),
        )
    )
    request.refresh_from_db()
    task.refresh_from_db()
    approved = request.state == ExtensionState.APPROVED
    assert task.deadline == (old + datetime.timedelta(days=14) if approved else old)
    assert task.original_deadline == (old if approved else None)
    assert (
        _events("followup.extension.approved", request) + _events("followup.extension.refused", request) == 1
    )
    assert _events("followup.task.extended", task) == (1 if approved else 0)


@RACE
def test_a_task_cancelled_while_its_last_report_is_accepted(org_a):
    office = build_followup_office(org_a)
    task = office.task()
    report = _pending_report(office, task, 100)
    seen_task, seen_report = Task.objects.get(pk=task.pk), ProgressReport.objects.get(pk=report.pk)
    one_wins(
        race(
            lambda: assignment.cancel_task(office.actor(office.chief), seen_task, reason="Không còn phù hợp"),
            lambda: progress.review_report(office.actor(office.clerk), seen_report, accept=True),
        )
    )
    task.refresh_from_db()
    report.refresh_from_db()
    cancelled = task.phase == Phase.CANCELLED
    assert cancelled or task.phase in (Phase.DONE_ON_TIME, Phase.DONE_LATE)
    assert report.state == (ReportState.PENDING if cancelled else ReportState.ACCEPTED)
    assert _events("followup.task.cancelled", task) + _events("followup.task.progressed", task) == 1


@RACE
def test_two_sub_tasks_reported_at_once_both_roll_up(org_a):
    office = build_followup_office(org_a)
    parent = office.task(deadline=MONDAY + datetime.timedelta(days=60))
    subtasks = [
        office.task(parent.source, parent=parent, weight=50, content=f"Phần việc {n}") for n in (1, 2)
    ]
    chief = office.actor(office.chief)
    outcomes = race(
        *(
            lambda sub=sub: progress.submit_report(chief, sub, text="Xong", percent=100, reported_on=MONDAY)
            for sub in subtasks
        )
    )
    assert not [outcome for outcome in outcomes if isinstance(outcome, BaseException)], outcomes
    parent.refresh_from_db()
    assert parent.progress == 100 and parent.phase == Phase.DONE_ON_TIME


@RACE
def test_two_reports_of_the_office_on_one_task_at_once_are_both_recorded(org_a):
    office = build_followup_office(org_a)
    task = office.task()
    chief, clerk = office.actor(office.chief), office.actor(office.clerk)
    outcomes = race(
        lambda: progress.submit_report(chief, task, text="Đã khảo sát", percent=30),
        lambda: progress.submit_report(clerk, task, text="Đã dự thảo", percent=50),
    )
    assert not [outcome for outcome in outcomes if isinstance(outcome, BaseException)], outcomes
    task.refresh_from_db()
    last = ProgressReport.objects.filter(task=task).order_by("reviewed_at").last()
    assert last is not None and task.progress == last.percent
    assert _events("followup.task.progressed", task) == 2


@RACE
def test_a_task_cancelled_while_a_report_on_its_sub_task_is_accepted(org_a):
    # Cancelling goes down the tree and a report rolls up: both lock from the top, so neither waits
    # for the other forever; whichever comes second acts on what the first left.
    office = build_followup_office(org_a)
    parent = office.task(deadline=MONDAY + datetime.timedelta(days=60))
    subtasks = [
        office.task(parent.source, parent=parent, weight=50, content=f"Phần việc {n}") for n in (1, 2)
    ]
    report = _pending_report(office, subtasks[0], 60)
    seen_parent, seen_report = Task.objects.get(pk=parent.pk), ProgressReport.objects.get(pk=report.pk)
    outcomes = race(
        lambda: assignment.cancel_task(office.actor(office.chief), seen_parent, reason="Không còn phù hợp"),
        lambda: progress.review_report(office.actor(office.clerk), seen_report, accept=True),
    )
    refused = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    assert all(isinstance(o, ValidationError) and o.code == "state" for o in refused), refused
    parent.refresh_from_db()
    report.refresh_from_db()
    assert parent.phase == Phase.CANCELLED
    assert Task.objects.filter(parent=parent, phase=Phase.CANCELLED).count() == 2
    assert (report.state == ReportState.ACCEPTED) == (not refused)


# -- the task page ----------------------------------------------------------------------------------


def _markers(task: Task, report: ProgressReport, request: ExtensionRequest) -> dict[str, str]:
    """What on the page stands for each action."""
    return {
        "report": f'action="/followup/tasks/{task.pk}/report/"',
        "extension": f'action="/followup/tasks/{task.pk}/extension/"',
        "subtask": 'name="sub-content"',
        "weights": f'action="/followup/tasks/{task.pk}/weights/"',
        "cancelled": f'action="/followup/tasks/{task.pk}/cancel/"',
        "evaluated": f'action="/followup/tasks/{task.pk}/evaluate/"',
        "accepted": f'action="/followup/reports/{report.pk}/accept/"',
        "returned": f'formaction="/followup/reports/{report.pk}/return/"',
        "approved": f'action="/followup/extensions/{request.pk}/approve/"',
        "refused": f'formaction="/followup/extensions/{request.pk}/refuse/"',
    }


@pytest.mark.django_db
def test_the_task_page_offers_exactly_what_the_actor_may_do(office: FollowupOffice, client_for) -> None:
    task = office.task(lead_unit=office.board)
    assert task.deadline is not None
    report = _pending_report(office, task, 40)
    request = extensions.request_extension(
        office.actor(office.board_officer),
        task,
        reason="Chờ ý kiến",
        requested_deadline=task.deadline + datetime.timedelta(days=7),
    )
    expected = {
        # The office: reports itself, adds sub-tasks, cancels, decides the report and the request.
        office.chief: {"report", "subtask", "cancelled", "accepted", "returned", "approved", "refused"},
        # The lead unit's member reports (an extension is already asked for).
        office.board_officer: {"report"},
        # The responsible member who monitors it, and the Inspection Committee, only read it.
        office.member: set(),
        office.inspector: set(),
    }
    for user, actions in expected.items():
        actor = office.actor(user)
        allowed = {*actions_for(actor, task), *actions_for(actor, report), *actions_for(actor, request)}
        assert allowed == actions, user
        page = client_for(user).get(f"/followup/tasks/{task.pk}/").content.decode()
        for action, marker in _markers(task, report, request).items():
            assert (marker in page) == (action in actions), (user, action)
    # Done: the office evaluates it, and nothing more is reported or asked for.
    progress.submit_report(office.actor(office.chief), task, text="Xong", percent=100, reported_on=MONDAY)
    task.refresh_from_db()
    report.refresh_from_db()
    chief = office.actor(office.chief)
    assert actions_for(chief, task) == ["evaluated"]
    assert actions_for(chief, report) == ["returned"] and actions_for(chief, request) == []
    page = client_for(office.chief).get(f"/followup/tasks/{task.pk}/").content.decode()
    assert f'action="/followup/tasks/{task.pk}/evaluate/"' in page
    assert f'action="/followup/tasks/{task.pk}/report/"' not in page
    assert f'action="/followup/reports/{report.pk}/accept/"' in page  # the form, to return it
    assert 'class="primary-inline"' not in page  # neither "Accept" nor "Approve"
    assert f'action="/followup/extensions/{request.pk}/approve/"' not in page
    # Someone of another unit does not see the task at all.
    assert client_for(office.propaganda_officer).get(f"/followup/tasks/{task.pk}/").status_code == 404
