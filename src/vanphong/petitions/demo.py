"""Demo data of this module: called by `vanphong demo` after the documents.

The province's head receives citizens most months (one month is missed, so the page shows the
minimum not met); the reception officer `tiepdan` records the visits and letters; the office chief
`chanhvp` names handlers. Petitions are left in every state: received, transferred, filed,
accepted, being verified with an extension, concluded, answered, and a repeat of an answered one.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from vanphong.accounts.models import Membership
from vanphong.core.access import Actor
from vanphong.core.models import Organisation
from vanphong.org.models import Person
from vanphong.petitions import handling, intake, reception
from vanphong.petitions.identities import Identity
from vanphong.petitions.models import Competence, PetitionKind, SenderKind, SessionKind, Subject

BRIBE = "Tố cáo cán bộ địa chính phường nhận tiền khi làm thủ tục cấp giấy chứng nhận quyền sử dụng đất."
LAND = "Khiếu nại Quyết định thu hồi đất của UBND xã đối với thửa đất số 112, tờ bản đồ số 5."


def _actor(username: str, organisation: Organisation) -> Actor:
    return Actor.for_membership(
        Membership.objects.select_related("user", "organisation").get(
            user__username=username, organisation=organisation
        )
    )


def _month_day(today: datetime.date, months_back: int, day: int) -> datetime.date:
    month = today.replace(day=1)
    for _ in range(months_back):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month.replace(day=day)


def build_demo(province: Organisation, communes: list[Organisation]) -> None:
    today = timezone.localdate()
    officer, chief = _actor("tiepdan", province), _actor("chanhvp", province)
    head = Person.objects.get(organisation=province, user__username="bithu")

    # Regular sessions of the head: months 4, 3 and 1 back, and this month if the 10th has passed;
    # two months back the head did not receive (the minimum is not met), an extra session instead.
    sessions = {}
    for months_back in (4, 3, 1, 0):
        day = _month_day(today, months_back, 10)
        if day <= today:
            sessions[months_back] = reception.save_session(
                officer, held_on=day, leader=head, place="Trụ sở Tiếp công dân tỉnh"
            )
    extra = reception.save_session(
        officer,
        held_on=_month_day(today, 2, 20),
        kind=SessionKind.EXTRA,
        leader=head,
        place="Trụ sở Tiếp công dân tỉnh",
        notes="Đoàn đông người về bồi thường giải phóng mặt bằng dự án đường ven biển",
    )

    land_visit = reception.record_visit(
        officer,
        session=sessions[4],
        visited_on=sessions[4].held_on,
        content_kind=PetitionKind.COMPLAINT,
        identity=Identity.cleaned(name="Nguyễn Văn Hùng", address="Thôn 3, xã Tân Hòa", phone="0987 111 222"),
        content=LAND,
        documents_handed_in="Đơn khiếu nại; bản sao Quyết định thu hồi đất",
        answer="Giao Văn phòng Tỉnh ủy tiếp nhận đơn, đề xuất xử lý theo thẩm quyền.",
    )
    denunciation_visit = reception.record_visit(
        officer,
        session=sessions[3],
        visited_on=sessions[3].held_on,
        content_kind=PetitionKind.DENUNCIATION,
        identity=Identity.cleaned(
            name="Trịnh Thị Bảo",
            address="Tổ 4, phường Bình Minh",
            phone="0912 345 678",
            id_number="001190012345",
        ),
        content=BRIBE,
        documents_handed_in="Đơn tố cáo (2 trang)",
        answer="Tiếp nhận đơn; giữ bí mật thông tin người tố cáo.",
    )
    delegation = reception.record_visit(
        officer,
        session=extra,
        visited_on=extra.held_on,
        content_kind=PetitionKind.PROPOSAL,
        delegation_size=23,
        identity=Identity.cleaned(
            name="Hoàng Văn Tám",
            representatives="Hoàng Văn Tám, Lê Thị Nga, Phan Văn Khải",
            address="Xã Tân Hòa",
        ),
        content="Kiến nghị xem xét lại đơn giá bồi thường giải phóng mặt bằng dự án đường ven biển.",
        answer="Đề nghị UBND tỉnh chỉ đạo rà soát đơn giá bồi thường, trả lời công dân.",
    )
    reception.record_visit(
        officer,
        session=sessions[1],
        visited_on=sessions[1].held_on,
        content_kind=PetitionKind.REPORT,
        identity=Identity.cleaned(name="Đặng Thị Hồng", address="Phường Bình Minh"),
        content="Phản ánh tình trạng ô nhiễm từ cơ sở chăn nuôi trong khu dân cư.",
        answer="Giải thích, hướng dẫn công dân gửi phản ánh đến UBND phường.",
    )

    if 0 in sessions:
        reception.record_visit(
            officer,
            session=sessions[0],
            visited_on=sessions[0].held_on,
            content_kind=PetitionKind.PROPOSAL,
            identity=Identity.cleaned(name="Phan Văn Khải", address="Thôn 1, xã Tân Hòa"),
            content="Kiến nghị sửa chữa tuyến đường liên thôn bị sạt lở sau mưa lũ.",
            answer="Giao UBND xã Tân Hòa kiểm tra, báo cáo trước ngày 30 tháng này.",
        )

    def days_ago(n: int) -> datetime.date:
        return today - datetime.timedelta(days=n)

    # Answered complaint, and a later letter repeating the same matter.
    complaint = intake.register_petition(
        officer,
        received_on=land_visit.visited_on,
        channel="visit",
        sender_kind=SenderKind.PERSON,
        kind=PetitionKind.COMPLAINT,
        subject=Subject.LAND,
        summary=LAND,
        concerns="UBND xã Tân Hòa",
        competence=Competence.OWN,
        visit=land_visit,
    )
    intake.accept(officer, complaint, on=complaint.received_on + datetime.timedelta(days=5))
    handling.assign(chief, complaint, lead=officer.user)
    handling.conclude(
        officer,
        complaint,
        on=complaint.received_on + datetime.timedelta(days=25),
        conclusion="Quyết định thu hồi đất đúng trình tự; đề nghị xã bổ sung hỗ trợ chuyển đổi nghề.",
    )
    handling.answer(
        officer,
        complaint,
        on=complaint.received_on + datetime.timedelta(days=28),
        text="Đã có văn bản trả lời công dân và thông báo kết quả cho UBND xã.",
    )
    intake.register_petition(
        officer,
        received_on=days_ago(6),
        channel="post",
        sender_kind=SenderKind.PERSON,
        identity=Identity.cleaned(name="Nguyễn Văn Hùng", address="Thôn 3 xã Tân Hòa"),
        kind=PetitionKind.COMPLAINT,
        subject=Subject.LAND,
        summary=f"Tiếp tục {LAND[0].lower()}{LAND[1:]}",
        competence=Competence.OWN,
    )

    # A denunciation made at a visit: accepted, handled, extended once (complex).
    denunciation = intake.register_petition(
        officer,
        received_on=denunciation_visit.visited_on,
        channel="visit",
        sender_kind=SenderKind.PERSON,
        kind=PetitionKind.DENUNCIATION,
        subject=Subject.CADRES,
        summary=BRIBE,
        concerns="Cán bộ địa chính phường Bình Minh",
        competence=Competence.OWN,
        is_complex=True,
        visit=denunciation_visit,
    )
    accepted_on = denunciation.received_on + datetime.timedelta(days=5)
    intake.accept(officer, denunciation, on=accepted_on)
    handling.assign(chief, denunciation, lead=officer.user)
    handling.extend(
        officer,
        denunciation,
        decision_reference="27-QĐ/TU",
        decided_on=accepted_on + datetime.timedelta(days=25),
        days=30,
        reason="Phải xác minh tại nhiều cơ quan, tổ chức.",
    )

    # The delegation's proposal: accepted with a target date, being verified.
    proposal = intake.register_petition(
        officer,
        received_on=delegation.visited_on,
        channel="visit",
        sender_kind=SenderKind.PERSON,
        delegation_size=23,
        kind=PetitionKind.PROPOSAL,
        subject=Subject.LAND,
        summary="Kiến nghị xem xét lại đơn giá bồi thường giải phóng mặt bằng dự án đường ven biển.",
        concerns="UBND tỉnh Ngọc Sơn",
        competence=Competence.OWN,
        visit=delegation,
    )
    intake.accept(
        officer,
        proposal,
        on=proposal.received_on + datetime.timedelta(days=3),
        target_date=proposal.received_on + datetime.timedelta(days=45),
    )
    handling.assign(chief, proposal, lead=officer.user)

    # Not within competence: transferred to the Inspection Committee (a draft letter is made).
    against_member = intake.register_petition(
        officer,
        received_on=days_ago(15),
        channel="post",
        sender_kind=SenderKind.PERSON,
        identity=Identity.cleaned(name="Vũ Đình Lộc", address="Xã Tân Hòa"),
        kind=PetitionKind.COMPLAINT,
        subject=Subject.CADRES,
        summary="Khiếu nại quyết định kỷ luật khiển trách của Đảng ủy xã đối với đảng viên.",
        concerns="Đảng ủy xã Tân Hòa",
        competence=Competence.INSPECTION,
    )
    intake.transfer(officer, against_member, to_body="Ủy ban Kiểm tra Tỉnh ủy", on=days_ago(12))

    # Anonymous: not accepted, filed (Law on Denunciations 2018 art. 25).
    anonymous = intake.register_petition(
        officer,
        received_on=days_ago(20),
        channel="post",
        sender_kind=SenderKind.ANONYMOUS,
        kind=PetitionKind.DENUNCIATION,
        subject=Subject.CADRES,
        summary="Thư không ký tên phản ánh chung chung về lối sống của cán bộ.",
        competence=Competence.OWN,
    )
    intake.file_away(
        officer, anonymous, reason="Đơn nặc danh, nội dung không cụ thể, không có căn cứ xác minh."
    )

    # New letters waiting to be classified: one by e-mail, one transferred by the National Assembly deputies.
    intake.register_petition(
        officer,
        received_on=days_ago(3),
        channel="email",
        sender_kind=SenderKind.PERSON,
        identity=Identity.cleaned(name="Lý Thị Mai", email="lythimai@example.vn", address="Đặc khu Hòn Ngọc"),
        kind=PetitionKind.COMPLAINT,
        subject=Subject.POLICY,
        summary="Khiếu nại việc không được hưởng chế độ hỗ trợ người có công.",
        competence=Competence.OWN,
        remote_area=True,
    )
    intake.register_petition(
        officer,
        received_on=days_ago(1),
        channel="transferred",
        transferred_from="Đoàn đại biểu Quốc hội tỉnh",
        sender_kind=SenderKind.BODY,
        sender_body="Hội Nông dân xã Tân Hòa",
        kind=PetitionKind.REPORT,
        subject=Subject.SOCIETY,
        summary="Phản ánh tình trạng khai thác cát trái phép trên sông.",
        competence=Competence.STATE,
        competent_body="UBND tỉnh Ngọc Sơn",
    )

    # A commune receives too: one regular day this month, below its minimum of two.
    if communes:
        commune = Actor.system_for(communes[0])
        reception.save_session(commune, held_on=_month_day(today, 1, 12), place="Trụ sở Đảng ủy xã")
