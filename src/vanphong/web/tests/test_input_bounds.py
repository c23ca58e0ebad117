"""Extreme input gets a clear answer, never a server error, and nothing unusable is stored.

Each case here was once a server error (issue "Nothing leaks, nothing breaks, nothing ages", §3).
"""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document as DocxDocument
from openpyxl import load_workbook

from vanphong.accounts.tokens import create_token
from vanphong.documents.models import IncomingDocument, OutgoingDocument
from vanphong.documents.tests.conftest import office  # noqa: F401  (the documents' office fixture)
from vanphong.followup import assignment as followup
from vanphong.followup.models import Recurrence
from vanphong.meetings.tests.conftest import build_committee
from vanphong.testing import system, today

API = "/api/v1"
HUGE = "9223372036854775808"  # 2**63: beyond every integer column
FAR_DATES = ("0001-01-01", "9999-12-31")
PASTED_PAGE = " ".join(f"từ{n}" for n in range(1000))


def bearer(user, organisation) -> dict[str, str]:
    _token, key = create_token(by=None, user=user, organisation=organisation, name="test")
    return {"Authorization": f"Bearer {key}"}


def post_json(client: Client, path: str, data: dict, headers: dict[str, str]):
    return client.post(API + path, json.dumps(data), content_type="application/json", headers=headers)


def test_a_recurring_series_task_is_read_through_the_api(org_a, client):
    from vanphong.followup.tests.conftest import build_followup_office

    followup_office = build_followup_office(org_a)
    source = followup_office.source()
    series = followup.create_task(
        system(org_a),
        source,
        content="Báo cáo tình hình hằng tháng",
        lead_unit=followup_office.board,
        deadline=today() + datetime.timedelta(days=60),
        recurrence=Recurrence.MONTHLY,
        repeat_until=today() + datetime.timedelta(days=200),
    )
    response = client.get(f"{API}/followup/tasks/{series.pk}", headers=bearer(followup_office.chief, org_a))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "series"


@pytest.mark.parametrize("path", ["/documents/incoming", "/documents/outgoing", "/followup/tasks"])
def test_an_offset_beyond_the_databases_integers_is_refused(office, client, path):  # noqa: F811
    response = client.get(API + path, {"offset": HUGE}, headers=bearer(office.chief, office.org))
    assert response.status_code == 422 and "offset" in response.json()["errors"]


@pytest.mark.parametrize("day", FAR_DATES)
def test_far_dates_in_register_filters_get_a_message(office, client_for, client, day):  # noqa: F811
    office.register()
    headers = bearer(office.chief, office.org)
    for path in ("/documents/incoming", "/documents/outgoing"):
        for name in ("date_from", "date_to"):
            response = client.get(API + path, {name: day}, headers=headers)
            assert response.status_code == 422 and name in response.json()["errors"]
    page = client_for(office.chief).get(reverse("documents:incoming_register"), {"date_from": day})
    assert page.status_code == 200 and "31/12/2100" in page.content.decode()


@pytest.mark.parametrize("day", FAR_DATES)
def test_far_dates_in_an_api_registration_get_a_message(office, client, day):  # noqa: F811
    response = post_json(
        client,
        "/documents/incoming",
        {
            "doc_type": "CV",
            "summary": "V/v thử",
            "sender_name": "Ban Tổ chức Trung ương",
            "document_date": today().isoformat(),
            "arrived_at": f"{day}T08:00:00",
        },
        bearer(office.clerk, office.org),
    )
    assert response.status_code == 422 and "arrived_at" in response.json()["errors"]
    assert not IncomingDocument.objects.exists()


@pytest.mark.parametrize("day", FAR_DATES)
def test_far_dates_in_meeting_pages_and_api(org_a, client_for, client, day):
    committee = build_committee(org_a)
    committee.meeting()
    chief = client_for(committee.chief)
    for params in ({"view": "month", "date": day}, {"view": "week", "date": day}):
        assert chief.get(reverse("meetings:list"), params).status_code == 200
    assert chief.get(reverse("meetings:schedule"), {"week": day}).status_code == 200
    statistics = chief.get(reverse("meetings:statistics"), {"start": day, "end": day})
    assert statistics.status_code == 200
    response = client.get(f"{API}/meetings/", {"start": day}, headers=bearer(committee.chief, org_a))
    assert response.status_code == 422 and "start" in response.json()["errors"]
    form = chief.post(
        reverse("meetings:meeting_new"),
        {
            "kind": "standing",
            "body": committee.btv.pk,
            "title": "Hội nghị thử",
            "starts_at": f"{day}T08:00",
            "ends_at": f"{day}T10:00",
            "place": "Phòng họp",
            "chair": committee.members[0].pk,
        },
    )
    assert form.status_code == 200 and "31/12/2100" in form.content.decode()


def test_a_source_dated_far_ahead_is_refused(org_a, client_for):
    from vanphong.followup.tests.conftest import build_followup_office

    followup_office = build_followup_office(org_a)
    page = client_for(followup_office.chief).post(
        reverse("followup:sources"),
        {"kind": "conclusion", "title": "Kết luận thử", "issued_on": "9999-12-31", "secrecy": "0"},
    )
    assert page.status_code == 200 and "31/12/2100" in page.content.decode()


