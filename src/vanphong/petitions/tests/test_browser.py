"""Citizen reception in a real Chromium: a visit becomes a petition that is accepted, extended once and
resolved; a denouncer stays invisible to a clerk in the pages, the API, search and the exports."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from vanphong.accounts.tokens import create_token
from vanphong.petitions.identities import Identity
from vanphong.petitions.intake import transfer
from vanphong.petitions.models import Competence, Petition, PetitionKind, State, Subject
from vanphong.petitions.reception import record_visit
from vanphong.petitions.tests.conftest import DENOUNCER, DENOUNCER_PHONE
from vanphong.testing import TEST_PASSWORD, shot, sign_in

pytestmark = pytest.mark.browser


def act(page, petition: Petition, action: str) -> None:
    """Open the action's box on the petition page, if it is closed."""
    if not page.locator(f"form[action$='/{petition.pk}/do/{action}/']").is_visible():
        page.click(f"details.action-{action} > summary")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_visit_becomes_a_petition_accepted_extended_once_and_resolved(page, live_server, reception):
    base = live_server.url
    today = timezone.localdate()

    # The reception officer records the head's session and a citizen's visit.
    sign_in(page, base, "tiepdan", TEST_PASSWORD)
    page.goto(f"{base}/petitions/sessions/new/")
    page.select_option("#id_leader", str(reception.head_person.pk))
    page.fill("#id_place", "Trụ sở Tiếp công dân tỉnh")
    page.click("form button.primary")
    page.wait_for_url("**/petitions/sessions/*/")
    page.click("text=Ghi lượt tiếp")
    page.wait_for_url("**/petitions/visits/new/*")
    page.select_option("#id_content_kind", PetitionKind.DENUNCIATION)
    page.fill("#id_name", DENOUNCER)
    page.fill("#id_phone", DENOUNCER_PHONE)
    page.fill("#id_address", "Số 5 đường Lê Lợi")
    page.fill("#id_content", "Tố cáo cán bộ địa chính xã nhận tiền khi làm thủ tục cấp giấy chứng nhận")
    page.fill("#id_documents_handed_in", "Đơn tố cáo (2 trang), ảnh chụp tin nhắn")
    page.fill("#id_answer", "Tiếp nhận đơn, giao Văn phòng đề xuất xử lý; giữ bí mật người tố cáo.")
    page.click("form button.primary")
    page.wait_for_url("**/petitions/visits/*/")
    assert DENOUNCER in page.content()  # who recorded it sees whom they received

    # ... and registers the petition handed in at the visit: the identity comes from the visit.
    page.click("text=Vào sổ đơn từ lượt tiếp này")
    page.wait_for_url("**/petitions/new/?visit=*")
    assert page.locator("#id_name").count() == 0
    page.select_option("#id_subject", Subject.CADRES)
    page.fill("#id_concerns", "Ông Lê Văn Cường, cán bộ địa chính xã")
    page.check("#id_is_complex")
    shot(page, "petition-form")
    page.click("form button.primary")
    page.wait_for_url("**/petitions/*/")
    petition = Petition.objects.get()
    assert petition.visit is not None and petition.kind == PetitionKind.DENUNCIATION
    assert "Luật Tố cáo 2018, Điều 24" in page.content()

    # It is within competence: the officer accepts it (thụ lý); 30 days from today (art. 30).
    act(page, petition, "accept")
    page.click(f"form[action$='/{petition.pk}/do/accept/'] button.primary")
    page.wait_for_load_state()
    petition.refresh_from_db()
    assert petition.state == State.ACCEPTED
    assert petition.resolution_deadline == today + datetime.timedelta(days=30)

    # The office chief names the handler and records one extension decision.
    sign_in(page, base, "chanhvp", TEST_PASSWORD)
    page.goto(f"{base}/petitions/{petition.pk}/")
    act(page, petition, "assign")
    page.select_option("form[action$='/do/assign/'] #id_lead", str(reception.officer.pk))
    page.click("form[action$='/do/assign/'] button.primary")
    page.wait_for_load_state()
    act(page, petition, "extend")
    page.fill("#id_decision_reference", "27-QĐ/TU")
    page.fill("#id_days", "30")
    page.fill("#id_reason", "Phải xác minh tại nhiều cơ quan")
    page.click("form[action$='/do/extend/'] button.primary")
    page.wait_for_load_state()
    petition.refresh_from_db()
    assert petition.extensions.count() == 1
    assert petition.resolution_deadline == today + datetime.timedelta(days=60)
    assert "27-QĐ/TU" in page.content()
    shot(page, "petition-extended")

    # A second extension is refused: the case is complex, not especially complex (art. 30).
    act(page, petition, "extend")
    page.fill("#id_decision_reference", "28-QĐ/TU")
    page.fill("#id_days", "30")
    page.fill("#id_reason", "Chưa xác minh xong")
    page.click("form[action$='/do/extend/'] button.primary")
    page.wait_for_load_state()
    assert "Luật Tố cáo 2018, Điều 30" in page.locator(".messages").inner_text()
    assert petition.extensions.count() == 1

    # The named handler concludes and answers.
    sign_in(page, base, "tiepdan", TEST_PASSWORD)
    page.goto(f"{base}/petitions/{petition.pk}/")
    act(page, petition, "conclude")
    page.fill("#id_conclusion", "Tố cáo đúng một phần; đề nghị xử lý kỷ luật cán bộ vi phạm.")
    page.click("form[action$='/do/conclude/'] button.primary")
    page.wait_for_load_state()
    act(page, petition, "answer")
    page.fill("#id_text", "Đã thông báo kết quả giải quyết tố cáo cho người tố cáo.")
    page.click("form[action$='/do/answer/'] button.primary")
    page.wait_for_load_state()
    petition.refresh_from_db()
    assert petition.state == State.ANSWERED and not petition.resolved_late
    shot(page, "petition-answered")
    for path, name in (
        ("/petitions/sessions/", "sessions"),
        ("/petitions/register/", "reception-register"),
        ("/petitions/", "petitions"),
        ("/petitions/reports/", "report"),
        (f"/petitions/visits/{petition.visit_id}/", "visit"),
    ):
        page.goto(f"{base}{path}")
        shot(page, f"petitions-{name}")
    steps = list(petition.steps.values_list("action", flat=True))
    assert steps == ["register", "accept", "assign", "extend", "conclude", "answer"]


