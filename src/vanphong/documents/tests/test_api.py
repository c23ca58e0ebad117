"""The JSON API /api/v1/ with real tokens: authentication, visibility, validation and the full flow."""

import datetime
import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vanphong.accounts.tokens import create_token, revoke_token
from vanphong.core.models import AuditEvent
from vanphong.documents.models import Attachment, IncomingDocument, OutgoingDocument
from vanphong.documents.tests.conftest import build_office, pdf_bytes

API = "/api/v1"


class ApiClient:
    """Django's test client with `Authorization: Bearer <key>` on every request."""

    def __init__(self, key=None, client=None):
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, path, **params):
        return self.client.get(API + path, params, headers=self.headers)

    def post(self, path, data=None):
        return self.client.post(
            API + path, json.dumps(data or {}), content_type="application/json", headers=self.headers
        )

    def upload(self, path, name, content):
        upload = SimpleUploadedFile(name, content, content_type="application/pdf")
        return self.client.post(API + path, {"files": upload}, headers=self.headers)


def api_for(user, organisation):
    _token, key = create_token(by=None, user=user, organisation=organisation, name="test")
    return ApiClient(key)


@pytest.fixture
def api(office):
    return {
        name: api_for(getattr(office, name), office.org)
        for name in ("clerk", "chief", "specialist", "secretary")
    }


REGISTRATION = {
    "doc_type": "CV",
    "summary": "V/v báo cáo sơ kết 6 tháng đầu năm",
    "sender_name": "Ban Tổ chức Trung ương",
    "sender_reference": "125-CV/BTCTW",
    "document_date": "2026-03-02",
    "arrived_at": "2026-03-03T08:30:00",
}


# -- authentication -------------------------------------------------------------------------------


def test_requests_without_a_valid_token_get_401(office):
    for client in (ApiClient(), ApiClient("vp_not-a-real-key"), ApiClient("garbage")):
        response = client.get("/documents/incoming")
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
    response = Client().get(API + "/documents/incoming", headers={"Authorization": "Basic dmFudGh1OngK"})
    assert response.status_code == 401


def test_a_revoked_token_gets_401(office):
    token, key = create_token(by=None, user=office.clerk, organisation=office.org)
    client = ApiClient(key)
    assert client.get("/documents/incoming").status_code == 200
    revoke_token(by=None, token=token)
    assert client.get("/documents/incoming").status_code == 401


def test_a_signed_in_session_is_not_accepted_without_a_token(office, client_for):
    session = client_for(office.clerk)
    assert session.get(reverse("documents:incoming_register")).status_code == 200  # the web page
    response = session.get(API + "/documents/incoming")
    assert response.status_code == 401  # not a redirect to sign-in, and not the session's user
    posted = session.post(
        API + "/documents/incoming", json.dumps(REGISTRATION), content_type="application/json"
    )
    assert posted.status_code == 401
    assert not IncomingDocument.objects.exists()


def test_a_token_with_a_session_cookie_acts_as_the_token_user(office, client_for):
    """The cookie of another signed-in user changes nothing: the token decides."""
    _token, key = create_token(by=None, user=office.specialist, organisation=office.org)
    client = ApiClient(key, client=client_for(office.clerk))
    assert client.post("/documents/incoming", REGISTRATION).status_code == 403
    assert not IncomingDocument.objects.exists()


# -- reading --------------------------------------------------------------------------------------


def test_lists_show_only_what_the_user_may_see_and_count_it_so(office, api):
    office.register(summary="Công văn thường")
    office.register(summary="Công văn mật về nhân sự", secrecy=1, sender_reference="7-CV/BTCTW")
    clerk = api["clerk"].get("/documents/incoming").json()
    assert clerk["count"] == 2
    assert len(clerk["items"]) == 2
    specialist = api["specialist"].get("/documents/incoming").json()
    assert specialist["count"] == 1
    assert [item["summary"] for item in specialist["items"]] == ["Công văn thường"]
    # Filters that would match only the secret one return nothing, with a count of 0.
    secret_only = api["specialist"].get("/documents/incoming", secrecy=1).json()
    assert secret_only == {"count": 0, "limit": 50, "offset": 0, "items": []}
    assert api["specialist"].get("/documents/incoming", q="nhan su").json()["count"] == 0
    assert api["clerk"].get("/documents/incoming", q="nhan su").json()["count"] == 1


