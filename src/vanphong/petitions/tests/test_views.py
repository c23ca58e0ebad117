"""The pages: who sees what, forms, exports."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from vanphong.core.models import AuditEvent
from vanphong.petitions.identities import Identity
from vanphong.petitions.models import Petition, PetitionKind, State
from vanphong.petitions.reception import record_visit, save_session
from vanphong.petitions.tests.conftest import DENOUNCER, DENOUNCER_PHONE

D = datetime.date
pytestmark = pytest.mark.django_db

PAGES = ["petitions:petitions", "petitions:sessions", "petitions:reception_register", "petitions:report"]


def xlsx_text(response) -> str:
    workbook = load_workbook(io.BytesIO(response.content))
    return " ".join(
        str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row if cell
    )


def test_reception_pages_open_for_the_reception_role_only(reception, client_for):
    petition = reception.petition()
    officer, clerk = client_for(reception.officer), client_for(reception.clerk)
    for name in PAGES:
        assert officer.get(reverse(name)).status_code == 200, name
        assert clerk.get(reverse(name)).status_code == 403, name
    assert officer.get(reverse("petitions:petition", args=[petition.pk])).status_code == 200
    assert clerk.get(reverse("petitions:petition", args=[petition.pk])).status_code == 403
    assert reverse("petitions:petitions") not in clerk.get(reverse("home")).content.decode()
    nav = officer.get(reverse("home")).content.decode()
    assert reverse("petitions:petitions") in nav


def test_register_a_petition_with_the_form_and_bad_input_keeps_nothing(reception, client_for):
    client = client_for(reception.officer)
    data = {
        "received_on": "2026-03-02",
        "channel": "post",
        "sender_kind": "person",
        "name": "",
        "delegation_size": "1",
        "kind": "complaint",
        "subject": "land",
        "summary": "Khiếu nại việc thu hồi đất",
        "competence": "own",
    }
    response = client.post(reverse("petitions:petition_new"), data)
    assert response.status_code == 200
    assert "Điều 8" in response.content.decode()
    assert not Petition.objects.exists()
    data["name"] = "Nguyễn Văn Hùng"
    response = client.post(reverse("petitions:petition_new"), data)
    petition = Petition.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "petitions:petition", args=[petition.pk]
    )


def test_actions_through_the_page(reception, client_for):
    petition = reception.denunciation(is_complex=True)
    chief = client_for(reception.chief)
    url = reverse("petitions:petition_action", args=[petition.pk, "accept"])
    chief.post(url, {"on": "2026-03-03", "is_complex": "on"})
    chief.post(
        reverse("petitions:petition_action", args=[petition.pk, "assign"]), {"lead": reception.officer2.pk}
    )
    response = chief.post(
        reverse("petitions:petition_action", args=[petition.pk, "extend"]),
        {"decision_reference": "9-QĐ/TU", "decided_on": "2026-03-20", "days": "45", "reason": "Phức tạp"},
        follow=True,
    )
    assert "Luật Tố cáo 2018, Điều 30" in response.content.decode()
    petition.refresh_from_db()
    assert petition.state == State.VERIFYING and not petition.extensions.exists()
    assert chief.post(reverse("petitions:petition_action", args=[petition.pk, "nonsense"])).status_code == 404


def test_denouncer_hidden_from_an_officer_who_is_not_named_shown_to_the_chief_and_audited(
    reception, client_for
):
    petition = reception.denunciation()
    url = reverse("petitions:petition", args=[petition.pk])
    page = client_for(reception.officer2).get(url).content.decode()
    assert DENOUNCER not in page and DENOUNCER_PHONE not in page
    assert "Tố cáo cán bộ địa chính" in page
    before = AuditEvent.objects.filter(action="petition.identity_viewed").count()
    page = client_for(reception.chief).get(url).content.decode()
    assert DENOUNCER in page and DENOUNCER_PHONE in page
    assert AuditEvent.objects.filter(action="petition.identity_viewed").count() == before + 1
    for client in (client_for(reception.chief), client_for(reception.officer2)):
        listing = client.get(reverse("petitions:petitions")).content.decode()
        assert DENOUNCER not in listing


def test_exports_never_include_a_denouncer_even_for_the_chief(reception, client_for):
    officer = reception.actor(reception.officer)
    visit = record_visit(
        officer,
        visited_on=D(2026, 3, 10),
        content_kind=PetitionKind.DENUNCIATION,
        identity=Identity.cleaned(name=DENOUNCER, phone=DENOUNCER_PHONE),
        content="Tố cáo cán bộ xã",
    )
    record_visit(
        officer,
        visited_on=D(2026, 3, 10),
        content_kind=PetitionKind.PROPOSAL,
        identity=Identity.cleaned(name="Phan Văn Khải", address="Thôn 1"),
        content="Kiến nghị làm đường",
        delegation_size=12,
    )
    reception.denunciation(visit=visit, received_on=D(2026, 3, 10))
    reception.petition()
    chief = client_for(reception.chief)
    period = {"date_from": "2026-03-01", "date_to": "2026-03-31"}
    register = chief.get(reverse("petitions:reception_register"), {**period, "export": "xlsx"})
    text = xlsx_text(register)
    assert "Phan Văn Khải" in text and "Kiến nghị làm đường" in text
    assert DENOUNCER not in text and DENOUNCER_PHONE not in text
    petitions = xlsx_text(chief.get(reverse("petitions:petitions"), {"export": "xlsx"}))
    assert "Nguyễn Văn Hùng" in petitions and DENOUNCER not in petitions
    printed = chief.get(
        reverse("petitions:reception_register"), {**period, "export": "print"}
    ).content.decode()
    assert "Phan Văn Khải" in printed and DENOUNCER not in printed
    report = chief.get(reverse("petitions:report"), {**period, "export": "xlsx"})
    report_text = xlsx_text(report)
    assert DENOUNCER not in report_text and "Nguyễn Văn Hùng" not in report_text


def test_report_counts_and_monthly_minimum(reception, client_for):
    officer = reception.actor(reception.officer)
    save_session(officer, held_on=D(2026, 3, 10), leader=reception.head_person)
    save_session(officer, held_on=D(2026, 3, 12), kind="extra", leader=reception.head_person)
    reception.petition()
    reception.petition(competence="state", summary="Đề nghị cấp giấy chứng nhận quyền sử dụng đất")
    response = client_for(reception.chief).get(
        reverse("petitions:report"), {"date_from": "2026-03-01", "date_to": "2026-04-30"}
    )
    report = response.context["report"]
    assert (report.received, report.in_competence, report.out_of_competence) == (2, 1, 1)
    assert [(m.head_days, m.extra_days, m.met) for m in report.months] == [(1, 1, True), (0, 0, False)]
    sessions = client_for(reception.officer).get(reverse("petitions:sessions"), {"year": "2026"})
    # From the first recorded session on: March 2026 (met), then the months to now.
    months = sessions.context["months"]
    assert (months[0].month, months[0].met) == (D(2026, 3, 1), True)
    assert (
        client_for(reception.officer).get(reverse("petitions:sessions"), {"year": "99999"}).status_code == 200
    )


def test_settings_for_the_office_chief(reception, client_for):
    assert client_for(reception.officer).get(reverse("petitions:settings")).status_code == 403
    chief = client_for(reception.chief)
    page = chief.get(reverse("petitions:settings")).content.decode()
    assert "Luật Khiếu nại 2011, Điều 27" in page
    chief.post(reverse("petitions:settings"), {"open_day_count": "working"})
    assert reception.org.petition_settings.open_day_count == "working"
    assert AuditEvent.objects.filter(action="petition_settings.updated").exists()


def test_rules_are_edited_in_the_administration_and_never_deleted(org_a, client_for):
    from vanphong.accounts.services import create_user
    from vanphong.petitions.models import DeadlineRule

    admin = create_user(
        by=None,
        username="quantri",
        password="x",
        organisation=org_a,
        roles=["administrator"],
        check_password=False,
        superuser=True,
    )
    client = client_for(admin)
    assert client.get(reverse("admin:petitions_deadlinerule_changelist")).status_code == 200
    rule = DeadlineRule.objects.earliest("effective_from")
    assert client.get(reverse("admin:petitions_deadlinerule_delete", args=[rule.pk])).status_code == 403
