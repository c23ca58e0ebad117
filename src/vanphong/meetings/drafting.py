"""The documents made for a meeting, drafted through the documents app (the văn thư) in the Party's
format (HD 36-HD/VPTW): the invitation (giấy mời), the minutes (biên bản) and the conclusion notice
(thông báo kết luận). Their text is Vietnamese whatever the interface language: they are the
committee's documents. Each is an action of `workflow.MEETINGS`, allowed in the meeting's state."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core.access import Actor
from vanphong.core.models import Clearance
from vanphong.core.secrecy import derived_secrecy
from vanphong.core.text import date_phrase
from vanphong.documents import outgoing as documents_outgoing
from vanphong.documents.models import DocumentType, OutgoingDocument
from vanphong.meetings.models import (
    Attendance,
    Conclusion,
    ConclusionKind,
    Meeting,
)
from vanphong.meetings.rules import quorum
from vanphong.meetings.workflow import MEETINGS
from vanphong.org.models import BodyKind, BodyMembership, BodyRole


def _when(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.starts_at)
    return f"{start:%H} giờ {start:%M}, {date_phrase(start.date())}"


def _body_title(meeting: Meeting) -> str:
    return meeting.body.name if meeting.body is not None else meeting.title


# The collective body a document is signed for (HD 36-HD/VPTW: "T/M BAN THƯỜNG VỤ"); the Standing
# Board works on behalf of the Standing Committee (Party Charter art. 20), so it signs for it too.


SIGNING_BODIES: dict[str, str] = {
    BodyKind.EXECUTIVE: "BAN CHẤP HÀNH",
    BodyKind.STANDING: "BAN THƯỜNG VỤ",
    BodyKind.STANDING_BOARD: "BAN THƯỜNG VỤ",
}


SIGNER_TITLES: dict[str, str] = {
    BodyRole.SECRETARY: "BÍ THƯ",
    BodyRole.STANDING_DEPUTY: "PHÓ BÍ THƯ",
    BodyRole.DEPUTY: "PHÓ BÍ THƯ",
}


def _signer_title(meeting: Meeting) -> str:
    """The chair's title in the signature: Bí thư or Phó Bí thư by their role in the body."""
    chair = meeting.chair
    if chair is None:
        return ""
    role = (
        BodyMembership.objects.filter(body=meeting.body, person=chair).values_list("role", flat=True).first()
        if meeting.body is not None
        else None
    )
    return SIGNER_TITLES.get(role, chair.job_title) if role else chair.job_title


def _draft(
    actor: Actor,
    meeting: Meeting,
    symbol: str,
    summary: str,
    body: str,
    secrecy: int,
    *,
    on_behalf: bool = True,
) -> OutgoingDocument:
    """An outgoing draft signed by the chair: for the body (T/M) or, for minutes, as the chair."""
    signing_body = SIGNING_BODIES.get(meeting.body.kind, "") if meeting.body is not None and on_behalf else ""
    return documents_outgoing.save_draft(
        actor,
        OutgoingDocument(
            doc_type=DocumentType.objects.get(symbol=symbol),
            summary=summary,
            body=body,
            secrecy=secrecy,
            signer=meeting.chair,
            signing_authority="T/M" if signing_body else "",
            signing_body=signing_body,
            signer_title=_signer_title(meeting) if on_behalf else "CHỦ TRÌ HỘI NGHỊ",
            external_recipients="Như trên,\nLưu Văn phòng.",
        ),
    )


@transaction.atomic(durable=True)
def make_invitation(actor: Actor, meeting: Meeting) -> OutgoingDocument:
    """The invitation (giấy mời) as an outgoing draft, while the meeting is being prepared. Secret
    items are not named in it."""
    made = MEETINGS.apply(actor, meeting, "invitation", change=lambda m: _invitation(actor, m))
    assert made.invitation is not None
    return made.invitation


def _invitation(actor: Actor, meeting: Meeting) -> None:
    items = list(meeting.items.all())
    lines = [f"{n}. {item.title}" for n, item in enumerate((i for i in items if i.secrecy == 0), start=1)]
    if any(item.secrecy for item in items):
        lines.append("Một số nội dung khác (tài liệu gửi riêng theo chế độ mật).")
    invited = [
        str(i) if i.person_id else f"{i.guest_name}, {i.guest_title}"
        for i in meeting.invitees.select_related("person")
    ]
    body = "\n\n".join(
        [
            f"{_body_title(meeting)} trân trọng kính mời: {'; '.join(invited) or '…'}.",
            f"Dự: {meeting.title}.",
            f"Thời gian: {_when(meeting)}.",
            f"Địa điểm: {meeting.place}.",
            "Nội dung:",
            *(lines or ["…"]),
            "Đề nghị các đồng chí nghiên cứu tài liệu trước cuộc họp và dự đúng giờ.",
        ]
    )
    meeting.invitation = _draft(actor, meeting, "GM", f"Mời dự {meeting.title}", body, Clearance.NONE)


