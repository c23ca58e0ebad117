"""Demo data of this module: called by `vanphong demo` after the documents.

The province's meetings of the last two months and the coming weeks (dates relative to the day the
demo is loaded): Standing Committee, Executive Committee and Standing Board sessions, a thematic
session and a working session at grassroots; papers in every state of appraisal, one of them Mật;
a held BTV meeting with attendance, a vote, conclusions (one a tracked task), minutes and the
conclusion notice; and this week's published work schedule with a change marked.
"""

from __future__ import annotations

import datetime
import io

from django.utils import timezone
from django.utils.text import slugify
from docx import Document

from vanphong.accounts.models import User
from vanphong.core.access import Actor
from vanphong.core.calendar import WorkingCalendar
from vanphong.core.models import Clearance, Organisation
from vanphong.core.text import fold
from vanphong.meetings import drafting, sessions, submissions
from vanphong.meetings import schedule as weekly
from vanphong.meetings.models import (
    BODY_KINDS,
    Attendance,
    Meeting,
    MeetingKind,
    MeetingRule,
    ScheduleEntry,
    Submission,
)
from vanphong.org.models import Body, Person, Unit


def _paper(title: str, paragraphs: list[str]) -> tuple[str, bytes]:
    document = Document()
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return f"{slugify(fold(title))[:60].strip('-')}.docx", buffer.getvalue()


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class DemoMeetings:
    def __init__(self, province: Organisation) -> None:
        self.org = province
        self.actor = Actor.system_for(province)
        self.today = timezone.localdate()
        self.calendar = WorkingCalendar(province)
        bodies = (
            Body.objects.filter(organisation=province).select_related("term").order_by("-term__start_date")
        )
        self.bodies: dict[str, Body] = {}
        for body in bodies:
            self.bodies.setdefault(body.kind, body)
        self.units = {u.name: u for u in Unit.objects.filter(organisation=province)}
        self.secretary = Person.objects.get(organisation=province, user__username="bithu")
        self.deputy = Person.objects.get(organisation=province, job_title="Phó Bí thư Thường trực Tỉnh ủy")
        self.chief = User.objects.get(username="chanhvp")

    def held(self, meeting: Meeting, *, minutes: str) -> None:
        """A meeting of the past: its session opened, then closed with its minutes."""
        sessions.open_session(self.actor, meeting)
        sessions.close_meeting(self.actor, meeting, minutes=minutes)

    def meeting(
        self,
        kind: str,
        title: str,
        day: datetime.date,
        hours: tuple[int, int],
        place: str = "Phòng họp Ban Thường vụ Tỉnh ủy",
        chair: Person | None = None,
    ) -> Meeting:
        body = self.bodies.get(BODY_KINDS.get(MeetingKind(kind), ""))
        day = self.working(day)
        return sessions.save_meeting(
            self.actor,
            Meeting(
                kind=kind,
                body=body,
                title=title,
                starts_at=_at(day, hours[0]),
                ends_at=_at(day, hours[1]),
                place=place,
                chair=chair or self.secretary,
            ),
        )

    def ahead(self, days: int) -> datetime.date:
        """`days` working days from today: papers for a meeting are due working days before it."""
        return self.calendar.working_days_after(self.today, days)

    def working(self, day: datetime.date) -> datetime.date:
        """The day itself if it is a working day, else the nearest one on the same side of today."""
        step = datetime.timedelta(days=1 if day >= self.today else -1)
        while not self.calendar.is_working_day(day):
            day += step
        return day

    def submission(
        self, title: str, unit: str, body: str, secrecy: int = 0, kind: str = "to_trinh"
    ) -> Submission:
        return submissions.save_submission(
            self.actor,
            Submission(
                title=title,
                kind=kind,
                unit=self.units[unit],
                body=self.bodies[body],
                secrecy=secrecy,
                summary=f"{self.units[unit].name} trình {self.bodies[body].name} xem xét, cho ý kiến.",
            ),
            files=[
                _paper(
                    title,
                    [
                        "I. SỰ CẦN THIẾT",
                        "Thực hiện Quy chế làm việc của Ban Chấp hành Đảng bộ tỉnh khóa XVII, "
                        f"{self.units[unit].name} xây dựng văn bản này trình Ban Thường vụ Tỉnh ủy.",
                        "II. NỘI DUNG CHỦ YẾU",
                        "Nội dung mẫu của dữ liệu trình diễn.",
                    ],
                )
            ],
        )

    def ready(self, submission: Submission) -> Submission:
        submissions.submit(self.actor, submission)
        submissions.start_appraisal(self.actor, submission, appraiser=self.chief)
        return submissions.appraise(
            self.actor,
            submission,
            recommendation="ready",
            text="Văn bản đúng thẩm quyền, hồ sơ đầy đủ, đã tiếp thu ý kiến các cơ quan; đủ điều kiện trình.",
        )

    def build(self) -> None:
        MeetingRule.objects.create(
            organisation=self.org,
            body_kind="btv",
            quorum_numerator=2,
            quorum_denominator=3,
            papers_days=5,
            source="Quy chế làm việc của Ban Chấp hành Đảng bộ tỉnh khóa XVII (dữ liệu trình diễn)",
        )
        self.held_btv()
        self.coming_btv()
        self.other_meetings()
        self.submissions_in_progress()
        self.week_schedule()

    def held_btv(self) -> None:
        """Last month's BTV meeting, held and concluded."""
        day = self.working(self.today - datetime.timedelta(days=24))
        meeting = self.meeting(
            "btv",
            f"Hội nghị Ban Thường vụ Tỉnh ủy thường kỳ tháng {day.month}",
            self.ahead(14),
            (8, 11),
        )
        decided = self.ready(
            self.submission(
                "Đề án sắp xếp, tinh gọn tổ chức bộ máy các cơ quan Đảng của tỉnh",
                "Ban Tổ chức Tỉnh ủy",
                "btv",
                kind="de_an",
            )
        )
        item = submissions.schedule(self.actor, decided, meeting)
        report = sessions.add_item(
            self.actor,
            meeting,
            title="Báo cáo tình hình kinh tế - xã hội 10 tháng năm 2026",
            presenter="Ban cán sự đảng UBND tỉnh",
        )
        # Demo history: the meeting took place weeks ago.
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=_at(day, 8), ends_at=_at(day, 11, 30))
        meeting.refresh_from_db()
        sessions.open_session(self.actor, meeting)
        invitees = list(meeting.invitees.select_related("person"))
        sessions.record_attendance(
            self.actor,
            meeting,
            {
                i.pk: (Attendance.ABSENT, "Đi công tác tại Trung ương")
                if n == len(invitees) - 1
                else (Attendance.PRESENT, "")
                for n, i in enumerate(invitees)
            },
        )
        present = len(invitees) - 1
        sessions.record_vote(
            self.actor,
            item,
            question="Thông qua Đề án",
            ballot="open",
            votes_for=present,
            votes_against=0,
            abstentions=0,
        )
        sessions.add_conclusion(
            self.actor, item, kind="decision", text="Ban Thường vụ thống nhất thông qua Đề án."
        )
        sessions.add_conclusion(
            self.actor,
            item,
            kind="task",
            text="Hoàn thiện Đề án theo ý kiến của Ban Thường vụ, ban hành kế hoạch triển khai",
            lead_unit=self.units["Ban Tổ chức Tỉnh ủy"],
            responsible=Person.objects.filter(
                organisation=self.org, job_title="Trưởng Ban Tổ chức Tỉnh ủy"
            ).first(),
            deadline=day + datetime.timedelta(days=45),
        )
        sessions.add_conclusion(
            self.actor,
            report,
            kind="information",
            text="Ban Thường vụ ghi nhận kết quả 10 tháng; các chỉ tiêu cơ bản đạt kế hoạch.",
        )
        sessions.close_meeting(
            self.actor,
            meeting,
            minutes="Hội nghị nghe Ban Tổ chức trình bày Đề án và Ban cán sự đảng UBND tỉnh báo cáo "
            "tình hình kinh tế - xã hội. Các đồng chí Ủy viên Ban Thường vụ thảo luận, thống nhất.",
        )
        drafting.make_minutes_document(self.actor, meeting)
        drafting.make_notice(self.actor, meeting)

    def coming_btv(self) -> None:
        """Next BTV meeting: a paper on the agenda, and a Mật item only the cleared see."""
        day = self.ahead(7)
        meeting = self.meeting(
            "btv",
            f"Hội nghị Ban Thường vụ Tỉnh ủy thường kỳ tháng {day.month}",
            day,
            (8, 11),
        )
        submissions.schedule(
            self.actor,
            self.ready(
                self.submission(
                    "Tờ trình về chương trình công tác năm 2027 của Ban Thường vụ", "Phòng Tổng hợp", "btv"
                )
            ),
            meeting,
        )
        submissions.schedule(
            self.actor,
            self.ready(
                self.submission(
                    "Tờ trình về công tác cán bộ diện Ban Thường vụ quản lý",
                    "Ban Tổ chức Tỉnh ủy",
                    "btv",
                    secrecy=Clearance.MAT,
                )
            ),
            meeting,
        )
        sessions.invite(
            self.actor, meeting, guest_name="Nguyễn Văn Hùng", guest_title="Phó Trưởng Ban Tổ chức Trung ương"
        )
        drafting.make_invitation(self.actor, meeting)

    def other_meetings(self) -> None:
        today = self.today
        bch = self.meeting(
            "bch",
            "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ ba",
            today - datetime.timedelta(days=50),
            (8, 17),
            place="Hội trường Tỉnh ủy",
        )
        self.held(bch, minutes="Hội nghị thảo luận, cho ý kiến các dự thảo văn kiện.")
        for weeks in (5, 4, 3, 2, 1):
            tt = self.meeting(
                "tt",
                "Giao ban Thường trực Tỉnh ủy",
                today - datetime.timedelta(days=7 * weeks),
                (14, 16),
                place="Phòng họp Thường trực",
            )
            self.held(tt, minutes="Thường trực nghe Văn phòng báo cáo công việc trong tuần.")
        self.meeting(
            "tt",
            "Giao ban Thường trực Tỉnh ủy",
            self.ahead(2),
            (14, 16),
            place="Phòng họp Thường trực",
        )
        grassroots = self.meeting(
            "grassroots",
            "Làm việc với Ban Thường vụ Đảng ủy xã Tân Hòa",
            today - datetime.timedelta(days=12),
            (8, 11),
            place="Trụ sở Đảng ủy xã Tân Hòa",
            chair=self.deputy,
        )
        self.held(grassroots, minutes="Đoàn công tác làm việc về kết quả thực hiện nhiệm vụ năm 2026.")
        self.meeting(
            "thematic",
            "Hội nghị chuyên đề về chuyển đổi số trong các cơ quan Đảng",
            self.ahead(12),
            (8, 11),
            place="Hội trường Tỉnh ủy",
        )

    def submissions_in_progress(self) -> None:
        self.submission(
            "Dự thảo Chỉ thị về tăng cường công tác tiếp công dân",
            "Ban Nội chính Tỉnh ủy",
            "btv",
            kind="du_thao_ct",
        )
        submitted = self.submission(
            "Dự thảo Báo cáo sơ kết 3 năm thực hiện Nghị quyết về phát triển du lịch",
            "Ban Chính sách, chiến lược Tỉnh ủy",
            "btv",
            kind="du_thao_bc",
        )
        submissions.submit(self.actor, submitted)
        appraisal = self.submission(
            "Dự thảo Nghị quyết chuyên đề về chuyển đổi số giai đoạn 2026–2030",
            "Phòng Tổng hợp",
            "bch",
            kind="du_thao_nq",
        )
        submissions.submit(self.actor, appraisal)
        submissions.start_appraisal(self.actor, appraisal, appraiser=self.chief)
        submissions.request_opinions(
            self.actor,
            appraisal,
            units=[self.units["Ban Tổ chức Tỉnh ủy"], self.units["Ban Tuyên giáo và Dân vận Tỉnh ủy"]],
            days=5,
        )
        returned = self.submission(
            "Tờ trình về điều chỉnh quy chế chi tiêu nội bộ", "Phòng Tài chính – Quản trị", "btv"
        )
        submissions.submit(self.actor, returned)
        submissions.start_appraisal(self.actor, returned, appraiser=self.chief)
        submissions.appraise(
            self.actor,
            returned,
            recommendation="revise",
            text="Đề nghị bổ sung căn cứ pháp lý và số liệu dự toán năm 2027.",
        )

    def week_schedule(self) -> None:
        # The week of the next working day (next week's schedule when the demo is loaded at a weekend).
        schedule = weekly.start_week(self.actor, self.working(self.today))
        monday = schedule.week_start
        weekly.save_entry(
            self.actor,
            ScheduleEntry(
                schedule=schedule,
                day=monday,
                start=datetime.time(7, 30),
                leaders="Đồng chí Bí thư Tỉnh ủy",
                content="Chào cờ, giao ban đầu tuần",
                place="Hội trường Tỉnh ủy",
                preparer="Văn phòng Tỉnh ủy",
            ),
        )
        weekly.save_entry(
            self.actor,
            ScheduleEntry(
                schedule=schedule,
                day=monday + datetime.timedelta(days=2),
                start=datetime.time(8),
                end=datetime.time(11),
                leaders="Đồng chí Phó Bí thư Thường trực Tỉnh ủy",
                content="Tiếp công dân định kỳ",
                place="Trụ sở Tiếp công dân tỉnh",
                preparer="Ban Nội chính, Văn phòng Tỉnh ủy",
            ),
        )
        weekly.approve_schedule(self.actor, schedule)
        weekly.publish_schedule(self.actor, schedule)
        changed = schedule.entries.get(content="Tiếp công dân định kỳ")
        changed.start = datetime.time(14)
        changed.end = datetime.time(17)
        weekly.save_entry(self.actor, changed)


def build_demo(province: Organisation, communes: list[Organisation]) -> None:
    DemoMeetings(province).build()