def test_list_filters_and_pagination(office, api):
    for number in range(5):
        office.register(sender_reference=f"{number}-CV/BTCTW", summary=f"Công văn số {number}")
    office.register(doc_type=office.doc_type("NQ"), sender_reference="1-NQ/TW", summary="Nghị quyết")
    page = api["clerk"].get("/documents/incoming", limit=2, offset=1).json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (6, 2, 1, 2)
    assert [i["arrival_number"] for i in page["items"]] == [5, 4]
    assert api["clerk"].get("/documents/incoming", doc_type="NQ").json()["count"] == 1
    year = timezone.localdate().year
    assert api["clerk"].get("/documents/incoming", year=year).json()["count"] == 6
    assert api["clerk"].get("/documents/incoming", year=year - 1).json()["count"] == 0
    assert api["clerk"].get("/documents/incoming", status="routed").json()["count"] == 0
    assert api["clerk"].get("/documents/incoming", sender="to chuc trung uong").json()["count"] == 6
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert api["clerk"].get("/documents/incoming", date_from=tomorrow.isoformat()).json()["count"] == 0
    for params, field in (
        ({"doc_type": "XX"}, "doc_type"),
        ({"status": "lost"}, "status"),
        ({"limit": 0}, "limit"),
        ({"limit": 1000}, "limit"),
        ({"date_from": "yesterday"}, "date_from"),
    ):
        response = api["clerk"].get("/documents/incoming", **params)
        assert response.status_code == 422, params
        assert field in response.json()["errors"], params


def test_another_organisations_document_is_not_found_without_a_leak(office, org_b, api):
    other = build_office(org_b, prefix="b.")
    secret_summary = "Phương án nhân sự khóa mới của Tỉnh ủy Lâm Hà"
    incoming = other.register(summary=secret_summary, files=[("nhan-su.pdf", pdf_bytes())])
    outgoing = other.draft(summary=secret_summary)
    attachment = incoming.attachments.get()
    for path in (
        f"/documents/incoming/{incoming.pk}",
        f"/documents/outgoing/{outgoing.pk}",
        f"/documents/attachments/{attachment.pk}",
        "/documents/incoming/999999",
    ):
        response = api["clerk"].get(path)
        assert response.status_code == 404, path
        assert set(response.json()) == {"detail"}
        assert "Lâm Hà" not in response.content.decode() and "nhân sự" not in response.content.decode()
    for path in (f"/documents/incoming/{incoming.pk}/route", f"/documents/outgoing/{outgoing.pk}/submit"):
        assert api["chief"].post(path, {"instruction": "Xử lý", "lead_user": "chanhvp"}).status_code == 404
    assert api["clerk"].get("/documents/incoming").json()["count"] == 0
    assert "Lâm Hà" not in api["clerk"].get("/documents/outgoing").content.decode()


def test_detail_hides_a_secret_document_from_a_user_without_clearance(office, api):
    doc = office.register(secrecy=1)
    assert api["specialist"].get(f"/documents/incoming/{doc.pk}").status_code == 404
    assert api["clerk"].get(f"/documents/incoming/{doc.pk}").json()["secrecy"] == 1


