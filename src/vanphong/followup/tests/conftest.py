from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from vanphong.accounts.models import User
from vanphong.core.access import Actor
from vanphong.core.models import Organisation
from vanphong.followup import assignment, sources
from vanphong.followup.models import Source, Task
from vanphong.org.models import Person, Unit
from vanphong.testing import actor_of, make_person, make_term, make_unit, make_user, system

# A Monday, so that working-day arithmetic in the tests is easy to follow.
MONDAY = datetime.date(2026, 3, 2)


@dataclass
class FollowupOffice:
    org: Organisation
    office: Unit
    board: Unit
    propaganda: Unit
    chief: User  # office chief, clearance Tối mật
    clerk: User
    board_officer: User  # specialist in the Organisation Board
    propaganda_officer: User
    member: User  # committee member who monitors tasks
    member_person: Person
    secretary: User  # standing leader, Tuyệt mật
    inspector: User  # Inspection Committee reader, Tối mật
    chief_person: Person

    def actor(self, user: User) -> Actor:
        return actor_of(user, self.org)

    def source(self, **fields: Any) -> Source:
        defaults: dict[str, Any] = {
            "kind": "conclusion",
            "title": "Kết luận của Ban Thường vụ về chuyển đổi số",
            "reference": "15-KL/TU",
            "issued_on": MONDAY,
        }
        defaults.update(fields)
        return sources.create_source(system(self.org), **defaults)

    def task(self, source: Source | None = None, **fields: Any) -> Task:
        defaults: dict[str, Any] = {
            "content": "Xây dựng kế hoạch chuyển đổi số các cơ quan Đảng",
            "lead_unit": self.board,
            "responsible": self.member_person,
            "deadline": MONDAY + datetime.timedelta(days=30),
        }
        defaults.update(fields)
        return assignment.create_task(system(self.org), source or self.source(), **defaults)


def build_followup_office(org: Organisation, prefix: str = "") -> FollowupOffice:
    make_term(org, "Khóa XVII", datetime.date(2025, 10, 15))
    office = make_unit(org, "Văn phòng Tỉnh ủy")
    board = make_unit(org, "Ban Tổ chức Tỉnh ủy", kind="board")
    propaganda = make_unit(org, "Ban Tuyên giáo Tỉnh ủy", kind="board")
    chief = make_user(
        org, prefix + "chanhvp", roles=["office_chief"], clearance=2, full_name="Đặng Minh Khánh"
    )
    clerk = make_user(org, prefix + "vanthu", roles=["clerk"], clearance=1, full_name="Phạm Thu Hà")
    board_officer = make_user(
        org, prefix + "bantochuc", roles=["specialist"], clearance=2, full_name="Trần Thị Thảo"
    )
    propaganda_officer = make_user(
        org, prefix + "tuyengiao", roles=["specialist"], clearance=2, full_name="Lê Văn Nam"
    )
    member = make_user(
        org, prefix + "uyvien", roles=["committee_member"], clearance=2, full_name="Vũ Đức Long"
    )
    secretary = make_user(
        org, prefix + "bithu", roles=["standing_leader"], clearance=3, full_name="Hoàng Quang Thịnh"
    )
    inspector = make_user(
        org, prefix + "kiemtra", roles=["inspection_reader"], clearance=2, full_name="Bùi Thị Hoa"
    )
    chief_person = make_person(org, "Đặng Minh Khánh", unit=office, user=chief, email="chanhvp@example.vn")
    make_person(org, "Phạm Thu Hà", unit=office, user=clerk)
    make_person(org, "Trần Thị Thảo", unit=board, user=board_officer, email="thao@example.vn")
    make_person(org, "Lê Văn Nam", unit=propaganda, user=propaganda_officer)
    member_person = make_person(org, "Vũ Đức Long", user=member, email="long@example.vn")
    make_person(org, "Hoàng Quang Thịnh", unit=office, user=secretary)
    return FollowupOffice(
        org,
        office,
        board,
        propaganda,
        chief,
        clerk,
        board_officer,
        propaganda_officer,
        member,
        member_person,
        secretary,
        inspector,
        chief_person,
    )


@pytest.fixture
def office(org_a: Organisation) -> FollowupOffice:
    return build_followup_office(org_a)
