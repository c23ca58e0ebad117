"""The documents made for a meeting: invitation, minutes, conclusion notice."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from docx import Document as DocxDocument

from vanphong.documents.outgoing import render_input
from vanphong.documents.rendering import render_docx
from vanphong.meetings import drafting, sessions
from vanphong.meetings.models import (
    Conclusion,
)

pytestmark = pytest.mark.django_db


def test_conclusions_and_the_conclusion_notice_in_the_party_format(committee):
    meeting = committee.meeting(days=-1)
    clerk = committee.actor(committee.clerk)
    item = sessions.add_item(clerk, meeting, title="Công tác chuẩn bị Đại hội")
    invitation = drafting.make_invitation(clerk, meeting)
    assert invitation.doc_type.symbol == "GM" and "Phòng họp số 1" in invitation.body
    committee.open(meeting)
    with pytest.raises(ValidationError) as error:
        sessions.add_conclusion(clerk, item, kind="task", text="Chuẩn bị văn kiện")
    assert set(error.value.error_dict) == {"lead_unit", "deadline"}
    sessions.add_conclusion(clerk, item, kind="decision", text="Thống nhất thông qua kế hoạch.")
    sessions.add_conclusion(
        clerk,
        item,
        kind="task",
        text="Hoàn thiện dự thảo báo cáo chính trị",
        lead_unit=committee.org_unit,
        responsible=committee.members[1],
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    with pytest.raises(ValidationError, match="trạng thái “Đang họp”"):
        drafting.make_notice(clerk, meeting)
    sessions.close_meeting(clerk, meeting, minutes="Hội nghị thảo luận và thống nhất.")
    notice = drafting.make_notice(clerk, meeting)
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
    minutes = drafting.make_minutes_document(clerk, meeting)
    assert minutes.doc_type.symbol == "BB" and "Hội nghị thảo luận và thống nhất." in minutes.body
    assert (minutes.signing_authority, minutes.signer_title) == ("", "CHỦ TRÌ HỘI NGHỊ")
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
    sessions.add_item(clerk, meeting, title="Báo cáo tình hình kinh tế")
    sessions.add_item(clerk, meeting, title="Nhân sự diện Ban Thường vụ quản lý", secrecy=2)
    invitation = drafting.make_invitation(clerk, meeting)
    assert "Báo cáo tình hình kinh tế" in invitation.body
    assert "Nhân sự" not in invitation.body and invitation.secrecy == 0
