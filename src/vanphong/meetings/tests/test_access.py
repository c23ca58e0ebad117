"""Who sees meetings, agenda items and papers: pages, the iCalendar feed and the audit of openings."""

from __future__ import annotations

import datetime
import io

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vanphong.core.access import visible
from vanphong.core.models import AuditEvent
from vanphong.meetings import ical, sessions, submissions
from vanphong.meetings import schedule as weekly
from vanphong.meetings.models import Attendance, Meeting, MeetingKind, MeetingStatus, Paper
from vanphong.meetings.tests.conftest import Committee

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Phương án nhân sự Ban Thường vụ khóa mới"


def _meeting_with_secret_item(committee: Committee) -> Meeting:
    meeting = committee.meeting(days=4)
    clerk = committee.actor(committee.clerk)
    sessions.add_item(clerk, meeting, title="Báo cáo kinh tế - xã hội quý IV")
    secret = committee.ready(title=SECRET_TITLE, secrecy=1)
    submissions.schedule(clerk, secret, meeting)
    return meeting


def test_members_invitees_and_the_office_see_a_meeting_others_do_not(committee):
    meeting = committee.meeting()
    private = committee.meeting(
        days=3, kind=MeetingKind.WORKING, body=None, title="Làm việc riêng", chair=committee.members[4]
    )
    for user, expected in [
        (committee.member, {meeting.pk}),  # a BTV member: the BTV meeting, not the working session
        (committee.clerk, {meeting.pk, private.pk}),
        (committee.secretary, {meeting.pk, private.pk}),  # standing leader
        (committee.outsider, set()),
    ]:
        assert set(visible(committee.actor(user), Meeting).values_list("pk", flat=True)) == expected, user
    sessions.invite(committee.actor(committee.clerk), private, person=committee.members[1])
    assert private in visible(committee.actor(committee.member), Meeting)


