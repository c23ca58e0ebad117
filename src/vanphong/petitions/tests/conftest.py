from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from vanphong.accounts.models import User
from vanphong.core.access import Actor
from vanphong.core.models import Organisation
from vanphong.org.models import Person
from vanphong.petitions.identities import Identity
from vanphong.petitions.intake import register_petition
from vanphong.petitions.models import Competence, Petition, PetitionKind, SenderKind, Subject
from vanphong.testing import actor_of, make_person, make_user

DENOUNCER = "Trịnh Thị Bảo Mật"
DENOUNCER_PHONE = "0912 345 678"


@dataclass
class Reception:
    org: Organisation
    officer: User  # reception officer
    officer2: User  # another reception officer, not named on anything
    chief: User  # office chief
    clerk: User  # văn thư, no reception role
    head: User  # the committee's secretary (standing leader)
    head_person: Person

    def actor(self, user: User) -> Actor:
        return actor_of(user, self.org)

    def petition(self, user: User | None = None, **fields: Any) -> Petition:
        values: dict[str, Any] = {
            "received_on": datetime.date(2026, 3, 2),
            "channel": "post",
            "sender_kind": SenderKind.PERSON,
            "identity": Identity.cleaned(name="Nguyễn Văn Hùng", address="Thôn 3, xã Tân Hòa"),
            "kind": PetitionKind.COMPLAINT,
            "subject": Subject.LAND,
            "summary": "Khiếu nại quyết định thu hồi đất của gia đình tại thôn 3",
            "competence": Competence.OWN,
        }
        values.update(fields)
        return register_petition(self.actor(user or self.officer), **values)

    def denunciation(self, **fields: Any) -> Petition:
        values: dict[str, Any] = {
            "kind": PetitionKind.DENUNCIATION,
            "subject": Subject.CADRES,
            "identity": Identity.cleaned(
                name=DENOUNCER, address="Số 5 đường Lê Lợi", phone=DENOUNCER_PHONE, id_number="001190012345"
            ),
            "summary": "Tố cáo cán bộ địa chính xã nhận tiền khi làm thủ tục cấp giấy chứng nhận",
            "concerns": "Ông Lê Văn Cường, cán bộ địa chính xã",
        }
        values.update(fields)
        return self.petition(**values)


def build_reception(org: Organisation, prefix: str = "") -> Reception:
    head_user = make_user(
        org, f"{prefix}bithu", roles=["standing_leader", "committee_member"], full_name="Trần Quang Minh"
    )
    return Reception(
        org=org,
        officer=make_user(org, f"{prefix}tiepdan", roles=["reception_officer"], full_name="Phạm Thị Lan"),
        officer2=make_user(org, f"{prefix}tiepdan2", roles=["reception_officer"], full_name="Đỗ Văn Nam"),
        chief=make_user(org, f"{prefix}chanhvp", roles=["office_chief"], clearance=2, full_name="Vũ Thu Hà"),
        clerk=make_user(org, f"{prefix}vanthu", roles=["clerk"], clearance=1, full_name="Lê Thị Mai"),
        head=head_user,
        head_person=make_person(org, "Trần Quang Minh", user=head_user),
    )


@pytest.fixture
def reception(org_a: Organisation) -> Reception:
    return build_reception(org_a)


def seen(identity: Identity | None) -> Identity:
    """An identity the actor was shown (None: not shown)."""
    assert identity is not None
    return identity