# -- registering ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"summary": "   "}, "summary"),
        ({"document_date": "2099-01-01", "arrived_at": None}, "document_date"),
        ({"arrived_at": "2099-01-01T08:00:00"}, "arrived_at"),
        ({"doc_type": "XYZ"}, "doc_type"),
        ({"sender_name": ""}, "sender_name"),
        ({"secrecy": 3}, "secrecy"),  # beyond the clerk's clearance
        ({"document_date": "02/03/2026"}, "document_date"),
        ({"summary": None}, "summary"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_registrations_get_422_with_field_errors_and_store_nothing(office, api, change, field):
    payload = {**REGISTRATION, **change}
    payload = {key: value for key, value in payload.items() if not (key == "arrived_at" and value is None)}
    response = api["clerk"].post("/documents/incoming", payload)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert field in errors
    assert all(isinstance(message, str) and message for message in errors[field])
    assert not IncomingDocument.objects.exists()
    assert not AuditEvent.objects.filter(action="incoming.registered").exists()


def test_a_duplicate_is_refused_until_allowed(office, api):
    assert api["clerk"].post("/documents/incoming", REGISTRATION).status_code == 201
    again = api["clerk"].post("/documents/incoming", REGISTRATION)
    assert again.status_code == 422
    assert "__all__" in again.json()["errors"]
    assert (
        api["clerk"].post("/documents/incoming", {**REGISTRATION, "allow_duplicate": True}).status_code == 201
    )
    assert IncomingDocument.objects.count() == 2


def test_registering_needs_the_permission(office, api):
    response = api["specialist"].post("/documents/incoming", REGISTRATION)
    assert response.status_code == 403
    assert "detail" in response.json()
    assert not IncomingDocument.objects.exists()


def test_a_malformed_body_is_a_400(office, api):
    response = api["clerk"].client.post(
        API + "/documents/incoming",
        "{not json",
        content_type="application/json",
        headers=api["clerk"].headers,
    )
    assert response.status_code == 400
    assert "detail" in response.json()
    assert not IncomingDocument.objects.exists()


# -- the whole flow -------------------------------------------------------------------------------


def test_full_flow_register_route_draft_submit_approve_issue(office, api):
    registered = api["clerk"].post("/documents/incoming", REGISTRATION)
    assert registered.status_code == 201, registered.content
    incoming = registered.json()
    assert (incoming["arrival_number"], incoming["status"], incoming["doc_type"]) == (1, "registered", "CV")
    assert IncomingDocument.objects.get(pk=incoming["id"]).registered_by == office.clerk

    route = {
        "instruction": "Giao Ban Tổ chức chủ trì, Văn phòng phối hợp",
        "lead_unit": office.board_unit.pk,
        "support_users": ["chuyenvien"],
        "inform_units": [office.office_unit.pk],
        "deadline_days": 5,
    }
    assert api["clerk"].post(f"/documents/incoming/{incoming['id']}/route", route).status_code == 403
    routed = api["chief"].post(f"/documents/incoming/{incoming['id']}/route", route)
    assert routed.status_code == 200, routed.content
    detail = routed.json()
    assert detail["status"] == "routed"
    assert detail["deadline"]
    assert detail["routing"]["routed_by"] == "chanhvp"
    assert sorted((a["role"], a["unit_id"], a["user"]) for a in detail["routing"]["assignments"]) == sorted(
        [
            ("lead", office.board_unit.pk, None),
            ("support", None, "chuyenvien"),
            ("inform", office.office_unit.pk, None),
        ]
    )
    bad_route = api["chief"].post(
        f"/documents/incoming/{incoming['id']}/route", {"instruction": "Xử lý", "lead_user": "khongco"}
    )
    assert bad_route.status_code == 422
    assert "lead_user" in bad_route.json()["errors"]

    draft = {
        "doc_type": "NQ",
        "summary": "Về đẩy mạnh chuyển đổi số trong các cơ quan Đảng",
        "body": "I. TÌNH HÌNH\n\nNội dung.",
        "signer": "bithu",
        "signing_authority": "T/M",
        "signing_body": "Ban Thường vụ",
        "signer_title": "Bí thư",
        "external_recipients": ["Ban Bí thư Trung ương Đảng", "Lưu Văn phòng"],
        "reply_to": incoming["id"],
    }
    created = api["specialist"].post("/documents/outgoing", draft)
    assert created.status_code == 201, created.content
    outgoing = created.json()
    assert (outgoing["status"], outgoing["signer"], outgoing["created_by"]) == (
        "draft",
        "bithu",
        "chuyenvien",
    )
    assert outgoing["signing_body"] == "BAN THƯỜNG VỤ"
    assert outgoing["external_recipients"] == ["Ban Bí thư Trung ương Đảng", "Lưu Văn phòng"]
    pk = outgoing["id"]

    assert api["specialist"].post(f"/documents/outgoing/{pk}/submit").json()["status"] == "submitted"
    refused = api["clerk"].post(f"/documents/outgoing/{pk}/approve")
    assert refused.status_code == 403
    approved = api["secretary"].post(f"/documents/outgoing/{pk}/approve")
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["approved_by"]) == ("approved", "bithu")
    assert api["specialist"].post(f"/documents/outgoing/{pk}/issue").status_code == 403
    issued = api["clerk"].post(f"/documents/outgoing/{pk}/issue")
    assert issued.status_code == 200, issued.content
    assert issued.json()["reference"] == "01-NQ/TU"
    assert issued.json()["number"] == 1
    assert issued.json()["status"] == "issued"

    listing = api["clerk"].get("/documents/outgoing", issued_only=True).json()
    assert [(i["id"], i["reference"]) for i in listing["items"]] == [(pk, "01-NQ/TU")]
    assert api["clerk"].post(f"/documents/outgoing/{pk}/cancel", {"reason": ""}).status_code == 422
    cancelled = api["clerk"].post(f"/documents/outgoing/{pk}/cancel", {"reason": "Ban hành nhầm"})
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["reference"] == "01-NQ/TU"  # the number stays recorded
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"incoming.registered", "incoming.routed", "outgoing.created", "outgoing.issued"} <= actions


