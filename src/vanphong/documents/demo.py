"""Demo data of the văn thư: called by `vanphong demo` first of the modules.

A few weeks of the province office's văn thư: letters in, routed, handled or overdue; documents out.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from vanphong.accounts.models import Membership
from vanphong.core.access import Actor
from vanphong.core.models import Organisation
from vanphong.documents import incoming, outgoing
from vanphong.documents.models import DocumentType, IncomingDocument, OutgoingDocument
from vanphong.org.models import Person, Unit


def build_demo(province: Organisation, communes: list[Organisation]) -> None:
    _Register(province, communes[0]).build()


class _Register:
    """A few weeks of the province office's văn thư: letters in, routed, handled or overdue; documents out."""

    INCOMING = [
        # (type, sender, reference, days ago, summary, secrecy, urgency, state)
        (
            "CV",
            "Văn phòng Trung ương Đảng",
            "1024-CV/VPTW",
            40,
            "V/v báo cáo sơ kết 6 tháng thực hiện Quy chế làm việc",
            0,
            0,
            "handled",
        ),
        (
            "HD",
            "Ban Tổ chức Trung ương",
            "15-HD/BTCTW",
            30,
            "Hướng dẫn một số vấn đề cụ thể về công tác tổ chức đại hội đảng bộ các cấp",
            0,
            0,
            "routed_overdue",
        ),
        (
            "KL",
            "Bộ Chính trị",
            "205-KL/TW",
            21,
            "Kết luận về tiếp tục đẩy mạnh chuyển đổi số trong các cơ quan Đảng",
            0,
            1,
            "routed",
        ),
        (
            "CV",
            "Ủy ban nhân dân tỉnh Ngọc Sơn",
            "3120/UBND-TH",
            12,
            "V/v đề xuất danh mục dự án đầu tư công trung hạn giai đoạn 2026–2030",
            0,
            0,
            "routed_soon",
        ),
        (
            "CV",
            "Ban Nội chính Trung ương",
            "88-CV/BNCTW",
            9,
            "V/v cung cấp thông tin phục vụ công tác phòng, chống tham nhũng",
            2,
            2,
            "routed",
        ),
        (
            "TB",
            "Văn phòng Trung ương Đảng",
            "410-TB/VPTW",
            5,
            "Thông báo lịch làm việc của đoàn công tác Trung ương tại tỉnh",
            0,
            3,
            "registered",
        ),
        (
            "CV",
            "Đảng ủy xã Tân Hòa",
            "45-CV/ĐU",
            2,
            "V/v xin ý kiến về phương án sắp xếp chi bộ thôn",
            0,
            0,
            "registered",
        ),
        (
            "BC",
            "Đảng ủy phường Bình Minh",
            "12-BC/ĐU",
            1,
            "Báo cáo kết quả lãnh đạo thực hiện nhiệm vụ chính trị quý III",
            0,
            0,
            "registered",
        ),
    ]
    OUTGOING = [
        ("NQ", 60, "Về lãnh đạo thực hiện nhiệm vụ chính trị năm 2026", 0),
        ("KL", 45, "Kết luận của Ban Thường vụ Tỉnh ủy về công tác cán bộ", 1),
        ("CT", 35, "Về tăng cường công tác tiếp công dân, giải quyết khiếu nại, tố cáo", 0),
        ("TB", 20, "Thông báo kết luận Hội nghị Ban Thường vụ Tỉnh ủy tháng 10 năm 2026", 0),
        ("CV", 10, "V/v chuẩn bị nội dung Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ ba", 0),
        ("NQ", 6, "Về đẩy mạnh chuyển đổi số trong các cơ quan Đảng của tỉnh giai đoạn 2026–2030", 0),
    ]

    def __init__(self, province: Organisation, commune: Organisation) -> None:
        self.province = province
        self.commune = commune
        self.actor = Actor.system_for(province)
        self.now = timezone.localtime()

    def build(self) -> None:
        types = {t.symbol: t for t in DocumentType.objects.all()}
        units = {u.short_name: u for u in Unit.objects.filter(organisation=self.province)}
        for symbol, sender, reference, days_ago, summary, secrecy, urgency, state in self.INCOMING:
            arrived = self.now - datetime.timedelta(days=days_ago, hours=2)
            doc = incoming.register_incoming(
                self.actor,
                doc_type=types[symbol],
                summary=summary,
                sender_name=sender,
                sender_reference=reference,
                document_date=(arrived - datetime.timedelta(days=2)).date(),
                arrived_at=arrived,
                secrecy=secrecy,
                urgency=urgency,
                pages=2,
                copies=1,
            )
            if state == "registered":
                continue
            lead = (
                units["BTC"] if "tổ chức" in summary.lower() or "cán bộ" in summary.lower() else units["TH"]
            )
            incoming.route_incoming(
                self.actor,
                doc,
                instruction="Giao đơn vị chủ trì tham mưu, báo cáo Thường trực Tỉnh ủy.",
                lead_unit=lead,
                support_units=[units["BNC"]] if secrecy else [],
                deadline_days=10,
            )
            if state == "routed_overdue":
                # Demo history: this routing was made weeks ago, so its deadline has passed.
                IncomingDocument.objects.filter(pk=doc.pk).update(
                    deadline=(self.now - datetime.timedelta(days=3)).date()
                )
            elif state == "routed_soon":
                IncomingDocument.objects.filter(pk=doc.pk).update(
                    deadline=(self.now + datetime.timedelta(days=1)).date()
                )
            elif state == "handled":
                incoming.mark_handled(self.actor, doc, text="Đã báo cáo theo yêu cầu.")
        secretary = Person.objects.get(organisation=self.province, user__username="bithu")
        signer = Actor.for_membership(
            Membership.objects.get(user__username="bithu", organisation=self.province)
        )
        for symbol, days_ago, summary, secrecy in self.OUTGOING:
            draft = outgoing.save_draft(
                self.actor,
                OutgoingDocument(
                    doc_type=types[symbol],
                    summary=summary,
                    secrecy=secrecy,
                    signer=secretary,
                    signing_authority="T/M",
                    signing_body="Ban Thường vụ",
                    signer_title="Bí thư",
                    body="I. TÌNH HÌNH\n\nNội dung văn bản mẫu của dữ liệu trình diễn.",
                    addressees=self.commune.name if symbol == "CV" else "",
                    external_recipients="Ban Bí thư Trung ương Đảng (để báo cáo),\nLưu Văn phòng Tỉnh ủy.",
                    copies=5,
                ),
                internal_recipients=[self.commune] if symbol == "CV" else [],
            )
            outgoing.submit_for_approval(self.actor, draft)
            outgoing.approve(signer, draft)
            outgoing.issue(self.actor, draft, issued_on=(self.now - datetime.timedelta(days=days_ago)).date())
        outgoing.save_draft(
            self.actor,
            OutgoingDocument(
                doc_type=types["BC"],
                summary="Báo cáo tình hình thực hiện nhiệm vụ tháng 11 năm 2026",
                signer=secretary,
                signing_authority="T/M",
                signing_body="Ban Thường vụ",
                signer_title="Bí thư",
            ),
        )
