"""A refused form of the incoming page comes back as it was typed, each error under its field."""

from __future__ import annotations

import re

from django.urls import reverse

from vanphong.documents.models import IncomingStatus


def test_a_routing_refused_keeps_the_instruction_and_says_what_is_missing_under_its_field(office, client_for):
    doc = office.register()
    instruction = "Đề nghị Ban Tổ chức nghiên cứu, tham mưu văn bản trả lời trước ngày 20."
    page = client_for(office.chief).post(
        reverse("documents:incoming_route", args=[doc.pk]), {"instruction": instruction}
    )
    assert page.status_code == 422
    html = page.content.decode()
    assert f">\n{instruction}</textarea>" in html  # what was typed is still there
    lead_field = html.split('class="field lead_unit"', 1)[1].split('class="field lead_user"', 1)[0]
    assert "Hãy chọn đơn vị hoặc người chủ trì." in lead_field
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.REGISTERED


def test_a_cancellation_without_a_reason_comes_back_open_with_its_error(office, client_for):
    doc = office.register()
    page = client_for(office.clerk).post(reverse("documents:incoming_cancel", args=[doc.pk]), {"reason": ""})
    assert page.status_code == 422
    html = page.content.decode()
    assert '<details class="card danger" open>' in html and "errorlist" in html.split("danger", 1)[1]
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.REGISTERED


def test_the_two_file_fields_of_the_page_have_ids_of_their_own(office, client_for):
    doc = office.register()
    html = client_for(office.clerk).get(reverse("documents:incoming", args=[doc.pk])).content.decode()
    ids = re.findall(r'id="(id_[a-z_]*attachments)"', html)
    assert len(ids) == len(set(ids)) >= 1