def _conclusion_lines(meeting: Meeting) -> list[str]:
    lines = []
    for n, item in enumerate(meeting.items.prefetch_related("conclusions", "votes"), start=1):
        lines.append(f"{n}. {item.title}")
        for vote in item.votes.all():
            if vote.passed:
                verdict = "thông qua"
            elif vote.quorum_met:
                verdict = "không thông qua"
            else:
                verdict = "không thông qua (hội nghị không đủ số lượng)"
            lines.append(
                f"Biểu quyết: {vote.question}: {vote.votes_for}/{vote.members} đồng chí tán thành, "
                f"{vote.votes_against} không tán thành, {vote.abstentions} không biểu quyết; {verdict}."
            )
        for conclusion in item.conclusions.all():
            text = conclusion.text
            if conclusion.kind == ConclusionKind.TASK:
                parts = [text]
                if conclusion.lead_unit:
                    parts.append(f"Giao {conclusion.lead_unit.name} chủ trì thực hiện")
                if conclusion.deadline:
                    parts.append(f"hoàn thành trước {conclusion.deadline:%d/%m/%Y}")
                text = "; ".join(parts)
            lines.append(f"- {text.rstrip('.')}.")
    return lines


@transaction.atomic(durable=True)
def make_notice(actor: Actor, meeting: Meeting) -> OutgoingDocument:
    """The conclusion notice (Thông báo kết luận) as an outgoing draft in the Party's format, once
    the meeting is held."""
    made = MEETINGS.apply(actor, meeting, "notice", change=lambda m: _notice(actor, m))
    assert made.notice is not None
    return made.notice


def _notice(actor: Actor, meeting: Meeting) -> None:
    if not Conclusion.objects.filter(item__meeting=meeting).exists():
        raise ValidationError(_("Record the conclusions first."))
    chair = f", dưới sự chủ trì của đồng chí {meeting.chair.full_name}" if meeting.chair is not None else ""
    body = "\n\n".join(
        [
            f"Ngày {timezone.localtime(meeting.starts_at):%d/%m/%Y}, tại {meeting.place}, "
            f"{_body_title(meeting)} đã họp{chair}. "
            f"Sau khi nghe báo cáo và thảo luận, {_body_title(meeting)} kết luận như sau:",
            *_conclusion_lines(meeting),
        ]
    )
    day = timezone.localtime(meeting.starts_at).date()
    summary = f"Kết luận của {_body_title(meeting)} tại {meeting.title} ngày {day:%d/%m/%Y}"
    meeting.notice = _draft(actor, meeting, "TB", summary, body, derived_secrecy(meeting.items.all()))


@transaction.atomic(durable=True)
def make_minutes_document(actor: Actor, meeting: Meeting) -> OutgoingDocument:
    """The minutes (biên bản) as an outgoing draft, once the meeting is held: time, place,
    attendance, items, votes, conclusions."""
    made = MEETINGS.apply(actor, meeting, "minutes", change=lambda m: _minutes_document(actor, m))
    assert made.minutes_document is not None
    return made.minutes_document


def _minutes_document(actor: Actor, meeting: Meeting) -> None:
    invitees = list(meeting.invitees.select_related("person"))
    present = [str(i) for i in invitees if i.attendance == Attendance.PRESENT]
    absent = [
        f"{i} ({i.absence_reason or 'không rõ lý do'})" for i in invitees if i.attendance == Attendance.ABSENT
    ]
    count = quorum(meeting)
    attendance = f"Có mặt: {len(present)} đồng chí" + (
        f" ({count.present}/{count.members} ủy viên)" if count else ""
    )
    parts = [
        f"Thời gian: {_when(meeting)}.",
        f"Địa điểm: {meeting.place}.",
        f"Chủ trì: đồng chí {meeting.chair.full_name}." if meeting.chair is not None else "",
        f"{attendance}: {', '.join(present) or '…'}.",
        f"Vắng mặt: {', '.join(absent)}." if absent else "",
        "NỘI DUNG",
        meeting.minutes,
        "KẾT LUẬN",
        *_conclusion_lines(meeting),
    ]
    meeting.minutes_document = _draft(
        actor,
        meeting,
        "BB",
        f"{meeting.title} ngày {timezone.localtime(meeting.starts_at):%d/%m/%Y}",
        "\n\n".join(p for p in parts if p),
        derived_secrecy(meeting.items.all()),
        on_behalf=False,
    )
