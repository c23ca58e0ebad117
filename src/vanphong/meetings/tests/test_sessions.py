"""Meetings: invitations, attendance, quorum, votes, conclusions, closing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vanphong.followup.models import Task
from vanphong.meetings import drafting, rules, sessions, submissions
from vanphong.meetings.models import (
    Attendance,
    Invitee,
    Meeting,
    MeetingKind,
    Submission,
    SubmissionStatus,
)
from vanphong.testing import make_person

pytestmark = pytest.mark.django_db


def test_a_meeting_that_ends_before_it_starts_is_refused_and_nothing_is_saved(committee):
    start = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as error:
        sessions.save_meeting(
            committee.actor(committee.clerk),
            Meeting(
                kind=MeetingKind.STANDING,
                body=committee.btv,
                title="Họp",
                starts_at=start,
                ends_at=start - datetime.timedelta(hours=1),
                place="Phòng họp",
            ),
        )
    assert "ends_at" in error.value.error_dict
    assert not Meeting.objects.exists() and not Invitee.objects.exists()


def test_a_body_session_invites_the_body_and_computes_the_quorum(committee):
    meeting = committee.open(committee.meeting(days=-1))
    assert meeting.invitees.filter(is_member=True).count() == 9
    marks: dict[int, tuple[str, str]] = {i.pk: (Attendance.PRESENT, "") for i in meeting.invitees.all()[:5]}
    sessions.record_attendance(committee.actor(committee.clerk), meeting, marks)
    quorum = rules.quorum(meeting)
    assert quorum is not None
    assert (quorum.members, quorum.present, quorum.required, quorum.met) == (9, 5, 6, False)
    sixth = meeting.invitees.exclude(pk__in=marks).first()
    sessions.record_attendance(
        committee.actor(committee.clerk), meeting, {sixth.pk: (Attendance.PRESENT, "")}
    )
    assert (quorum := rules.quorum(meeting)) is not None and quorum.met


def test_a_decision_needs_more_than_half_of_all_members_not_of_those_present(committee):
    meeting = committee.meeting(days=-1)
    clerk = committee.actor(committee.clerk)
    item = sessions.add_item(clerk, meeting, title="Nghị quyết về chuyển đổi số")
    committee.open(meeting)
    invitees = list(meeting.invitees.all())
    sessions.record_attendance(
        clerk,
        meeting,
        {
            i.pk: (Attendance.PRESENT if n < 6 else Attendance.ABSENT, "" if n < 6 else "Đi công tác")
            for n, i in enumerate(invitees)
        },
    )
    # 4 of 6 present in favour is a majority of those present but not of the 9 members.
    vote = sessions.record_vote(
        clerk, item, question="Thông qua", ballot="open", votes_for=4, votes_against=1, abstentions=1
    )
    assert (vote.members, vote.present, vote.needed, vote.passed) == (9, 6, 5, False)
    vote = sessions.record_vote(
        clerk, item, question="Thông qua lần 2", ballot="secret", votes_for=5, votes_against=1, abstentions=0
    )
    assert vote.passed


def test_a_vote_without_quorum_does_not_pass(committee):
    meeting = committee.meeting(days=-1)
    clerk = committee.actor(committee.clerk)
    item = sessions.add_item(clerk, meeting, title="Nghị quyết về chuyển đổi số")
    committee.open(meeting)
    # Five of the nine members came: five in favour are more than half of all members, but the
    # quorum (2/3 of nine: six present) is not met, so nothing the meeting votes on passes.
    sessions.record_attendance(
        clerk, meeting, {i.pk: (Attendance.PRESENT, "") for i in meeting.invitees.all()[:5]}
    )
    vote = sessions.record_vote(
        clerk, item, question="Thông qua", ballot="open", votes_for=5, votes_against=0, abstentions=0
    )
    assert (vote.members, vote.present, vote.votes_for) == (9, 5, 5)
    assert not vote.passed
    assert not vote.quorum_met
    vote.refresh_from_db()
    assert not vote.passed
    # The conclusion notice says so too.
    sessions.add_conclusion(clerk, item, kind="information", text="Hội nghị không đủ số lượng để quyết định.")
    sessions.close_meeting(clerk, meeting, minutes="Hội nghị không đủ số lượng ủy viên dự.")
    assert "không thông qua (hội nghị không đủ số lượng)" in drafting.make_notice(clerk, meeting).body


def test_a_vote_total_above_the_members_present_is_refused(committee):
    meeting = committee.meeting(days=-1)
    clerk = committee.actor(committee.clerk)
    item = sessions.add_item(clerk, meeting, title="Quy chế làm việc")
    committee.open(meeting)
    sessions.record_attendance(
        clerk, meeting, {i.pk: (Attendance.PRESENT, "") for i in meeting.invitees.all()[:6]}
    )
    with pytest.raises(ValidationError, match="chỉ có 6 ủy viên"):
        sessions.record_vote(
            clerk, item, question="Thông qua", ballot="open", votes_for=6, votes_against=1, abstentions=0
        )
    assert not item.votes.exists()


def test_attendance_votes_and_conclusions_wait_for_the_meeting_to_start(committee):
    meeting = committee.meeting(days=10)
    clerk = committee.actor(committee.clerk)
    item = sessions.add_item(clerk, meeting, title="Công tác chuẩn bị Đại hội")
    # They are recorded while it is in session, and it is opened from its start time on.
    with pytest.raises(ValidationError, match="khi hội nghị đã bắt đầu"):
        committee.open(meeting)
    with pytest.raises(ValidationError, match="trạng thái “Dự kiến”"):
        sessions.record_attendance(
            clerk, meeting, {i.pk: (Attendance.PRESENT, "") for i in meeting.invitees.all()}
        )
    with pytest.raises(ValidationError, match="trạng thái “Dự kiến”"):
        sessions.record_vote(
            clerk, item, question="Thông qua", ballot="open", votes_for=0, votes_against=0, abstentions=0
        )
    with pytest.raises(ValidationError, match="trạng thái “Dự kiến”"):
        sessions.add_conclusion(
            clerk,
            item,
            kind="task",
            text="Hoàn thiện dự thảo báo cáo chính trị",
            lead_unit=committee.org_unit,
            deadline=meeting.day + datetime.timedelta(days=30),
        )
    assert not meeting.invitees.exclude(attendance=Attendance.UNKNOWN).exists()
    assert not item.votes.exists() and not item.conclusions.exists()
    assert not Task.objects.exists()
    # Once the meeting has started they are recorded.
    start = timezone.now() - datetime.timedelta(minutes=5)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=start, ends_at=start + datetime.timedelta(hours=3))
    meeting.refresh_from_db()
    item.refresh_from_db()
    committee.open(meeting)
    sessions.record_attendance(
        clerk, meeting, {i.pk: (Attendance.PRESENT, "") for i in meeting.invitees.all()}
    )
    conclusion = sessions.add_conclusion(
        clerk,
        item,
        kind="task",
        text="Hoàn thiện dự thảo báo cáo chính trị",
        lead_unit=committee.org_unit,
        deadline=meeting.day + datetime.timedelta(days=30),
    )
    assert conclusion.task is not None


def test_an_invitee_from_another_organisation_needs_a_guest_record(committee, org_b):
    meeting = committee.meeting()
    stranger = make_person(org_b, "Phan Văn Khách")
    clerk = committee.actor(committee.clerk)
    with pytest.raises(ValidationError, match="khách mời"):
        sessions.invite(clerk, meeting, person=stranger)
    guest = sessions.invite(
        clerk, meeting, guest_name="Phan Văn Khách", guest_title="Phó Chủ tịch UBND tỉnh Lâm Hà"
    )
    assert guest.person is None and not guest.is_member
    assert meeting.invitees.count() == 10


def test_closing_the_meeting_decides_its_papers_and_withdrawing_hides_them_from_members(committee):
    from vanphong.core.access import visible
    from vanphong.meetings.models import Paper

    submission = committee.ready()
    clerk = committee.actor(committee.clerk)
    meeting = committee.meeting(days=7)
    submissions.schedule(clerk, submission, meeting)
    member = committee.actor(committee.member)
    assert visible(member, Paper).count() == 1
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    meeting.refresh_from_db()
    committee.open(meeting)
    sessions.close_meeting(clerk, meeting, minutes="Đã họp.")
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.DECIDED
    sessions.withdraw_papers(clerk, meeting)
    assert visible(member, Paper).count() == 0
    assert visible(clerk, Paper).count() == 1


def test_only_the_office_prepares_meetings(committee):
    with pytest.raises(PermissionDenied):
        sessions.save_meeting(
            committee.actor(committee.member),
            Meeting(
                kind="other",
                title="Họp",
                starts_at=timezone.now(),
                ends_at=timezone.now() + datetime.timedelta(hours=1),
                place="P1",
            ),
        )
