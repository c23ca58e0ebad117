"""The home page opens with "my work": what waits for each person today, across the apps, most urgent
first, and nothing they may not read."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from vanphong.documents import incoming, outgoing
from vanphong.documents.models import IncomingDocument
from vanphong.documents.tests.conftest import build_office
from vanphong.testing import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(org_a):
    return build_office(org_a)


def work(client) -> list[tuple[str, str, str]]:
    """(to do, what, deadline) of each row of "my work" on the home page."""
    html = client.get(reverse("home")).content.decode()
    section = html.split('id="my-work"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr class=\"[^\"]*\">(.*?)</tr>", section, re.S)
    cells = [re.findall(r"<td>(.*?)</td>", row, re.S) for row in rows]
    plain = [[re.sub(r"<[^>]+>", "", cell).strip() for cell in row] for row in cells]
    return [(row[0], " ".join(row[1].split()), row[2]) for row in plain]


def test_a_registered_document_waits_for_the_office_chief_not_for_the_clerk(office, client_for):
    doc = office.register(summary="V/v báo cáo công tác cán bộ quý IV")
    assert any(
        todo == "Chuyển xử lý" and doc.summary in what for todo, what, _d in work(client_for(office.chief))
    )
    assert not any(doc.summary in what for _t, what, _d in work(client_for(office.clerk)))


def test_a_routed_document_waits_for_its_unit_with_its_deadline_and_a_draft_for_its_signer(
    office, client_for
):
    doc = office.register(summary="V/v rà soát quy hoạch cán bộ")
    incoming.route_incoming(
        office.actor(office.chief), doc, instruction="Ban Tổ chức tham mưu", lead_unit=office.board_unit
    )
    doc.refresh_from_db()
    rows = work(client_for(office.board_member))
    assert (
        "Giải quyết",
        f"Văn bản đến · {doc.arrival_number}/{doc.arrival_year} · {doc.sender_name} · {doc.summary}",
        doc.deadline.strftime("%d/%m/%Y"),
    ) in [(t, w, d.split()[0]) for t, w, d in rows]

    draft = office.draft(summary="Về tăng cường công tác kiểm tra")
    outgoing.submit_for_approval(office.actor(office.specialist), draft)
    assert any(
        t == "Duyệt hoặc trả lại" and draft.summary in w for t, w, _d in work(client_for(office.secretary))
    )
    outgoing.return_to_draft(office.actor(office.secretary), draft, reason="Bổ sung căn cứ")
    assert any(
        t == "Sửa dự thảo bị trả lại (Bổ sung căn cứ)" and draft.summary in w
        for t, w, _d in work(client_for(office.specialist))
    )
    assert not any(draft.summary in w for _t, w, _d in work(client_for(office.secretary)))


def test_overdue_work_comes_first_and_says_so_in_words(office, client_for):
    later = office.register(summary="Việc còn hạn", sender_reference="1-CV/BTCTW")
    late = office.register(summary="Việc đã quá hạn", sender_reference="2-CV/BTCTW")
    for doc in (later, late):
        incoming.route_incoming(
            office.actor(office.chief), doc, instruction="Xử lý", lead_unit=office.board_unit
        )
    IncomingDocument.objects.filter(pk=late.pk).update(deadline=today() - datetime.timedelta(days=2))
    rows = [row for row in work(client_for(office.board_member)) if row[0] == "Giải quyết"]
    assert "Việc đã quá hạn" in rows[0][1] and "Quá hạn" in rows[0][2]
    assert "Việc còn hạn" in rows[1][1]


def test_a_secret_document_is_no_one_s_work_who_may_not_read_it(office, client_for):
    secret = office.register(summary="Về nhân sự (mật)", secrecy=1)
    incoming.route_incoming(
        office.actor(office.chief), secret, instruction="Xử lý", lead_unit=office.office_unit
    )
    # The specialist works in the office unit named on the routing, but is not cleared for Mật.
    assert not any("nhân sự" in w for _t, w, _d in work(client_for(office.specialist)))
    assert client_for(office.specialist).get(reverse("home")).status_code == 200