def test_a_pasted_page_as_a_text_filter_is_answered(office, client_for, client):  # noqa: F811
    office.register()
    chief = client_for(office.chief)
    for name, params in (
        ("documents:incoming_register", {"text": PASTED_PAGE, "sender": PASTED_PAGE}),
        ("documents:outgoing_register", {"text": PASTED_PAGE}),
        ("org:people", {"q": PASTED_PAGE}),
        ("search:search", {"q": PASTED_PAGE}),
    ):
        assert chief.get(reverse(name), params).status_code == 200, name
    headers = bearer(office.chief, office.org)
    assert client.get(f"{API}/documents/incoming", {"q": PASTED_PAGE}, headers=headers).status_code == 200
    search = client.get(f"{API}/search", {"q": PASTED_PAGE}, headers=headers)
    assert search.status_code == 422 and "q" in search.json()["errors"]


def test_control_characters_and_lone_surrogates_are_cleaned_and_exports_still_open(
    office,  # noqa: F811
    client,
    client_for,
):
    registered = post_json(
        client,
        "/documents/incoming",
        {
            "doc_type": "CV",
            "summary": "V/v báo cáo\x00 sơ kết\ud800\x07",
            "sender_name": "Ban\x1f Tổ chức Trung ương",
            "document_date": today().isoformat(),
        },
        bearer(office.clerk, office.org),
    )
    assert registered.status_code == 201, registered.content
    doc = IncomingDocument.objects.get()
    assert (doc.summary, doc.sender_name) == ("V/v báo cáo sơ kết", "Ban Tổ chức Trung ương")
    chief = client_for(office.chief)
    form = chief.post(
        reverse("documents:incoming_new"),
        {
            "doc_type": office.doc_type("CV").pk,
            "sender_name": "Văn phòng\x0b Trung ương",
            "sender_reference": "88-CV/VPTW",
            "document_date": today().isoformat(),
            "arrived_at": f"{today():%Y-%m-%d}T07:30",
            "summary": "V/v chuẩn bị\x00 Hội nghị",
            "secrecy": "0",
            "urgency": "0",
            "pages": "1",
            "copies": "1",
        },
    )
    assert form.status_code == 302
    export = chief.get(reverse("documents:incoming_register"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert any(row and "V/v chuẩn bị Hội nghị" in str(row) for row in rows)


def test_a_draft_stored_with_control_characters_still_renders(office, client_for):  # noqa: F811
    draft = office.draft()
    # As stored before inputs were cleaned (PostgreSQL refuses NUL itself, not the other controls).
    OutgoingDocument.objects.filter(pk=draft.pk).update(body="I. TÌNH HÌNH\x01\n\nNội dung\x0c.")
    response = client_for(office.specialist).get(reverse("documents:outgoing_file", args=[draft.pk, "docx"]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(response.content)).paragraphs)
    assert "I. TÌNH HÌNH" in text and "Nội dung" in text


def test_integers_beyond_the_database_get_a_message(office, client, client_for):  # noqa: F811
    headers = bearer(office.chief, office.org)
    doc = office.register()
    routed = post_json(
        client,
        f"/documents/incoming/{doc.pk}/route",
        {"instruction": "Xử lý", "lead_unit": int(HUGE)},
        headers,
    )
    assert routed.status_code == 422 and "lead_unit" in routed.json()["errors"]
    # Even a token without the right to route gets the same clear answer, not a server error.
    draft = post_json(
        client,
        "/documents/outgoing",
        {"doc_type": "CV", "summary": "Thử", "keeping_unit": int(HUGE)},
        bearer(office.specialist, office.org),
    )
    assert draft.status_code == 422 and "keeping_unit" in draft.json()["errors"]
    page = client_for(office.clerk).post(
        reverse("documents:incoming_new"),
        {
            "doc_type": office.doc_type("CV").pk,
            "sender_name": "Văn phòng Trung ương",
            "document_date": today().isoformat(),
            "arrived_at": f"{today():%Y-%m-%d}T07:30",
            "summary": "V/v thử",
            "secrecy": "0",
            "urgency": "0",
            "pages": HUGE,
            "copies": HUGE,
        },
    )
    assert page.status_code == 200 and IncomingDocument.objects.count() == 1


@pytest.mark.parametrize("days", ["99999999999999999999", "100000"])
def test_a_routing_deadline_decades_ahead_is_refused(office, client_for, days):  # noqa: F811
    doc = office.register()
    page = client_for(office.chief).post(
        reverse("documents:incoming_route", args=[doc.pk]),
        {"instruction": "Xử lý", "lead_unit": office.board_unit.pk, "deadline_days": days},
    )
    # Refused with the form as typed and the limit under its field; nothing stored.
    assert page.status_code == 422 and 'id="id_deadline_days_error"' in page.content.decode()
    assert IncomingDocument.objects.get(pk=doc.pk).deadline is None


def test_ids_beyond_the_database_are_not_found(office, client_for, client):  # noqa: F811
    assert client_for(office.chief).get(f"/documents/incoming/{HUGE}/").status_code == 404
    response = client.get(f"{API}/documents/incoming/{HUGE}", headers=bearer(office.chief, office.org))
    assert response.status_code in (404, 422)
