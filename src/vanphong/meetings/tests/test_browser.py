"""One full cycle in a real Chromium: a unit's paper is appraised, put on a BTV meeting's agenda, read
on screen by a member; the meeting records attendance, a vote and a task conclusion; the minutes and
the conclusion notice come out as DOCX, and the task is in the follow-up."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from docx import Document as DocxDocument

from vanphong.core.models import AuditEvent
from vanphong.documents.tests.conftest import pdf_bytes
from vanphong.followup.models import Task
from vanphong.meetings.models import Meeting, MeetingStatus, Submission, SubmissionStatus
from vanphong.testing import TEST_PASSWORD, shot, sign_in

pytestmark = pytest.mark.browser


def docx_text(page, url: str) -> str:
    response = page.request.get(url)
    assert response.ok, url
    return "\n".join(p.text for p in DocxDocument(io.BytesIO(response.body())).paragraphs)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_from_a_units_paper_to_the_committees_conclusion(page, live_server, committee):
    base = live_server.url

    # The organisation department submits its paper for the Standing Committee.
    sign_in(page, base, "ngchuyenvien", TEST_PASSWORD)
    page.goto(f"{base}/meetings/submissions/new/")
    page.fill("#id_title", "Tờ trình về kiện toàn tổ chức bộ máy các cơ quan Đảng")
    page.select_option("#id_kind", "to_trinh")
    page.select_option("#id_unit", str(committee.org_unit.pk))
    page.select_option("#id_body", str(committee.btv.pk))
    page.fill("#id_summary", "Đề xuất sắp xếp, kiện toàn các ban xây dựng Đảng.")
    page.set_input_files(
        "#id_attachments",
        files=[{"name": "to-trinh.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    page.click("form.grid-form button.primary")
    page.wait_for_url("**/meetings/submissions/*/")
    page.click("form[action$='/submit/'] button")
    page.wait_for_load_state()
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.SUBMITTED

    # The office chief appraises it and finds it ready to present.
    sign_in(page, base, "ngchanhvp", TEST_PASSWORD)
    page.goto(f"{base}/meetings/submissions/{submission.pk}/")
    page.select_option("#id_appraiser", str(committee.chief.pk))
    page.click("form[action$='/start_appraisal/'] button")
    page.wait_for_load_state()
    page.select_option("#id_recommendation", "ready")
    page.fill("#id_appraisal", "Tờ trình đúng thẩm quyền, hồ sơ đầy đủ; đủ điều kiện trình Ban Thường vụ.")
    page.click("form[action$='/appraise/'] button")
    page.wait_for_load_state()
    shot(page, "meetings-submission-appraised")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.READY

    # The clerk plans the BTV meeting and puts the paper on its agenda.
    sign_in(page, base, "ngvanthu", TEST_PASSWORD)
    page.goto(f"{base}/meetings/new/")
    start = timezone.localtime() + datetime.timedelta(days=14)
    page.select_option("#id_kind", "btv")
    page.select_option("#id_body", str(committee.btv.pk))
    page.fill("#id_title", "Hội nghị Ban Thường vụ Tỉnh ủy tháng 12")
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT08:00"))
    page.fill("#id_ends_at", start.strftime("%Y-%m-%dT11:30"))
    page.fill("#id_place", "Phòng họp Ban Thường vụ")
    page.select_option("#id_chair", str(committee.members[0].pk))
    page.click("form.grid-form button.primary")
    page.wait_for_url("**/meetings/*/")
    meeting = Meeting.objects.get()
    assert meeting.invitees.count() == 9
    page.goto(f"{base}/meetings/submissions/{submission.pk}/")
    page.select_option("#id_meeting", str(meeting.pk))
    page.click("form[action$='/schedule/'] button")
    page.wait_for_load_state()
    assert Submission.objects.get().status == SubmissionStatus.SCHEDULED

    # A member reads the paper on screen before the meeting; the opening is logged.
    sign_in(page, base, "nguyvien", TEST_PASSWORD)
    page.goto(f"{base}/meetings/{meeting.pk}/")
    shot(page, "meetings-room-member")
    link = page.locator("ul.papers a", has_text="to-trinh.pdf")
    assert link.is_visible()
    assert page.request.get(base + link.get_attribute("href")).body().startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="paper.opened", actor=committee.member).count() == 1

    # The day comes (the test moves the meeting into the past) and the clerk records it.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=4),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    sign_in(page, base, "ngvanthu", TEST_PASSWORD)
    page.goto(f"{base}/meetings/{meeting.pk}/")
    page.click("form[action$='/opened/'] button")
    page.wait_for_load_state()
    assert Meeting.objects.get().status == MeetingStatus.IN_SESSION
    invitees = list(meeting.invitees.order_by("pk"))
    for n, invitee in enumerate(invitees):
        page.select_option(f"[name=attendance-{invitee.pk}]", "present" if n < 7 else "absent")
        if n >= 7:
            page.fill(f"[name=reason-{invitee.pk}]", "Đi công tác Trung ương")
    page.click("form[action$='/attendance/'] button")
    page.wait_for_load_state()
    assert "7" in page.locator("dl.facts").inner_text()
    item = meeting.items.get()
    prefix = f"#id_item{item.pk}-"
    page.click(f"#item-{item.pk} details.vote summary")
    page.fill(f"{prefix}question", "Thông qua Tờ trình")
    page.fill(f"{prefix}votes_for", "7")
    page.click(f"#item-{item.pk} details.vote button")
    page.wait_for_load_state()
    vote = item.votes.get()
    assert vote.passed and vote.members == 9 and vote.present == 7
    page.click(f"#item-{item.pk} details.conclusion summary")
    page.select_option(f"{prefix}kind", "task")
    page.fill(f"{prefix}text", "Ban Tổ chức hoàn thiện đề án kiện toàn bộ máy, trình Ban Thường vụ")
    page.select_option(f"{prefix}lead_unit", str(committee.org_unit.pk))
    page.select_option(f"{prefix}responsible", str(committee.members[2].pk))
    page.fill(f"{prefix}deadline", (timezone.localdate() + datetime.timedelta(days=45)).isoformat())
    page.click(f"#item-{item.pk} details.conclusion button")
    page.wait_for_load_state()
    page.fill("#id_minutes", "Hội nghị nghe Ban Tổ chức trình bày Tờ trình; các đồng chí Ủy viên thảo luận.")
    page.click("form[action$='/held/'] button")
    page.wait_for_load_state()
    shot(page, "meetings-held")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert Submission.objects.get().status == SubmissionStatus.DECIDED

    # Minutes and conclusion notice as documents in the Party's format.
    page.click("form[action$='/minutes/'] button")
    page.wait_for_url("**/documents/outgoing/*/")
    minutes = docx_text(page, base + page.locator("a", has_text="DOCX").get_attribute("href"))
    assert "BIÊN BẢN" in minutes and "Đi công tác Trung ương" in minutes
    page.goto(f"{base}/meetings/{meeting.pk}/")
    page.click("form[action$='/notice/'] button")
    page.wait_for_url("**/documents/outgoing/*/")
    shot(page, "meetings-notice-draft")
    notice = docx_text(page, base + page.locator("a", has_text="DOCX").get_attribute("href"))
    assert "THÔNG BÁO" in notice and "Giao Ban Tổ chức Tỉnh ủy chủ trì thực hiện" in notice

    # The task conclusion is now a tracked task of the follow-up.
    task = Task.objects.get()
    assert task.lead_unit == committee.org_unit and task.responsible == committee.members[2]
    assert "kiện toàn bộ máy" in task.content
