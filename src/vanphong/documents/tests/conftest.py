from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from docx import Document as DocxDocument

from vanphong.accounts.models import User
from vanphong.core.access import Actor
from vanphong.core.models import Organisation
from vanphong.documents import incoming, outgoing
from vanphong.documents.models import (
    DocumentType,
    IncomingDocument,
    NumberingRule,
    NumberingScheme,
    OutgoingDocument,
)
from vanphong.org.models import Person, Unit
from vanphong.testing import actor_of, make_person, make_term, make_unit, make_user


def pdf_bytes(text: str = "Nghị quyết") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_bytes(text: str) -> bytes:
    document = DocxDocument()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@dataclass
class Office:
    org: Organisation
    office_unit: Unit
    board_unit: Unit
    clerk: User
    chief: User
    specialist: User
    board_member: User
    secretary: User
    secretary_person: Person
    chief_person: Person

    def actor(self, user: User) -> Actor:
        return actor_of(user, self.org)

    def doc_type(self, symbol: str) -> DocumentType:
        return DocumentType.objects.get(symbol=symbol)

    def register(self, user: User | None = None, **fields: Any) -> IncomingDocument:
        defaults: dict[str, Any] = {
            "doc_type": self.doc_type("CV"),
            "summary": "V/v báo cáo kết quả thực hiện Nghị quyết số 05-NQ/TU",
            "sender_name": "Ban Tổ chức Trung ương",
            "sender_reference": "125-CV/BTCTW",
            "document_date": datetime.date(2026, 3, 2),
        }
        defaults.update(fields)
        return incoming.register_incoming(self.actor(user or self.clerk), **defaults)

    def draft(self, user: User | None = None, **fields: Any) -> OutgoingDocument:
        recipients = fields.pop("internal_recipients", None)
        files = fields.pop("files", ())
        defaults: dict[str, Any] = {
            "doc_type": self.doc_type("NQ"),
            "summary": "Về đẩy mạnh chuyển đổi số trong các cơ quan Đảng",
            "body": "I. TÌNH HÌNH\n\nNội dung.",
            "signer": self.secretary_person,
            "signing_authority": "T/M",
            "signing_body": "Ban Thường vụ",
            "signer_title": "Bí thư",
        }
        defaults.update(fields)
        return outgoing.save_draft(
            self.actor(user or self.drafter(defaults)),
            OutgoingDocument(**defaults),
            internal_recipients=recipients,
            files=files,
        )

    def drafter(self, fields: dict[str, Any]) -> User:
        # The specialist is not cleared for secrets; the office chief drafts secret documents.
        return self.chief if fields.get("secrecy") else self.specialist

    def follow_state_rule_since(self, day: datetime.date) -> None:
        """History: the organisation has numbered by the State rule since `day` (a 1 January past)."""
        NumberingRule.objects.create(organisation=self.org, scheme=NumberingScheme.STATE, effective_from=day)

    def approved(self, **fields: Any) -> OutgoingDocument:
        doc = self.draft(**fields)
        outgoing.submit_for_approval(self.actor(self.drafter(fields)), doc)
        return outgoing.approve(self.actor(self.secretary), doc)

    def issued(self, issued_on: datetime.date | None = None, **fields: Any) -> OutgoingDocument:
        return outgoing.issue(self.actor(self.clerk), self.approved(**fields), issued_on=issued_on)

    def issued_back_then(self, day: datetime.date, **fields: Any) -> OutgoingDocument:
        """A document drafted, approved and issued on `day` (in the past), the clock moved there: the
        issue date is the day of issue, so history is made by living through it."""
        moment = datetime.datetime.combine(day, datetime.time(9), tzinfo=ZoneInfo(settings.TIME_ZONE))
        with time_machine.travel(moment, tick=False):
            return self.issued(**fields)


def build_office(org: Organisation, prefix: str = "") -> Office:
    make_term(org, "Khóa XVI", datetime.date(2020, 10, 16), datetime.date(2025, 10, 14))
    make_term(org, "Khóa XVII", datetime.date(2025, 10, 15))
    office_unit = make_unit(org, "Văn phòng Tỉnh ủy")
    board_unit = make_unit(org, "Ban Tổ chức Tỉnh ủy", kind="board")
    clerk = make_user(org, prefix + "vanthu", roles=["clerk"], clearance=1, full_name="Phạm Thu Hà")
    chief = make_user(
        org, prefix + "chanhvp", roles=["office_chief"], clearance=2, full_name="Đặng Minh Khánh"
    )
    specialist = make_user(
        org, prefix + "chuyenvien", roles=["specialist"], clearance=0, full_name="Lê Văn Nam"
    )
    board_member = make_user(
        org, prefix + "bantochuc", roles=["specialist"], clearance=2, full_name="Trần Thị Thảo"
    )
    secretary = make_user(
        org, prefix + "bithu", roles=["standing_leader"], clearance=3, full_name="Hoàng Quang Thịnh"
    )
    secretary_person = make_person(org, "Hoàng Quang Thịnh", unit=office_unit, user=secretary)
    chief_person = make_person(org, "Đặng Minh Khánh", unit=office_unit, user=chief)
    make_person(org, "Trần Thị Thảo", unit=board_unit, user=board_member)
    make_person(org, "Lê Văn Nam", unit=office_unit, user=specialist)
    return Office(
        org,
        office_unit,
        board_unit,
        clerk,
        chief,
        specialist,
        board_member,
        secretary,
        secretary_person,
        chief_person,
    )


@pytest.fixture
def office(org_a: Organisation) -> Office:
    return build_office(org_a)
