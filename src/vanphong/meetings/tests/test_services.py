"""Submissions and appraisal, meetings, attendance, votes, conclusions and the documents made from them."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from docx import Document as DocxDocument

from vanphong.core.models import AuditEvent
from vanphong.documents.outgoing import render_input
from vanphong.documents.rendering import render_docx
from vanphong.documents.tests.conftest import pdf_bytes
from vanphong.followup.models import Task
from vanphong.meetings import services
from vanphong.meetings.models import (
    AgendaItem,
    Attendance,
    Conclusion,
    Invitee,
    Meeting,
    MeetingKind,
    MeetingRule,
    Submission,
    SubmissionStatus,
)
from vanphong.meetings.tests.conftest import Committee
from vanphong.testing import make_person

pytestmark = pytest.mark.django_db


def _ready(committee: Committee, **fields) -> Submission:
    """A submission submitted, appraised and found ready to present."""
    submission = committee.submission(**fields)
    services.submit(committee.actor(committee.specialist), submission)
    chief = committee.actor(committee.chief)
    services.start_appraisal(chief, submission, appraiser=committee.chief)
    return services.appraise(chief, submission, recommendation="ready", text="Đủ điều kiện trình.")


def test_submission_goes_through_appraisal_with_versions_and_an_audited_trail(committee):
    unit = committee.actor(committee.specialist)
    chief = committee.actor(committee.chief)
    submission = committee.submission()
    assert submission.status == SubmissionStatus.DRAFT
    assert submission.versions.get().papers.count() == 1
    services.submit(unit, submission)
    services.start_appraisal(chief, submission, appraiser=committee.chief)
    opinions = services.request_opinions(chief, submission, units=[committee.propaganda_unit], days=3)
    assert opinions[0].due > timezone.localdate()
    services.answer_opinion(committee.actor(committee.outsider), opinions[0], text="Nhất trí với tờ trình.")
    services.appraise(chief, submission, recommendation="revise", text="Bổ sung số liệu quý III.")
    assert submission.status == SubmissionStatus.RETURNED
    # The unit revises: a second version; the first is kept.
    submission.summary = "Đã bổ sung số liệu."
    services.save_submission(
        unit, submission, files=[("to-trinh-v2.pdf", pdf_bytes("v2"))], note="Bổ sung số liệu"
    )
    assert list(submission.versions.values_list("number", flat=True)) == [1, 2]
    services.submit(unit, submission)
    services.start_appraisal(chief, submission, appraiser=committee.chief)
    services.appraise(chief, submission, recommendation="ready", text="Đủ điều kiện trình.")
    assert submission.status == SubmissionStatus.READY
    actions = list(
        AuditEvent.objects.filter(object_type="meetings.Submission", object_id=str(submission.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "submission.created",
        "submission.submit",
        "submission.start_appraisal",
        "submission.opinions_requested",
        "opinion.answered",
        "submission.return",
        "submission.updated",
        "submission.submit",
        "submission.start_appraisal",
        "submission.ready",
    ]


def test_transitions_outside_the_workflow_are_refused(committee):
    submission = committee.submission()
    chief = committee.actor(committee.chief)
    with pytest.raises(ValidationError):
        services.appraise(chief, submission, recommendation="ready", text="x")
    with pytest.raises(ValidationError):
        services.schedule(chief, submission, committee.meeting())
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT


def test_not_in_competence_is_a_final_answer(committee):
    submission = committee.submission()
    services.submit(committee.actor(committee.specialist), submission)
    chief = committee.actor(committee.chief)
    services.start_appraisal(chief, submission, appraiser=committee.chief)
    services.appraise(chief, submission, recommendation="not_competent", text="Thuộc thẩm quyền UBND tỉnh.")
    assert submission.status == SubmissionStatus.DECLINED
    assert services.allowed_actions(submission) == []


def test_a_submission_needs_files_and_a_unit_of_the_organisation(committee, org_b):
    from vanphong.testing import make_unit

    with pytest.raises(ValidationError) as error:
        services.save_submission(
            committee.actor(committee.specialist),
            Submission(title="Đề án", kind="de_an", unit=make_unit(org_b, "Ban khác"), body=committee.btv),
        )
    assert set(error.value.error_dict) == {"unit", "files"}
    assert not Submission.objects.exists()


def test_scheduling_puts_the_paper_on_the_agenda_and_checks_the_paper_deadline(committee):
    submission = _ready(committee)
    clerk = committee.actor(committee.clerk)
    # Papers are due three working days before (the default rule); a meeting tomorrow is too close.
    soon = committee.meeting(days=1)
    with pytest.raises(ValidationError, match="hãy xác nhận"):
        services.schedule(clerk, submission, soon)
    item = services.schedule(clerk, submission, soon, accept_late=True)
    assert item.title == submission.title and item.order == 1
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.SCHEDULED


def test_a_submission_cannot_be_scheduled_onto_a_meeting_that_took_place(committee):
    submission = _ready(committee)
    past = committee.meeting(days=-3)
    with pytest.raises(ValidationError, match="đã diễn ra"):
        services.schedule(committee.actor(committee.clerk), submission, past, accept_late=True)
    assert not AgendaItem.objects.exists()
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.READY


def test_papers_are_due_working_days_before_the_meeting_per_the_organisations_rule(committee):
    meeting = committee.meeting(days=10)
    meeting.starts_at = timezone.make_aware(datetime.datetime(2026, 9, 7, 8, 0))  # Monday after 2/9
    meeting.ends_at = meeting.starts_at + datetime.timedelta(hours=2)
    # National Day 2026 (Labour Code 2019 art. 112): 1-2/9 off, and 31/8 off in exchange for
    # Saturday 22/8. Three working days before Monday 7/9 are Fri 4/9, Thu 3/9 and Fri 28/8.
    assert services.papers_due(meeting) == datetime.date(2026, 8, 28)
    MeetingRule.objects.create(
        organisation=committee.org, body_kind="btv", papers_days=5, source="Quy chế làm việc"
    )
    assert services.papers_due(meeting) == datetime.date(2026, 8, 26)


def test_a_meeting_that_ends_before_it_starts_is_refused_and_nothing_is_saved(committee):
    start = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as error:
        services.save_meeting(
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
    meeting = committee.meeting(days=-1)
    assert meeting.invitees.filter(is_member=True).count() == 9
    marks: dict[int, tuple[str, str]] = {i.pk: (Attendance.PRESENT, "") for i in meeting.invitees.all()[:5]}
    services.record_attendance(committee.actor(committee.clerk), meeting, marks)
    quorum = services.quorum(meeting)
    assert quorum is not None
    assert (quorum.members, quorum.present, quorum.required, quorum.met) == (9, 5, 6, False)
    sixth = meeting.invitees.exclude(pk__in=marks).first()
    services.record_attendance(
        committee.actor(committee.clerk), meeting, {sixth.pk: (Attendance.PRESENT, "")}
    )
    assert (quorum := services.quorum(meeting)) is not None and quorum.met


def test_a_decision_needs_more_than_half_of_all_members_not_of_those_present(committee):
    meeting = committee.meeting(days=-1)
    clerk = committee.actor(committee.clerk)
    invitees = list(meeting.invitees.all())
    services.record_attendance(
        clerk,
        meeting,
        {
            i.pk: (Attendance.PRESENT if n < 6 else Attendance.ABSENT, "" if n < 6 else "Đi công tác")
            for n, i in enumerate(invitees)
        },
    )
    item = services.add_item(clerk, meeting, title="Nghị quyết về chuyển đổi số")
    # 4 of 6 present in favour is a majority of those present but not of the 9 members.
    vote = services.record_vote(
        clerk, item, question="Thông qua", ballot="open", votes_for=4, votes_against=1, abstentions=1
    )
    assert (vote.members, vote.present, vote.needed, vote.passed) == (9, 6, 5, False)
    vote = services.record_vote(
        clerk, item, question="Thông qua lần 2", ballot="secret", votes_for=5, votes_against=1, abstentions=0
    )
    assert vote.passed


def test_a_vote_without_quorum_does_not_pass(committee):
    meeting = committee.meeting(days=-1)
    clerk = committee.actor(committee.clerk)
    # Five of the nine members came: five in favour are more than half of all members, but the
    # quorum (2/3 of nine: six present) is not met, so nothing the meeting votes on passes.
    services.record_attendance(
        clerk, meeting, {i.pk: (Attendance.PRESENT, "") for i in meeting.invitees.all()[:5]}
    )
    item = services.add_item(clerk, meeting, title="Nghị quyết về chuyển đổi số")
    vote = services.record_vote(
        clerk, item, question="Thông qua", ballot="open", votes_for=5, votes_against=0, abstentions=0
    )
    assert (vote.members, vote.present, vote.votes_for) == (9, 5, 5)
    assert not vote.passed
    assert not vote.quorum_met
    vote.refresh_from_db()
    assert not vote.passed
    # The conclusion notice says so too.
    services.add_conclusion(clerk, item, kind="information", text="Hội nghị không đủ số lượng để quyết định.")
    services.close_meeting(clerk, meeting, minutes="Hội nghị không đủ số lượng ủy viên dự.")
    assert "không thông qua (hội nghị không đủ số lượng)" in services.make_notice(clerk, meeting).body


def test_a_vote_total_above_the_members_present_is_refused(committee):
    meeting = committee.meeting(days=-1)
    clerk = committee.actor(committee.clerk)
    services.record_attendance(
        clerk, meeting, {i.pk: (Attendance.PRESENT, "") for i in meeting.invitees.all()[:6]}
    )
    item = services.add_item(clerk, meeting, title="Quy chế làm việc")
    with pytest.raises(ValidationError, match="chỉ có 6 ủy viên"):
        services.record_vote(
            clerk, item, question="Thông qua", ballot="open", votes_for=6, votes_against=1, abstentions=0
        )
    assert not item.votes.exists()


def test_attendance_votes_and_conclusions_wait_for_the_meeting_to_start(committee):
    meeting = committee.meeting(days=10)
    clerk = committee.actor(committee.clerk)
    item = services.add_item(clerk, meeting, title="Công tác chuẩn bị Đại hội")
    with pytest.raises(ValidationError, match="khi hội nghị đã bắt đầu"):
        services.record_attendance(
            clerk, meeting, {i.pk: (Attendance.PRESENT, "") for i in meeting.invitees.all()}
        )
    with pytest.raises(ValidationError, match="khi hội nghị đã bắt đầu"):
        services.record_vote(
            clerk, item, question="Thông qua", ballot="open", votes_for=0, votes_against=0, abstentions=0
        )
    with pytest.raises(ValidationError, match="khi hội nghị đã bắt đầu"):
        services.add_conclusion(
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
    services.record_attendance(
        clerk, meeting, {i.pk: (Attendance.PRESENT, "") for i in meeting.invitees.all()}
    )
    conclusion = services.add_conclusion(
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
        services.invite(clerk, meeting, person=stranger)
    guest = services.invite(
        clerk, meeting, guest_name="Phan Văn Khách", guest_title="Phó Chủ tịch UBND tỉnh Lâm Hà"
    )
    assert guest.person is None and not guest.is_member
    assert meeting.invitees.count() == 10


def test_a_person_booked_twice_is_warned_about(committee):
    first = committee.meeting(days=5)
    second = committee.meeting(
        days=5,
        kind=MeetingKind.WORKING,
        body=None,
        title="Làm việc với Đảng ủy xã Tân Hòa",
        chair=committee.members[0],
    )
    conflicts = services.conflicts(second)
    assert [(c.person, c.meeting) for c in conflicts] == [(committee.members[0], first)]
    later = committee.meeting(days=6, kind=MeetingKind.WORKING, body=None, title="Làm việc với Sở Nội vụ")
    assert services.conflicts(later) == []


def test_conclusions_and_the_conclusion_notice_in_the_party_format(committee):
    meeting = committee.meeting(days=-1)
    clerk = committee.actor(committee.clerk)
    item = services.add_item(clerk, meeting, title="Công tác chuẩn bị Đại hội")
    with pytest.raises(ValidationError) as error:
        services.add_conclusion(clerk, item, kind="task", text="Chuẩn bị văn kiện")
    assert set(error.value.error_dict) == {"lead_unit", "deadline"}
    services.add_conclusion(clerk, item, kind="decision", text="Thống nhất thông qua kế hoạch.")
    services.add_conclusion(
        clerk,
        item,
        kind="task",
        text="Hoàn thiện dự thảo báo cáo chính trị",
        lead_unit=committee.org_unit,
        responsible=committee.members[1],
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    with pytest.raises(ValidationError, match="sau khi hội nghị đã họp"):
        services.make_notice(clerk, meeting)
    services.close_meeting(clerk, meeting, minutes="Hội nghị thảo luận và thống nhất.")
    notice = services.make_notice(clerk, meeting)
    meeting.refresh_from_db()
    assert meeting.notice == notice and notice.doc_type.symbol == "TB" and notice.status == "draft"
    # Signed for the body by its chair (HD 36-HD/VPTW): T/M BAN THƯỜNG VỤ, BÍ THƯ.
    assert (notice.signing_authority, notice.signing_body, notice.signer_title) == (
        "T/M",
        "BAN THƯỜNG VỤ",
        "BÍ THƯ",
    )
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(render_docx(render_input(notice)))).paragraphs)
    assert "THÔNG BÁO" in text
    assert "Giao Ban Tổ chức Tỉnh ủy chủ trì thực hiện" in text
    assert "Thống nhất thông qua kế hoạch." in text
    minutes = services.make_minutes_document(clerk, meeting)
    assert minutes.doc_type.symbol == "BB" and "Hội nghị thảo luận và thống nhất." in minutes.body
    assert (minutes.signing_authority, minutes.signer_title) == ("", "CHỦ TRÌ HỘI NGHỊ")
    invitation = services.make_invitation(clerk, meeting)
    assert invitation.doc_type.symbol == "GM" and "Phòng họp số 1" in invitation.body
    # The task conclusion is tracked by the follow-up, under one source for the meeting.
    task_conclusion = Conclusion.objects.get(kind="task")
    assert task_conclusion.task is not None
    assert task_conclusion.task.content == "Hoàn thiện dự thảo báo cáo chính trị"
    assert task_conclusion.task.lead_unit == committee.org_unit
    assert task_conclusion.task.source == meeting.followup_source
    assert meeting.followup_source.kind == "meeting_conclusion"


def test_the_invitation_does_not_name_secret_items(committee):
    meeting = committee.meeting()
    clerk = committee.actor(committee.clerk)
    services.add_item(clerk, meeting, title="Báo cáo tình hình kinh tế")
    services.add_item(clerk, meeting, title="Nhân sự diện Ban Thường vụ quản lý", secrecy=2)
    invitation = services.make_invitation(clerk, meeting)
    assert "Báo cáo tình hình kinh tế" in invitation.body
    assert "Nhân sự" not in invitation.body and invitation.secrecy == 0


def test_closing_the_meeting_decides_its_papers_and_withdrawing_hides_them_from_members(committee):
    from vanphong.core.access import visible
    from vanphong.meetings.models import Paper

    submission = _ready(committee)
    clerk = committee.actor(committee.clerk)
    meeting = committee.meeting(days=7)
    services.schedule(clerk, submission, meeting)
    member = committee.actor(committee.member)
    assert visible(member, Paper).count() == 1
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    meeting.refresh_from_db()
    services.close_meeting(clerk, meeting, minutes="Đã họp.")
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.DECIDED
    services.withdraw_papers(clerk, meeting)
    assert visible(member, Paper).count() == 0
    assert visible(clerk, Paper).count() == 1


def test_only_the_office_prepares_meetings(committee):
    with pytest.raises(PermissionDenied):
        services.save_meeting(
            committee.actor(committee.member),
            Meeting(
                kind="other",
                title="Họp",
                starts_at=timezone.now(),
                ends_at=timezone.now() + datetime.timedelta(hours=1),
                place="P1",
            ),
        )


def test_the_organisations_rule_is_set_in_the_admin_and_audited(committee, client_for):
    from vanphong.testing import make_user

    root = make_user(committee.org, "root", roles=["administrator"], superuser=True)
    response = client_for(root).post(
        "/admin/meetings/meetingrule/add/",
        {
            "organisation": committee.org.pk,
            "body_kind": "btv",
            "quorum_numerator": 1,
            "quorum_denominator": 2,
            "papers_days": 5,
            "source": "Quy chế làm việc khóa XV, Điều 12",
        },
    )
    assert response.status_code == 302
    meeting = committee.meeting()
    quorum = services.quorum(meeting)
    assert quorum is not None and quorum.required == 5  # half of 9, rounded up
    assert AuditEvent.objects.filter(object_type="meetings.MeetingRule").exists()
