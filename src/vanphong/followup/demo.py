"""Demo data of this module: called by `vanphong demo` after the documents.

The province's Standing Committee conclusions, a resolution, a directive with a monthly report and
the 2026 work programme become tasks in every status (dates relative to the day the demo is
loaded), with reports waiting for the office, an extension waiting for a decision, a Tuyệt mật task
and weighted sub-tasks; the communes get a few tasks each so that the province sees their figures.
The day's reminders are then sent (in the app only).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from vanphong.accounts.models import Membership
from vanphong.core.access import Actor
from vanphong.core.calendar import WorkingCalendar
from vanphong.core.models import Clearance, Organisation
from vanphong.followup import assignment, extensions, progress, reminders, sources
from vanphong.followup.models import Source, Task
from vanphong.org import services as org_services
from vanphong.org.models import Person, Unit

D = datetime.timedelta


def _unit(org: Organisation, name: str) -> Unit:
    return Unit.objects.get(organisation=org, name=name)


def _person(org: Organisation, job: str) -> Person | None:
    return Person.objects.filter(organisation=org, job_title=job).first()


def _actor(org: Organisation, username: str) -> Actor:
    return Actor.for_membership(Membership.objects.get(organisation=org, user__username=username))


def _report(task: Task, percent: int, text: str, on: datetime.date, actor: Actor | None = None) -> None:
    progress.submit_report(
        actor or Actor.system_for(task.organisation), task, text=text, percent=percent, reported_on=on
    )


def build_demo(province: Organisation, communes: list[Organisation]) -> None:
    today = timezone.localdate()
    cal = WorkingCalendar(province)
    system = Actor.system_for(province)
    btc = _unit(province, "Ban Tổ chức Tỉnh ủy")
    tgdv = _unit(province, "Ban Tuyên giáo và Dân vận Tỉnh ủy")
    bnc = _unit(province, "Ban Nội chính Tỉnh ủy")
    bcs = _unit(province, "Ban Chính sách, chiến lược Tỉnh ủy")
    office = _unit(province, "Văn phòng Tỉnh ủy")
    ubkt = _unit(province, "Cơ quan Ủy ban Kiểm tra Tỉnh ủy")
    head_btc = _person(province, "Trưởng Ban Tổ chức Tỉnh ủy")
    deputy = _person(province, "Phó Bí thư Thường trực Tỉnh ủy")
    head_bnc = _person(province, "Trưởng Ban Nội chính Tỉnh ủy")
    secretary = _person(province, "Bí thư Tỉnh ủy")

    def source(kind: str, title: str, reference: str, days_ago: int, **extra: Any) -> Source:
        return sources.create_source(
            system, kind=kind, title=title, reference=reference, issued_on=today - D(days=days_ago), **extra
        )

    def task(src: Source, content: str, unit: Unit, deadline: datetime.date, **extra: Any) -> Task:
        return assignment.create_task(
            system,
            src,
            content=content,
            lead_unit=unit,
            deadline=deadline,
            responsible=extra.pop("who", deputy),
            **extra,
        )

    conclusion = source(
        "conclusion",
        "Kết luận của Ban Thường vụ Tỉnh ủy về đẩy mạnh chuyển đổi số trong các cơ quan Đảng",
        "45-KL/TU",
        75,
    )
    task(
        conclusion,
        "Xây dựng Đề án số hóa hồ sơ đảng viên toàn tỉnh",
        btc,
        today + D(days=40),
        expected_product="Đề án trình Ban Thường vụ",
        who=head_btc,
        support_units=[office],
    )
    in_progress = task(
        conclusion,
        "Tuyên truyền về chuyển đổi số trên Báo Ngọc Sơn và Cổng thông tin điện tử Tỉnh ủy",
        tgdv,
        today + D(days=25),
        expected_product="Chuyên mục, tin bài",
    )
    _report(in_progress, 40, "Đã mở chuyên mục, đăng 12 tin bài.", today - D(days=5))
    due_soon = task(
        conclusion,
        "Báo cáo Ban Thường vụ kết quả triển khai phần mềm văn phòng điện tử",
        office,
        cal.working_days_after(today, 1),
        expected_product="Báo cáo",
    )
    _report(due_soon, 70, "Đã triển khai ở 11/11 cơ quan tham mưu.", today - D(days=3))
    overdue = task(
        conclusion,
        "Rà soát, hoàn thiện quy chế quản lý, khai thác cơ sở dữ liệu đảng viên",
        btc,
        today - D(days=12),
        expected_product="Quy chế (sửa đổi)",
        who=head_btc,
    )
    _report(overdue, 30, "Đang lấy ý kiến các ban.", today - D(days=20))
    # A report by the Organisation Board itself waits for the office.
    _report(overdue, 50, "Đã tổng hợp ý kiến, đang chỉnh sửa dự thảo.", today, _actor(province, "uyvien"))

    resolution = source("resolution", "Nghị quyết về công tác cán bộ giai đoạn 2026–2030", "08-NQ/TU", 120)
    parent = task(
        resolution,
        "Quy hoạch cán bộ diện Ban Thường vụ Tỉnh ủy quản lý nhiệm kỳ 2030–2035",
        btc,
        today + D(days=90),
        who=head_btc,
        expected_product="Quy hoạch được phê duyệt",
    )
    first = task(
        resolution,
        "Rà soát, đánh giá cán bộ trong quy hoạch",
        btc,
        today + D(days=30),
        parent=parent,
        weight=40,
        who=head_btc,
    )
    task(
        resolution,
        "Giới thiệu nhân sự quy hoạch ở các cơ quan, đơn vị",
        btc,
        today + D(days=60),
        parent=parent,
        weight=35,
        who=head_btc,
    )
    task(
        resolution,
        "Thẩm định, trình Ban Thường vụ phê duyệt",
        btc,
        today + D(days=85),
        parent=parent,
        weight=25,
        who=head_btc,
    )
    _report(first, 100, "Đã hoàn thành rà soát 214 cán bộ.", today - D(days=2))
    done_on_time = task(resolution, "Ban hành kế hoạch thực hiện Nghị quyết", office, today - D(days=90))
    _report(done_on_time, 100, "Đã ban hành Kế hoạch số 112-KH/TU.", today - D(days=95))
    progress.evaluate(system, done_on_time, evaluation="good", note="Đúng hạn, nội dung đầy đủ.")
    done_late = task(resolution, "Tổ chức hội nghị quán triệt Nghị quyết", tgdv, today - D(days=60))
    _report(done_late, 100, "Đã tổ chức hội nghị trực tuyến đến 130 điểm cầu.", today - D(days=52))
    extended = task(resolution, "Sơ kết việc thực hiện chính sách thu hút nhân tài", bcs, today + D(days=5))
    _report(extended, 20, "Đang khảo sát.", today - D(days=10))
    request = extensions.request_extension(
        system, extended, reason="Chờ số liệu của các sở, ngành.", requested_deadline=today + D(days=35)
    )
    extensions.decide_extension(system, request, approve=True, note="Đồng ý gia hạn.")
    waiting = task(resolution, "Tổng hợp đề xuất chính sách đối với cán bộ cơ sở", bcs, today + D(days=12))
    extensions.request_extension(
        _actor(province, "chanhvp"),
        waiting,
        reason="Khối lượng lớn, cần thêm thời gian.",
        requested_deadline=today + D(days=40),
    )
    cancelled = task(
        resolution, "Khảo sát mô hình Ban Tổ chức cấp huyện", btc, today + D(days=20), who=head_btc
    )
    assignment.cancel_task(system, cancelled, reason="Không còn cấp huyện từ 01/7/2025.")

    directive = source(
        "directive",
        "Chỉ thị về tăng cường phòng, chống tham nhũng, tiêu cực",
        "05-CT/TU",
        150,
        secrecy=Clearance.MAT,
    )
    assignment.create_task(
        system,
        directive,
        content="Báo cáo hằng tháng tình hình phòng, chống tham nhũng, tiêu cực",
        lead_unit=bnc,
        responsible=head_bnc,
        secrecy=Clearance.MAT,
        assigned_on=today - D(days=100),
        deadline=assignment.add_months((today - D(days=100)).replace(day=20), 1),
        recurrence="monthly",
    )
    top = source(
        "meeting_conclusion",
        "Kết luận phiên họp Thường trực Tỉnh ủy về công tác bảo vệ chính trị nội bộ",
        "",
        20,
        secrecy=Clearance.TUYET_MAT,
    )
    task(
        top,
        "Thẩm tra, xác minh lý lịch chính trị nhân sự dự kiến bổ nhiệm",
        ubkt,
        today + D(days=15),
        secrecy=Clearance.TUYET_MAT,
        who=secretary,
    )

    programme = sources.create_source(
        system,
        kind="work_programme",
        title=f"Chương trình làm việc năm {today.year} của Ban Chấp hành Đảng bộ tỉnh",
        reference="01-CTr/TU",
        year=today.year,
    )
    for quarter, content, unit in (
        (1, "Hội nghị Ban Chấp hành tổng kết công tác năm", office),
        (2, "Sơ kết công tác kiểm tra, giám sát 6 tháng", ubkt),
        (3, "Chuyên đề về công tác dân vận", tgdv),
        (4, "Tổng kết công tác xây dựng Đảng năm", btc),
    ):
        item = assignment.create_task(
            system,
            programme,
            content=content,
            lead_unit=unit,
            period_quarter=quarter,
            expected_product="Báo cáo, dự thảo kết luận",
        )
        if item.deadline and item.deadline < today - D(days=30):
            _report(item, 100, "Đã hoàn thành theo chương trình.", item.deadline - D(days=3))

    for org in communes:
        _commune(org, today)
    # E-mail addresses for the people with accounts, so that reminders also go out by e-mail (the
    # demo's console backend prints them).
    for person in Person.objects.filter(organisation=province, user__isnull=False, email="").select_related(
        "user"
    ):
        assert person.user is not None
        person.email = f"{person.user.username}@ngocson.example.vn"
        org_services.save_person(system, person)
    reminders.run(today, send_email=False)


def _commune(org: Organisation, today: datetime.date) -> None:
    system = Actor.system_for(org)
    name = org.name
    office = _unit(org, f"Văn phòng {name}")
    board = _unit(org, f"Ban Xây dựng Đảng {name}")
    src = sources.create_source(
        system,
        kind="resolution",
        title=f"Nghị quyết Đại hội {name.replace('Đảng ủy', 'Đảng bộ')} lần thứ I – chương trình hành động",
        reference="02-NQ/ĐU",
        issued_on=today - D(days=80),
    )
    specs = [
        ("Kiện toàn tổ chức cơ sở đảng sau sắp xếp", board, 30, 100, 25),
        ("Xây dựng quy chế làm việc của Ban Chấp hành", office, 60, 100, 70),
        ("Phát triển đảng viên mới trong thanh niên", board, -5, 40, None),
        ("Số hóa văn bản đi, đến năm 2025", office, 20, 10, None),
        ("Rà soát đảng viên miễn sinh hoạt", board, -15, 0, None),
        ("Tổng kết công tác năm 2025", office, -30, 100, 60),
    ]
    for content, unit, days, percent, done_after in specs:
        created = assignment.create_task(
            system,
            src,
            content=content,
            lead_unit=unit,
            deadline=today + D(days=days) if days > 0 else today - D(days=-days),
        )
        if percent:
            on = created.assigned_on + D(days=done_after) if done_after is not None else today - D(days=1)
            progress.submit_report(system, created, text="Đã thực hiện.", percent=percent, reported_on=on)
