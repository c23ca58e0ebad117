"""The workflows of submissions and meetings: their data, and two people acting at once on one
submission or one meeting.

In each race both read the object first (two pages open), then act at the same moment; the second
acts on what the first left, so exactly one of them wins, the other is told the state it is in now,
and the history holds one step.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from vanphong.core.models import AuditEvent
from vanphong.meetings import sessions, submissions
from vanphong.meetings.models import AgendaItem, Meeting, MeetingStatus, Submission, SubmissionStatus
from vanphong.meetings.tests.conftest import Committee, build_committee
from vanphong.meetings.workflow import MEETINGS, SUBMISSIONS
from vanphong.testing import one_wins, race

RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize(
    ("workflow", "start", "states", "final"),
    [
        (
            SUBMISSIONS,
            SubmissionStatus.DRAFT,
            SubmissionStatus,
            {SubmissionStatus.DECLINED, SubmissionStatus.DECIDED, SubmissionStatus.WITHDRAWN},
        ),
        (MEETINGS, MeetingStatus.PLANNED, MeetingStatus, {MeetingStatus.HELD, MeetingStatus.CANCELLED}),
    ],
)
def test_the_workflow_data_reaches_every_state_and_final_states_are_final(workflow, start, states, final):
    reached, frontier = {start}, [start]
    while frontier:
        state = frontier.pop()
        for transition in workflow.transitions:
            if state in transition.sources and transition.target and transition.target not in reached:
                reached.add(transition.target)
                frontier.append(transition.target)
    assert reached == set(states.values)
    assert all(set(t.sources) <= set(states.values) for t in workflow.transitions)
    leaving = {state for t in workflow.transitions if t.target for state in t.sources}
    assert not leaving & final


def _events(obj: Meeting | Submission, *actions: str) -> int:
    return AuditEvent.objects.filter(object_id=str(obj.pk), action__in=actions).count()


def _under_appraisal(committee: Committee) -> Submission:
    submission = committee.submission()
    submissions.submit(committee.actor(committee.specialist), submission)
    submissions.start_appraisal(committee.actor(committee.chief), submission, appraiser=committee.clerk)
    return submission


@RACE
def test_an_appraisal_returned_and_found_ready_at_once(org_a):
    committee = build_committee(org_a)
    submission = _under_appraisal(committee)
    first, second = Submission.objects.get(pk=submission.pk), Submission.objects.get(pk=submission.pk)
    one_wins(
        race(
            lambda: submissions.appraise(
                committee.actor(committee.chief), first, recommendation="revise", text="Bổ sung số liệu."
            ),
            lambda: submissions.appraise(
                committee.actor(committee.clerk), second, recommendation="ready", text="Đủ điều kiện."
            ),
        )
    )
    submission.refresh_from_db()
    assert submission.status in (SubmissionStatus.RETURNED, SubmissionStatus.READY)
    assert _events(submission, "submission.return", "submission.ready") == 1


@RACE
def test_a_paper_scheduled_and_withdrawn_at_once_leaves_no_agenda_item_for_a_withdrawn_paper(org_a):
    committee = build_committee(org_a)
    submission = committee.ready()
    meeting = committee.meeting(days=10)
    first, second = Submission.objects.get(pk=submission.pk), Submission.objects.get(pk=submission.pk)
    one_wins(
        race(
            lambda: submissions.schedule(committee.actor(committee.clerk), first, meeting),
            lambda: submissions.withdraw(committee.actor(committee.specialist), second),
        )
    )
    submission.refresh_from_db()
    on_agenda = AgendaItem.objects.filter(submission=submission).exists()
    assert on_agenda == (submission.status == SubmissionStatus.SCHEDULED)
    assert _events(submission, "submission.schedule", "submission.withdraw") == 1


def _started(committee: Committee) -> Meeting:
    meeting = committee.meeting(days=0)
    start = timezone.now() - datetime.timedelta(minutes=30)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=start, ends_at=start + datetime.timedelta(hours=3))
    meeting.refresh_from_db()
    return meeting


def _read_twice(meeting: Meeting) -> tuple[Meeting, Meeting]:
    return Meeting.objects.get(pk=meeting.pk), Meeting.objects.get(pk=meeting.pk)


@RACE
def test_a_session_opened_and_postponed_at_once(org_a):
    committee = build_committee(org_a)
    meeting = _started(committee)
    first, second = _read_twice(meeting)
    later = timezone.now() + datetime.timedelta(days=7)
    clerk, chief = committee.actor(committee.clerk), committee.actor(committee.chief)
    one_wins(
        race(
            lambda: sessions.open_session(clerk, first),
            lambda: sessions.postpone(
                chief,
                second,
                starts_at=later,
                ends_at=later + datetime.timedelta(hours=2),
                reason="Trùng lịch",
            ),
        )
    )
    meeting.refresh_from_db()
    assert meeting.status in (MeetingStatus.IN_SESSION, MeetingStatus.POSTPONED)
    assert _events(meeting, "meeting.opened", "meeting.postponed") == 1


@RACE
def test_a_meeting_closed_and_cancelled_at_once(org_a):
    committee = build_committee(org_a)
    meeting = _started(committee)
    sessions.open_session(committee.actor(committee.clerk), meeting)
    first, second = _read_twice(meeting)
    one_wins(
        race(
            lambda: sessions.close_meeting(committee.actor(committee.chief), first, minutes="Đã họp."),
            lambda: sessions.cancel_meeting(committee.actor(committee.clerk), second, reason="Hủy"),
        )
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes) == (MeetingStatus.HELD, "Đã họp.")
    assert _events(meeting, "meeting.held", "meeting.cancelled") == 1


@RACE
def test_a_session_opened_and_cancelled_at_once(org_a):
    committee = build_committee(org_a)
    submission = committee.ready()
    meeting = committee.meeting(days=10)
    submissions.schedule(committee.actor(committee.clerk), submission, meeting)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    first, second = _read_twice(meeting)
    one_wins(
        race(
            lambda: sessions.open_session(committee.actor(committee.clerk), first),
            lambda: sessions.cancel_meeting(committee.actor(committee.chief), second, reason="Không tổ chức"),
        )
    )
    meeting.refresh_from_db()
    submission.refresh_from_db()
    # A cancelled meeting's paper is ready for another one; an opened one keeps it on its agenda.
    expected = {
        MeetingStatus.CANCELLED: SubmissionStatus.READY,
        MeetingStatus.IN_SESSION: SubmissionStatus.SCHEDULED,
    }
    assert submission.status == expected[MeetingStatus(meeting.status)]
    assert _events(meeting, "meeting.cancelled", "meeting.opened") == 1