def test_bad_drafts_get_422_and_store_nothing(office, api):
    base = {"doc_type": "NQ", "summary": "Về công tác cán bộ", "signer": "bithu"}
    for change, field in (
        ({"summary": ""}, "summary"),
        ({"doc_type": "ZZ"}, "doc_type"),
        ({"signer": "khongco"}, "signer"),
        ({"signing_authority": "X/Y"}, "signing_authority"),
        ({"internal_recipients": ["khong-co"]}, "internal_recipients"),
        ({"secrecy": 1}, "secrecy"),  # the specialist has no clearance
    ):
        response = api["specialist"].post("/documents/outgoing", {**base, **change})
        assert response.status_code == 422, change
        assert field in response.json()["errors"], change
    assert not OutgoingDocument.objects.exists()


# -- attachments ----------------------------------------------------------------------------------


def test_attachments_fake_pdf_is_refused_real_one_stored_and_downloaded(office, api):
    doc = office.register()
    path = f"/documents/incoming/{doc.pk}/attachments"
    fake = api["clerk"].upload(path, "cong-van.pdf", b"%PDF-1.4 this is not really a PDF")
    assert fake.status_code == 422
    assert "files" in fake.json()["errors"]
    assert not Attachment.objects.exists()

    content = pdf_bytes("Công văn 125")
    assert api["specialist"].upload(path, "cong-van.pdf", content).status_code == 403
    added = api["clerk"].upload(path, "cong-van.pdf", content)
    assert added.status_code == 201, added.content
    [attachment] = added.json()
    assert (attachment["name"], attachment["size"]) == ("cong-van.pdf", len(content))

    detail = api["specialist"].get(f"/documents/incoming/{doc.pk}").json()
    assert [a["id"] for a in detail["attachments"]] == [attachment["id"]]
    url = detail["attachments"][0]["download_url"]
    assert url.endswith(f"{API}/documents/attachments/{attachment['id']}")
    download = api["specialist"].client.get(url, headers=api["specialist"].headers)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content == content
    assert hashlib.sha256(download.content).hexdigest() == attachment["sha256"]


def test_opening_a_secret_file_is_audited(office, api):
    content = pdf_bytes("Mật")
    doc = office.register(secrecy=1, files=[("mat.pdf", content)])
    attachment = doc.attachments.get()
    assert api["specialist"].get(f"/documents/attachments/{attachment.pk}").status_code == 404
    response = api["clerk"].get(f"/documents/attachments/{attachment.pk}")
    assert response.content == content
    event = AuditEvent.objects.get(action="attachment.opened")
    assert event.actor == office.clerk


def test_an_upload_without_a_file_is_a_422(office, api):
    doc = office.register()
    response = api["clerk"].client.post(
        f"{API}/documents/incoming/{doc.pk}/attachments", {}, headers=api["clerk"].headers
    )
    assert response.status_code == 422
    assert "files" in response.json()["errors"]


# -- schema ---------------------------------------------------------------------------------------


def _resolve_refs(node, schema):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref is not None:
            assert ref.startswith("#/"), ref
            target = schema
            for part in ref[2:].split("/"):
                target = target[part]
        for value in node.values():
            _resolve_refs(value, schema)
    elif isinstance(node, list):
        for value in node:
            _resolve_refs(value, schema)


def test_openapi_schema_is_served_without_auth_and_is_openapi_3(db):
    response = Client().get(API + "/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"] == {
        "title": "Vanphong API",
        "version": "1",
        "description": schema["info"]["description"],
    }
    paths = schema["paths"]
    for path, methods in {
        "/api/v1/documents/incoming": {"get", "post"},
        "/api/v1/documents/incoming/{pk}": {"get"},
        "/api/v1/documents/incoming/{pk}/route": {"post"},
        "/api/v1/documents/incoming/{pk}/attachments": {"post"},
        "/api/v1/documents/outgoing": {"get", "post"},
        "/api/v1/documents/outgoing/{pk}": {"get"},
        "/api/v1/documents/outgoing/{pk}/submit": {"post"},
        "/api/v1/documents/outgoing/{pk}/approve": {"post"},
        "/api/v1/documents/outgoing/{pk}/issue": {"post"},
        "/api/v1/documents/outgoing/{pk}/cancel": {"post"},
        "/api/v1/documents/attachments/{pk}": {"get"},
    }.items():
        assert methods <= set(paths[path]), path
    for methods in paths.values():
        for operation in methods.values():
            assert operation["responses"], operation["operationId"]
            assert operation["security"], operation["operationId"]
    [scheme] = schema["components"]["securitySchemes"].values()
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    _resolve_refs(schema, schema)
    # No interactive documentation page (it would load from a CDN).
    assert Client().get(API + "/docs").status_code == 404
