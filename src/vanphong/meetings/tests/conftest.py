from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from vanphong.accounts.models import User
from vanphong.core.access import Actor
from vanphong.core.calendar import working_days_after
from vanphong.core.models import Organisation
from vanphong.documents.tests.conftest import pdf_bytes
from vanphong.meetings import sessions, submissions
from vanphong.meetings.models import Meeting, MeetingKind, Submission
from vanphong.org import services as org_services
from vanphong.org.models import Body, BodyMembership, Person, Unit
from vanphong.testing import actor_of, make_person, make_term, make_unit, make_user, system


@dataclass
class Committee:
    """An organisation with a Standing Committee of nine, its office and two departments."""

    org: Organisation
    btv: Body
    office_unit: Unit
    org_unit: Unit
    propaganda_unit: Unit
    members: list[Person]
    secretary: User
    member: User  # a committee member without clearance
    clerk: User
    chief: User
    specialist: User  # of the organisation department, submits its papers
    outsider: User  # a specialist of the propaganda department, with no part in anything
    users: dict[str, User] = field(default_factory=dict)

    def actor(self, user: User) -> Actor:
        return actor_of(user, self.org)

    @property
    def system(self) -> Actor:
        return system(self.org)

    def submission(self, **fields: Any) -> Submission:
        defaults: dict[str, Any] = {
            "title": "Tờ trình về công tác cán bộ quý IV",
            "kind": "to_trinh",
            "unit": self.org_unit,
            "body": self.btv,
        }
        defaults.update(fields)
        return submissions.save_submission(
            self.actor(self.specialist),
            Submission(**defaults),
            files=[("to-trinh.pdf", pdf_bytes("Tờ trình"))],
        )

    def ready(self, **fields: Any) -> Submission:
        """A submission submitted, appraised by the office chief and found ready to present."""
        submission = self.submission(**fields)
        submissions.submit(self.actor(self.specialist), submission)
        chief = self.actor(self.chief)
        submissions.start_appraisal(chief, submission, appraiser=self.chief)
        return submissions.appraise(chief, submission, recommendation="ready", text="Đủ điều kiện trình.")

    def meeting(self, days: int = 10, hours: int = 2, **fields: Any) -> Meeting:
        """A meeting at 8:00, `days` working days from today (a negative number: calendar days ago)."""
        today = timezone.localdate()
        day = (
            working_days_after(today, days, self.org) if days >= 0 else today + datetime.timedelta(days=days)
        )
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))
        defaults: dict[str, Any] = {
            "kind": MeetingKind.STANDING,
            "body": self.btv,
            "title": "Hội nghị Ban Thường vụ thường kỳ",
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=hours),
            "place": "Phòng họp số 1",
            "chair": self.members[0],
        }
        defaults.update(fields)
        return sessions.save_meeting(self.actor(self.clerk), Meeting(**defaults))

    def open(self, meeting: Meeting) -> Meeting:
        """The clerk opens the session of a meeting whose start time has come."""
        return sessions.open_session(self.actor(self.clerk), meeting)


NAMES = [
    "Hoàng Quang Thịnh",
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Phạm Thị Dung",
    "Vũ Đức Giang",
    "Đặng Thu Hà",
    "Bùi Minh Khánh",
    "Đỗ Thị Lan",
]


def build_committee(org: Organisation) -> Committee:
    actor = system(org)
    term = make_term(org, "Khóa XV, nhiệm kỳ 2025–2030", datetime.date(2025, 10, 1))
    btv = org_services.save_body(actor, Body(term=term, kind="btv", name="Ban Thường vụ Tỉnh ủy"))
    office_unit = make_unit(org, "Văn phòng Tỉnh ủy", short_name="VP")
    org_unit = make_unit(org, "Ban Tổ chức Tỉnh ủy", kind="board", short_name="BTC")
    propaganda_unit = make_unit(org, "Ban Tuyên giáo Tỉnh ủy", kind="board", short_name="BTG")
    prefix = org.code[:2]
    secretary = make_user(org, f"{prefix}bithu", roles=["standing_leader"], clearance=3)
    member = make_user(org, f"{prefix}uyvien", roles=["committee_member"], clearance=0)
    members = []
    for index, name in enumerate(NAMES):
        user = {0: secretary, 1: member}.get(index)
        person = make_person(
            org, name, user=user, job_title="Bí thư" if index == 0 else "Ủy viên Ban Thường vụ"
        )
        org_services.save_body_membership(
            actor, BodyMembership(body=btv, person=person, start_date=datetime.date(2025, 10, 1))
        )
        members.append(person)
    clerk = make_user(org, f"{prefix}vanthu", roles=["clerk"], clearance=2)
    chief = make_user(org, f"{prefix}chanhvp", roles=["office_chief"], clearance=3)
    specialist = make_user(org, f"{prefix}chuyenvien", roles=["specialist"], clearance=1)
    outsider = make_user(org, f"{prefix}tuyengiao", roles=["specialist"], clearance=3)
    make_person(org, "Ngô Văn Chánh", user=chief, unit=office_unit)
    make_person(org, "Mai Thị Văn", user=clerk, unit=office_unit)
    make_person(org, "Trịnh Văn Tổ", user=specialist, unit=org_unit)
    make_person(org, "Lý Thị Giáo", user=outsider, unit=propaganda_unit)
    return Committee(
        org,
        btv,
        office_unit,
        org_unit,
        propaganda_unit,
        members,
        secretary,
        member,
        clerk,
        chief,
        specialist,
        outsider,
    )


@pytest.fixture
def committee(org_a: Organisation) -> Committee:
    return build_committee(org_a)
