"""The numbering rules: numbers never repeat in their register, follow the order of issue, and are
written the way the rule in force writes them (HD 36-HD/VPTW or ND 30/2020/NĐ-CP)."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from docx import Document as DocxDocument
from openpyxl import load_workbook

from vanphong.accounts.tokens import create_token
from vanphong.core.models import AuditEvent
from vanphong.documents import importing, numbering, outgoing
from vanphong.documents.models import (
    DocumentSettings,
    IncomingDocument,
    NumberingRule,
    NumberingScheme,
    OutgoingDocument,
)
from vanphong.documents.rendering import render_docx
from vanphong.documents.tests.test_api import ApiClient
from vanphong.org import services as org_services
from vanphong.org.models import Term
from vanphong.search import services as search
from vanphong.testing import clock_start, make_organisation, make_term, make_user, system, today


def use_state_rule(office):
    office.follow_state_rule_since(datetime.date(2020, 1, 1))


def docx_text(doc) -> str:
    document = DocxDocument(io.BytesIO(render_docx(outgoing.render_input(doc))))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([*cells, *(p.text for p in document.paragraphs)])


# -- how the number is written --------------------------------------------------------------------


def test_the_party_rule_writes_the_number_with_a_hyphen_and_no_colon(office):
    draft = office.draft()
    assert outgoing.render_input(draft).number_line == "Số       -NQ/TU"
    doc = office.issued()
    assert doc.reference == "01-NQ/TU"
    assert "Số 01-NQ/TU" in docx_text(doc)


def test_the_state_rule_writes_the_number_the_nd30_way_on_the_document(office):
    use_state_rule(office)
    draft = office.draft()
    assert outgoing.render_input(draft).number_line == "Số:       /NQ-TU"
    assert "Số:       /NQ-TU" in docx_text(draft)
    doc = office.issued()
    assert doc.reference == "01/NQ-TU"
    assert outgoing.render_input(doc).number_line == "Số: 01/NQ-TU"
    assert "Số: 01/NQ-TU" in docx_text(doc)
    assert outgoing.file_name(doc) == "01-NQ-TU"


def test_the_state_rule_reference_is_the_same_in_pages_registers_search_and_deliveries(office, client_for):
    use_state_rule(office)
    commune = make_organisation(
        "xa-an-binh", "ĐU", level="commune", parent=office.org, name="Đảng ủy xã An Bình"
    )
    doc = office.issued(internal_recipients=[commune])
    client = client_for(office.clerk)
    assert "Số: 01/NQ-TU" in client.get(reverse("documents:outgoing", args=[doc.pk])).content.decode()
    register = reverse("documents:outgoing_register")
    assert "01/NQ-TU" in client.get(register + "?export=print").content.decode()
    sheet = load_workbook(
        io.BytesIO(client.get(register + f"?year={today().year}&export=xlsx").content)
    ).active
    assert "01/NQ-TU" in [row[0] for row in sheet.iter_rows(values_only=True)]
    found = search.search(office.actor(office.clerk), "Số: 01/NQ-TU").results
    titles = [re.sub("</?mark>", "", result.title) for result in found]
    assert [title.split(" · ")[0] for title in titles] == ["01/NQ-TU"]
    assert IncomingDocument.objects.get(organisation=commune).sender_reference == "01/NQ-TU"


def test_a_state_rule_register_imports_with_its_numbers_written_the_nd30_way(office):
    use_state_rule(office)
    year = today().year
    rows = [
        ["Số, ký hiệu", "Ngày ban hành", "Tên loại và trích yếu nội dung"],
        ["Số: 03/NQ-TU", f"02/01/{year}", "Nghị quyết về công tác cán bộ"],
        ["04-CV/TU", f"03/01/{year}", "Công văn: V/v góp ý dự thảo"],  # written the Party way in the file
    ]
    data = "\n".join(";".join(row) for row in rows).encode("utf-8")
    report = importing.import_file(office.actor(office.chief), importing.OUTGOING, "so-di.csv", data)
    assert report.problems == [] and report.imported == 2
    assert sorted(OutgoingDocument.objects.values_list("reference", flat=True)) == ["03/NQ-TU", "04/CV-TU"]
    assert office.issued().reference == "05/NQ-TU"


# -- the issue date is the day of issue -----------------------------------------------------------


def refused_date(office, doc, issued_on) -> str:
    with pytest.raises(ValidationError) as info:
        outgoing.issue(office.actor(office.clerk), doc, issued_on=issued_on)
    assert OutgoingDocument.objects.get(pk=doc.pk).number is None
    return " ".join(info.value.message_dict["issued_on"])


def test_an_issue_date_before_the_last_one_in_its_sequence_is_refused(office):
    office.issued()  # 01-NQ/TU, today
    week_ago = today() - datetime.timedelta(days=7)
    doc = office.approved()
    assert week_ago.strftime("%d/%m/%Y") in refused_date(office, doc, week_ago)
    # Another type is another sequence under the Party rule; the refused attempt left no gap.
    assert office.issued(doc_type=office.doc_type("CT"), issued_on=week_ago).reference == "01-CT/TU"
    assert outgoing.issue(office.actor(office.clerk), doc).reference == "02-NQ/TU"


def test_an_issue_date_in_an_earlier_term_is_refused_under_the_party_rule(office):
    doc = office.approved()
    assert "Khóa XVII" in refused_date(office, doc, datetime.date(2025, 10, 14))  # the last day of Khóa XVI
    assert outgoing.issue(office.actor(office.clerk), doc).reference == "01-NQ/TU"


def test_an_issue_date_in_an_earlier_year_is_refused_under_the_state_rule(office):
    use_state_rule(office)
    doc = office.approved()
    refused_date(office, doc, datetime.date(today().year - 1, 12, 31))
    refused_date(office, doc, datetime.date(1, 1, 1))
    assert outgoing.issue(office.actor(office.clerk), doc).reference == "01/NQ-TU"


def test_the_api_answers_a_refused_issue_date_with_422(office):
    use_state_rule(office)
    doc = office.approved()
    client = ApiClient(create_token(by=None, user=office.clerk, organisation=office.org, name="test")[1])
    for day in ("0001-01-01", "9999-12-31", (today() - datetime.timedelta(days=400)).isoformat()):
        response = client.post(f"/documents/outgoing/{doc.pk}/issue", {"issued_on": day})
        assert response.status_code == 422, (day, response.content)
    assert client.post(f"/documents/outgoing/{doc.pk}/issue").json()["reference"] == "01/NQ-TU"


# -- a number never repeats in its register -------------------------------------------------------


def new_year() -> datetime.date:
    return datetime.date(today().year + 1, 1, 1)


def test_the_database_refuses_a_number_twice_in_one_register_whatever_its_sequence(office):
    first = office.issued()  # 01-NQ/TU, in this year's register and the current term
    twin = OutgoingDocument.objects.get(pk=first.pk)
    twin.pk, twin._state.adding = None, True
    twin.number_key, twin.reference = f"out:year:{today().year}:open", "01/NQ-TU"  # another rule's sequence
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_the_admin_cannot_switch_the_rule_in_the_middle_of_a_term(office, client_for):
    office.issued()
    office.issued(doc_type=office.doc_type("CV"))
    root = make_user(office.org, "root", roles=["administrator"], superuser=True)
    DocumentSettings.objects.get_or_create(organisation=office.org)
    client_for(root).post(
        reverse("admin:documents_documentsettings_change", args=[office.org.pk]),
        {
            "organisation": office.org.pk,
            "numbering_scheme": NumberingScheme.STATE,
            "due_soon_working_days": 2,
            "default_handling_days": 10,
        },
    )
    assert office.issued().reference == "02-NQ/TU"
    assert office.issued(doc_type=office.doc_type("CV")).reference == "02-CV/TU"


@pytest.mark.parametrize(
    ("scheme", "day"),
    [
        (NumberingScheme.STATE, lambda: today()),  # not ahead
        (NumberingScheme.STATE, lambda: datetime.date(today().year, 1, 1)),  # in the past
        (NumberingScheme.STATE, lambda: new_year() + datetime.timedelta(days=1)),  # not a 1 January
        (NumberingScheme.STATE, lambda: datetime.date(today().year + 1, 7, 1)),  # the middle of a year
        (NumberingScheme.PARTY, lambda: new_year()),  # the Party rule is already in force
    ],
)
def test_a_rule_change_asked_for_another_day_than_a_boundary_ahead_is_refused(office, scheme, day):
    with pytest.raises(ValidationError) as info:
        numbering.change_numbering_rule(office.actor(office.chief), scheme=scheme, effective_from=day())
    assert info.value.message_dict
    assert not NumberingRule.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="numbering_rule").exists()


def test_the_party_rule_comes_back_only_at_the_start_of_a_term(office):
    chief = office.actor(office.chief)
    numbering.change_numbering_rule(chief, scheme=NumberingScheme.STATE, effective_from=new_year())
    next_congress = datetime.date(today().year + 3, 10, 14)
    with pytest.raises(ValidationError) as info:
        numbering.change_numbering_rule(chief, scheme=NumberingScheme.PARTY, effective_from=next_congress)
    assert "effective_from" in info.value.message_dict  # no term starts then
    current = Term.objects.get(organisation=office.org, end_date__isnull=True)
    current.end_date = next_congress
    org_services.save_term(system(office.org), current)
    make_term(office.org, "Khóa XVIII", next_congress + datetime.timedelta(days=1))
    numbering.change_numbering_rule(
        chief, scheme=NumberingScheme.PARTY, effective_from=next_congress + datetime.timedelta(days=1)
    )
    assert list(NumberingRule.objects.values_list("scheme", flat=True)) == ["party", "state"]
    assert AuditEvent.objects.filter(action="numbering_rule.created").count() == 2


def test_a_planned_rule_takes_over_on_its_day_and_no_number_repeats(office, time_machine):
    office.issued()
    office.issued(doc_type=office.doc_type("CV"))
    numbering.change_numbering_rule(
        office.actor(office.chief), scheme=NumberingScheme.STATE, effective_from=new_year()
    )
    assert office.issued().reference == "02-NQ/TU"  # until then, the rule in force goes on
    time_machine.move_to(datetime.datetime.combine(new_year(), datetime.time(9), tzinfo=clock_start().tzinfo))
    assert office.issued().reference == "01/NQ-TU"
    assert office.issued(doc_type=office.doc_type("CV")).reference == "02/CV-TU"
    numbers = list(OutgoingDocument.objects.values_list("issue_year", "term", "doc_type", "number"))
    assert len(numbers) == len(set(numbers)) == 5


def test_a_planned_change_can_be_withdrawn_before_it_takes_effect_but_a_rule_in_force_stays(office):
    chief = office.actor(office.chief)
    planned = numbering.change_numbering_rule(chief, scheme=NumberingScheme.STATE, effective_from=new_year())
    numbering.withdraw_numbering_change(chief, planned)
    assert not NumberingRule.objects.exists()
    office.follow_state_rule_since(datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError):
        numbering.withdraw_numbering_change(chief, NumberingRule.objects.get())
    assert NumberingRule.objects.count() == 1
    with pytest.raises(PermissionDenied):
        numbering.change_numbering_rule(
            office.actor(office.clerk), scheme=NumberingScheme.PARTY, effective_from=new_year()
        )


def test_the_admin_plans_a_rule_change_through_the_same_checks(office, client_for):
    client = client_for(make_user(office.org, "root", roles=["administrator"], superuser=True))
    add = reverse("admin:documents_numberingrule_add")
    midyear = datetime.date(today().year + 1, 7, 1)
    for day in (midyear, today()):
        fields = {
            "organisation": office.org.pk,
            "scheme": "state",
            "effective_from": day.strftime("%d/%m/%Y"),
        }
        response = client.post(add, fields)
        assert response.status_code == 200 and "errornote" in response.content.decode()
    assert not NumberingRule.objects.exists()
    fields = {
        "organisation": office.org.pk,
        "scheme": "state",
        "effective_from": new_year().strftime("%d/%m/%Y"),
    }
    assert client.post(add, fields).status_code == 302
    rule = NumberingRule.objects.get()
    assert (rule.scheme, rule.effective_from) == ("state", new_year())
    assert client.get(reverse("admin:documents_numberingrule_changelist")).status_code == 200
    settings_list = client.get(reverse("admin:documents_documentsettings_changelist")).content.decode()
    assert str(NumberingScheme.PARTY.label) in settings_list  # still the rule in force today
    assert AuditEvent.objects.filter(action="numbering_rule.created", actor=rule.created_by).exists()
    change = reverse("admin:documents_numberingrule_change", args=[rule.pk])
    assert client.post(change, {**fields, "scheme": "party"}).status_code == 403  # never edited
    delete = reverse("admin:documents_numberingrule_delete", args=[rule.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not NumberingRule.objects.exists()
    assert AuditEvent.objects.filter(action="numbering_rule.withdrawn").exists()


def test_a_number_that_numbers_mixed_before_would_repeat_is_refused_with_a_message(office, client_for):
    office.issued()  # 01-NQ/TU under the Party rule
    # As migration 0006 leaves an organisation whose undated setting said State: the rule since always.
    office.follow_state_rule_since(datetime.date.min)
    doc = office.approved()
    with pytest.raises(ValidationError):
        outgoing.issue(office.actor(office.clerk), doc)  # 01/NQ-TU would repeat 01-NQ/TU this year
    doc.refresh_from_db()
    assert doc.number is None and doc.status == "approved"
    response = client_for(office.clerk).post(reverse("documents:outgoing_action", args=[doc.pk, "issue"]))
    assert response.status_code == 302
    # The refused attempts gave their number back; the sequence goes on past the number taken before.
    assert office.issued(doc_type=office.doc_type("CV")).reference == "01/CV-TU"
    assert outgoing.issue(office.actor(office.clerk), doc).reference == "02/NQ-TU"


def test_reading_the_settings_writes_nothing_and_gives_the_defaults(office, client_for):
    assert not DocumentSettings.objects.filter(organisation=office.org).exists()
    settings = numbering.document_settings(office.org)
    assert settings.due_soon_working_days == DocumentSettings().due_soon_working_days
    assert not DocumentSettings.objects.filter(organisation=office.org).exists()
    assert client_for(office.clerk).get(reverse("documents:incoming_register")).status_code == 200
    assert not DocumentSettings.objects.filter(organisation=office.org).exists()