def _xlsx_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content))
    return " ".join(
        str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row if c
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_denouncers_identity_is_invisible_to_a_clerk(page, live_server, reception):
    base = live_server.url
    officer = reception.actor(reception.officer)
    today = timezone.localdate()
    visit = record_visit(
        officer,
        visited_on=today,
        content_kind=PetitionKind.DENUNCIATION,
        identity=Identity.cleaned(name=DENOUNCER, phone=DENOUNCER_PHONE),
        content="Tố cáo cán bộ địa chính xã nhận tiền",
    )
    kept = reception.denunciation(visit=visit, received_on=today, identity=Identity())
    # Another denunciation belongs to the Inspection Committee: its transfer letter is an ordinary
    # outgoing draft, which the clerk sees in the registers and in search.
    moved = reception.denunciation(received_on=today, competence=Competence.INSPECTION)
    transfer(officer, moved, to_body="Ủy ban Kiểm tra Tỉnh ủy")
    letter = moved.transfer_letter

    sign_in(page, base, "vanthu", TEST_PASSWORD)
    # Pages: no reception menu; the petition pages are refused.
    page.goto(f"{base}/")
    assert page.locator("nav.sidebar a[href='/petitions/']").count() == 0
    for path in (
        "/petitions/",
        f"/petitions/{kept.pk}/",
        f"/petitions/visits/{visit.pk}/",
        "/petitions/register/",
    ):
        response = page.goto(f"{base}{path}")
        assert response.status == 403, path
        assert DENOUNCER not in page.content()
    # The transfer letter: visible to the clerk, naming the body and not the denouncer.
    page.goto(f"{base}/documents/outgoing/{letter.pk}/")
    assert "Ủy ban Kiểm tra Tỉnh ủy" in page.content()
    assert DENOUNCER not in page.content() and DENOUNCER_PHONE not in page.content()
    # Search: the name finds nothing; the letter is found without the name.
    page.goto(f"{base}/search/?q={DENOUNCER}")
    shot(page, "clerk-search-denouncer")
    assert page.locator("ol.results li").count() == 0
    assert DENOUNCER_PHONE not in page.content()
    page.goto(f"{base}/search/?q=chuyen don to cao")
    assert page.locator(f"a[href^='/documents/outgoing/{letter.pk}/']").count() >= 1
    assert DENOUNCER not in page.locator("main").inner_text()
    # Exports: the petition registers are refused; the documents' registers do not hold petitions.
    assert page.request.get(f"{base}/petitions/?export=xlsx").status == 403
    assert page.request.get(f"{base}/petitions/register/?export=xlsx").status == 403
    assert page.request.get(f"{base}/petitions/reports/?export=xlsx").status == 403
    drafts = page.request.get(f"{base}/documents/outgoing/?export=xlsx")
    assert drafts.status == 200 and DENOUNCER not in _xlsx_text(drafts.body())
    incoming = page.request.get(f"{base}/documents/incoming/?export=xlsx")
    assert DENOUNCER not in _xlsx_text(incoming.body()) and "Tố cáo" not in _xlsx_text(incoming.body())

    # API: with the clerk's token, petitions are refused and search finds no denouncer.
    _token, key = create_token(by=None, user=reception.clerk, organisation=reception.org, name="test")
    headers = {"Authorization": f"Bearer {key}"}
    assert page.request.get(f"{base}/api/v1/petitions/", headers=headers).status == 403
    assert page.request.get(f"{base}/api/v1/petitions/{kept.pk}", headers=headers).status == 403
    found = page.request.get(f"{base}/api/v1/search", params={"q": DENOUNCER}, headers=headers)
    assert found.status == 200 and found.json()["count"] == 0
    letters = page.request.get(f"{base}/api/v1/search", params={"q": "chuyen don"}, headers=headers)
    assert letters.json()["count"] >= 1 and DENOUNCER not in letters.text()

    # Even the exports of those who may see petitions never carry a denouncer.
    sign_in(page, base, "chanhvp", TEST_PASSWORD)
    for path in (
        "/petitions/?export=xlsx",
        "/petitions/register/?export=xlsx",
        "/petitions/reports/?export=xlsx",
    ):
        response = page.request.get(f"{base}{path}")
        assert response.status == 200, path
        assert DENOUNCER not in _xlsx_text(response.body()), path
    page.goto(f"{base}/petitions/{kept.pk}/")
    assert DENOUNCER in page.content()  # the office chief does see the denouncer, and it is audited
    shot(page, "chief-sees-denouncer")

    # A reception officer who is not named on the case does not.
    sign_in(page, base, "tiepdan2", TEST_PASSWORD)
    page.goto(f"{base}/petitions/{kept.pk}/")
    assert DENOUNCER not in page.content() and DENOUNCER_PHONE not in page.content()
    assert page.locator(".protected").is_visible()
    shot(page, "officer-denouncer-protected")