def test_a_member_below_an_items_secrecy_sees_the_meeting_but_not_the_item(committee, client_for):
    meeting = _meeting_with_secret_item(committee)
    page = client_for(committee.member).get(reverse("meetings:meeting", args=[meeting.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Báo cáo kinh tế - xã hội quý IV" in html
    assert SECRET_TITLE not in html
    assert "to-trinh.pdf" not in html
    paper = Paper.objects.get(version__submission__title=SECRET_TITLE)
    assert client_for(committee.member).get(reverse("meetings:paper", args=[paper.pk])).status_code == 404
    # The list and calendar views do not name it either.
    for view in ("month", "week", "list"):
        listing = client_for(committee.member).get(
            reverse("meetings:list"), {"view": view, "date": meeting.day.isoformat()}
        )
        assert SECRET_TITLE not in listing.content.decode()
    # The secretary (Tuyệt mật clearance) sees it and its paper; opening it is audited.
    secretary = client_for(committee.secretary)
    assert SECRET_TITLE in secretary.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    response = secretary.get(reverse("meetings:paper", args=[paper.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    opened = AuditEvent.objects.get(action="paper.opened")
    assert opened.actor == committee.secretary and opened.object_id == str(paper.pk)


def test_a_secret_paper_is_stored_encrypted(committee):
    _meeting_with_secret_item(committee)
    paper = Paper.objects.get(version__submission__title=SECRET_TITLE)
    assert paper.encrypted and paper.wrapped_key
    assert paper.read().startswith(b"%PDF")


def test_submissions_are_seen_by_their_unit_and_the_office_only(committee, client_for):
    submission = committee.submission()
    assert (
        client_for(committee.specialist).get(reverse("meetings:submission", args=[submission.pk])).status_code
        == 200
    )
    assert (
        client_for(committee.chief).get(reverse("meetings:submission", args=[submission.pk])).status_code
        == 200
    )
    assert (
        client_for(committee.outsider).get(reverse("meetings:submission", args=[submission.pk])).status_code
        == 404
    )
    listing = client_for(committee.outsider).get(reverse("meetings:submissions")).content.decode()
    assert submission.title not in listing
    # A unit asked for its opinion sees the paper it is asked about.
    submissions.submit(committee.actor(committee.specialist), submission)
    chief = committee.actor(committee.chief)
    submissions.start_appraisal(chief, submission, appraiser=committee.chief)
    submissions.request_opinions(chief, submission, units=[committee.propaganda_unit], days=2)
    assert (
        client_for(committee.outsider).get(reverse("meetings:submission", args=[submission.pk])).status_code
        == 200
    )


def test_only_the_office_changes_meetings_and_only_the_unit_changes_its_submission(committee, client_for):
    meeting = committee.meeting()
    member = client_for(committee.member)
    assert member.get(reverse("meetings:meeting_edit", args=[meeting.pk])).status_code == 403
    assert (
        member.post(
            reverse("meetings:meeting_item_add", args=[meeting.pk]), {"title": "x", "secrecy": 0}
        ).status_code
        == 403
    )
    submission = committee.submission()
    assert (
        client_for(committee.outsider)
        .get(reverse("meetings:submission_edit", args=[submission.pk]))
        .status_code
        == 404
    )
    response = client_for(committee.outsider).post(
        reverse("meetings:submission_action", args=[submission.pk, "submit"])
    )
    assert response.status_code == 404


def test_the_ical_feed_validates_and_shows_only_what_its_owner_may_see(committee, client_for):
    meeting = _meeting_with_secret_item(committee)
    hidden = committee.meeting(
        days=5, kind=MeetingKind.WORKING, body=None, title="Làm việc với Ban Nội chính"
    )
    member = committee.actor(committee.member)
    token = ical.renew_feed(member)
    anonymous = client_for.__self__ if False else None  # noqa: F841
    from django.test import Client

    response = Client().get(reverse("meetings:ical", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = [c for c in calendar.walk("VEVENT")]
    assert [str(e["summary"]) for e in events] == [meeting.title]
    event = events[0]
    assert event.decoded("dtstart") == meeting.starts_at
    assert "Báo cáo kinh tế - xã hội quý IV" in str(event["description"])
    assert SECRET_TITLE not in response.content.decode()
    assert hidden.title not in response.content.decode()
    # Renewing makes the old address stop working; revoking stops the new one.
    new_token = ical.renew_feed(member)
    assert Client().get(reverse("meetings:ical", args=[token])).status_code == 404
    ical.revoke_feed(member)
    assert Client().get(reverse("meetings:ical", args=[new_token])).status_code == 404


def test_a_deactivated_membership_stops_the_feed(committee):
    from django.test import Client

    member = committee.actor(committee.member)
    token = ical.renew_feed(member)
    member.membership.is_active = False
    member.membership.save()
    assert Client().get(reverse("meetings:ical", args=[token])).status_code == 404


def test_a_locked_account_stops_the_feed_while_the_lock_lasts(committee, settings):
    token = ical.renew_feed(committee.actor(committee.member))
    feed = reverse("meetings:ical", args=[token])
    guesser = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        guesser.post(reverse("login"), {"username": committee.member.username, "password": "doan-sai"})
    assert Client().get(feed).status_code == 404
    call_command("axes_reset_username", committee.member.username, stdout=io.StringIO())
    assert Client().get(feed).status_code == 200


def test_the_weekly_schedule_is_drafted_approved_published_and_marks_later_changes(committee, client_for):
    meeting = committee.meeting(days=7)
    clerk = committee.actor(committee.clerk)
    schedule = weekly.start_week(clerk, meeting.day)
    entry = schedule.entries.get()
    assert entry.content == meeting.title and entry.meeting == meeting
    # Drafts are the office's; members see the schedule once published.
    member = client_for(committee.member)
    assert member.get(reverse("meetings:schedule_detail", args=[schedule.pk])).status_code == 404
    with pytest.raises(Exception, match="phải được duyệt"):
        weekly.publish_schedule(clerk, schedule)
    weekly.approve_schedule(committee.actor(committee.secretary), schedule)
    weekly.publish_schedule(clerk, schedule)
    assert member.get(reverse("meetings:schedule_detail", args=[schedule.pk])).status_code == 200
    entry.place = "Hội trường Tỉnh ủy"
    weekly.save_entry(clerk, entry)
    entry.refresh_from_db()
    assert entry.changed_after_publication is not None
    printed = member.get(
        reverse("meetings:schedule_detail", args=[schedule.pk]), {"print": 1}
    ).content.decode()
    assert "Hội trường Tỉnh ủy" in printed and "đã thay đổi" in printed


def test_a_schedule_entry_outside_its_week_is_refused(committee):
    clerk = committee.actor(committee.clerk)
    schedule = weekly.start_week(clerk, timezone.localdate())
    from vanphong.meetings.models import ScheduleEntry

    entry = ScheduleEntry(
        schedule=schedule,
        day=schedule.week_start + datetime.timedelta(days=9),
        start=datetime.time(8),
        leaders="Đồng chí Bí thư",
        content="Tiếp công dân",
        place="Trụ sở tiếp công dân",
    )
    with pytest.raises(Exception, match="trong tuần"):
        weekly.save_entry(clerk, entry)
    assert not schedule.entries.exists()


def test_the_minutes_are_for_those_cleared_for_every_item(committee, client_for):
    meeting = _meeting_with_secret_item(committee)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    meeting.refresh_from_db()
    committee.open(meeting)
    sessions.close_meeting(committee.actor(committee.chief), meeting, minutes="Thảo luận phương án nhân sự.")
    url = reverse("meetings:meeting", args=[meeting.pk])
    assert "Thảo luận phương án nhân sự." not in client_for(committee.member).get(url).content.decode()
    assert "Thảo luận phương án nhân sự." in client_for(committee.secretary).get(url).content.decode()


def test_a_meeting_form_with_its_end_before_its_start_says_so_and_saves_nothing(committee, client_for):
    response = client_for(committee.clerk).post(
        reverse("meetings:meeting_new"),
        {
            "kind": "btv",
            "body": committee.btv.pk,
            "title": "Hội nghị Ban Thường vụ",
            "starts_at": "2026-12-10T14:00",
            "ends_at": "2026-12-10T08:00",
            "place": "Phòng họp",
        },
    )
    assert response.status_code == 200
    assert "Thời gian kết thúc phải sau thời gian bắt đầu." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_vote_above_the_members_present_is_refused_on_the_page(committee, client_for):
    meeting = committee.meeting(days=-1)
    item = sessions.add_item(committee.actor(committee.clerk), meeting, title="Quy chế làm việc")
    committee.open(meeting)
    prefix = f"item{item.pk}-"
    response = client_for(committee.clerk).post(
        reverse("meetings:item_vote", args=[item.pk]),
        {
            f"{prefix}question": "Thông qua",
            f"{prefix}ballot": "open",
            f"{prefix}votes_for": 3,
            f"{prefix}votes_against": 0,
            f"{prefix}abstentions": 0,
        },
        follow=True,
    )
    assert "Đã đếm 3 phiếu nhưng chỉ có 0 ủy viên được ghi nhận có mặt." in response.content.decode()
    assert not item.votes.exists()


def test_the_meeting_page_says_why_a_vote_without_quorum_did_not_pass(committee, client_for):
    meeting = committee.meeting(days=-1)
    clerk = committee.actor(committee.clerk)
    item = sessions.add_item(clerk, meeting, title="Quy chế làm việc")
    committee.open(meeting)
    sessions.record_attendance(
        clerk, meeting, {i.pk: (Attendance.PRESENT, "") for i in meeting.invitees.all()[:5]}
    )
    sessions.record_vote(
        clerk, item, question="Biểu quyết Quy chế", ballot="open", votes_for=5, votes_against=0, abstentions=0
    )
    page = client_for(committee.member).get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "không đủ số lượng" in page
    assert "Không thông qua: hội nghị không đủ số lượng" in page
    assert "Thông qua." not in page


def test_attendance_before_the_meeting_is_refused_on_the_page(committee, client_for):
    meeting = committee.meeting(days=10)
    first = meeting.invitees.first()
    clerk = client_for(committee.clerk)
    response = clerk.post(
        reverse("meetings:meeting_attendance", args=[meeting.pk]),
        {f"attendance-{first.pk}": Attendance.PRESENT},
        follow=True,
    )
    assert response.status_code == 200
    assert "Không thể “Lưu điểm danh” khi đang ở trạng thái “Dự kiến”" in response.content.decode()
    # Nor can its session be opened before its start time.
    response = clerk.post(reverse("meetings:meeting_action", args=[meeting.pk, "opened"]), follow=True)
    assert "khi hội nghị đã bắt đầu" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    first.refresh_from_db()
    assert first.attendance == Attendance.UNKNOWN


def test_the_minutes_are_kept_and_written_only_by_those_cleared_for_every_item(committee, client_for):
    from django.core.exceptions import PermissionDenied

    meeting = committee.meeting(days=-1)
    clerk = committee.actor(committee.clerk)  # clearance Tối mật
    # With a Tuyệt mật item, a clerk below it may not write them.
    sessions.add_item(committee.actor(committee.chief), meeting, title="Nội dung tuyệt mật", secrecy=3)
    committee.open(meeting)
    url = reverse("meetings:meeting_action", args=[meeting.pk, "held"])
    assert client_for(committee.clerk).post(url, {"minutes": "Thay thế"}).status_code == 403
    with pytest.raises(PermissionDenied):
        sessions.close_meeting(clerk, meeting, minutes="Thay thế")
    # A close without the minutes field is refused.
    client_for(committee.chief).post(url, {})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes) == (MeetingStatus.IN_SESSION, "")
    sessions.close_meeting(committee.actor(committee.chief), meeting, minutes="Biên bản đã duyệt.")
    # Once held, they are kept: nobody rewrites them.
    client_for(committee.chief).post(url, {"minutes": "Thay thế"})
    with pytest.raises(ValidationError):
        sessions.close_meeting(committee.actor(committee.chief), meeting, minutes="Thay thế")
    meeting.refresh_from_db()
    assert meeting.minutes == "Biên bản đã duyệt."


def test_a_submission_page_names_its_meeting_only_to_those_who_see_the_meeting(committee, client_for):
    submission = committee.submission()
    submissions.submit(committee.actor(committee.specialist), submission)
    chief = committee.actor(committee.chief)
    submissions.start_appraisal(chief, submission, appraiser=committee.chief)
    submissions.appraise(chief, submission, recommendation="ready", text="Đủ điều kiện.")
    meeting = committee.meeting(title="Hội nghị Ban Thường vụ kín")
    submissions.schedule(committee.actor(committee.clerk), submission, meeting)
    page = client_for(committee.specialist).get(reverse("meetings:submission", args=[submission.pk]))
    assert page.status_code == 200 and "Hội nghị Ban Thường vụ kín" not in page.content.decode()
    assert (
        "Hội nghị Ban Thường vụ kín"
        in client_for(committee.chief)
        .get(reverse("meetings:submission", args=[submission.pk]))
        .content.decode()
    )


def test_the_meeting_page_costs_the_same_queries_whatever_the_number_of_items(committee, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clerk = committee.actor(committee.clerk)
    client = client_for(committee.clerk)

    def meeting_of(days: int, items: int) -> str:
        """A meeting in session with its items voted on and concluded; its page's address."""
        meeting = committee.meeting(days=days)
        added = [sessions.add_item(clerk, meeting, title=f"Nội dung {n}") for n in range(1, items + 1)]
        committee.open(meeting)
        sessions.record_attendance(
            clerk, meeting, {i.pk: (Attendance.PRESENT, "") for i in meeting.invitees.all()}
        )
        for n, item in enumerate(added, start=1):
            sessions.record_vote(
                clerk, item, question="Thông qua", ballot="open", votes_for=9, votes_against=0, abstentions=0
            )
            sessions.add_conclusion(clerk, item, kind="decision", text=f"Kết luận {n}")
        return reverse("meetings:meeting", args=[meeting.pk])

    one_item, five_items = meeting_of(-1, 1), meeting_of(-2, 5)
    client.get(one_item)  # warm caches (session, permissions)
    with CaptureQueriesContext(connection) as one:
        assert client.get(one_item).status_code == 200
    with CaptureQueriesContext(connection) as five:
        assert "Kết luận 5" in client.get(five_items).content.decode()
    assert len(five) == len(one)


def test_a_task_conclusion_names_its_meeting_only_to_those_who_see_the_meeting(committee, client_for, client):
    from vanphong.accounts.tokens import create_token
    from vanphong.followup.models import Task

    meeting = committee.meeting(
        days=-1, title="Hội nghị kín về phương án nhân sự", kind=MeetingKind.WORKING, body=None
    )
    clerk = committee.actor(committee.clerk)
    item = sessions.add_item(clerk, meeting, title="Phương án nhân sự")
    committee.open(meeting)
    sessions.add_conclusion(
        clerk,
        item,
        kind="task",
        text="Rà soát quy hoạch cán bộ",
        lead_unit=committee.org_unit,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    task = Task.objects.get()
    unit = client_for(committee.specialist)  # of the lead unit, not of the meeting
    assert unit.get(reverse("meetings:meeting", args=[meeting.pk])).status_code == 404
    pages = [
        reverse("followup:task", args=[task.pk]),
        reverse("followup:source", args=[task.source_id]),
        reverse("followup:tasks"),
    ]
    for url in pages:
        response = unit.get(url)
        assert response.status_code == 200 and "Rà soát quy hoạch" in response.content.decode()
        assert "kín về phương án" not in response.content.decode(), url
    _token, key = create_token(by=None, user=committee.specialist, organisation=committee.org, name="t")
    api = client.get(f"/api/v1/followup/tasks/{task.pk}", headers={"Authorization": f"Bearer {key}"}).json()
    assert api["source_title"] == f"Kết luận tại cuộc họp ngày {meeting.day:%d/%m/%Y}"


def test_a_refused_vote_comes_back_open_as_typed_with_the_error_under_it(committee, client_for):
    meeting = committee.meeting(days=-1)
    item = sessions.add_item(committee.actor(committee.clerk), meeting, title="Quy chế làm việc")
    committee.open(meeting)
    prefix = f"item{item.pk}-"
    response = client_for(committee.clerk).post(
        reverse("meetings:item_vote", args=[item.pk]),
        {
            f"{prefix}question": "Thông qua Quy chế làm việc khóa XVII",
            f"{prefix}ballot": "open",
            f"{prefix}votes_for": 3,
            f"{prefix}votes_against": 0,
            f"{prefix}abstentions": 0,
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    vote = html.split('<details class="vote" open>', 1)[1].split("</details>", 1)[0]
    assert 'value="Thông qua Quy chế làm việc khóa XVII"' in vote
    assert "Đã đếm 3 phiếu nhưng chỉ có 0 ủy viên được ghi nhận có mặt." in vote
    assert not item.votes.exists()
