"""The audit log shows who did what to everyone who reads it, the content only to those cleared for it."""

from __future__ import annotations

import datetime

from django.urls import reverse

from vanphong.core.models import AuditEvent, Clearance
from vanphong.documents import incoming as documents_incoming
from vanphong.documents.models import OutgoingDocument
from vanphong.documents.tests.conftest import build_office
from vanphong.followup import assignment as followup
from vanphong.followup.tests.conftest import build_followup_office
from vanphong.meetings import sessions as meetings
from vanphong.meetings.tests.conftest import build_committee
from vanphong.petitions.tests.conftest import build_reception
from vanphong.testing import make_organisation, make_user, system, today

TOP_SECRET_SUMMARY = "Về phương án nhân sự tuyệt mật"
SECRET_BODY = "Nội dung dự thảo tối mật về quy hoạch"


def _pages(client, organisation) -> str:
    """The log and every entry of the organisation, as one text."""
    text = client.get(reverse("audit:log")).content.decode()
    for pk in AuditEvent.objects.filter(organisation=organisation).values_list("pk", flat=True):
        response = client.get(reverse("audit:event", args=[pk]))
        assert response.status_code == 200
        text += response.content.decode()
    return text


def test_secret_documents_in_the_log_are_read_only_by_those_cleared_and_concerned(org_a, client_for):
    office = build_office(org_a)
    documents_incoming.register_incoming(
        system(org_a),
        doc_type=office.doc_type("CV"),
        summary=TOP_SECRET_SUMMARY,
        sender_name="Ban Tổ chức Trung ương",
        document_date=today(),
        secrecy=Clearance.TUYET_MAT,
    )
    office.draft(body=SECRET_BODY, secrecy=Clearance.TOI_MAT)
    uncleared = make_user(org_a, "quantri", roles=["administrator"], clearance=Clearance.NONE)
    # Cleared for everything, but with no part in the office's documents (need-to-know).
    cleared = make_user(org_a, "quantri2", roles=["administrator"], clearance=Clearance.TUYET_MAT)
    office_admin = make_user(org_a, "quantri3", roles=["administrator", "office_chief"], clearance=2)
    for user in (uncleared, cleared):
        text = _pages(client_for(user), org_a)
        assert "document.registered" in text or "incoming" in text  # who did what is still there
        assert TOP_SECRET_SUMMARY not in text and SECRET_BODY not in text, user.username
    text = _pages(client_for(office_admin), org_a)
    assert SECRET_BODY in text and TOP_SECRET_SUMMARY not in text


def test_the_events_carry_the_secrecy_of_what_they_are_about(org_a):
    office = build_office(org_a)
    draft = office.draft(body=SECRET_BODY, secrecy=Clearance.TOI_MAT)
    events = AuditEvent.objects.filter(object_type="documents.OutgoingDocument", object_id=str(draft.pk))
    assert set(events.values_list("secrecy", flat=True)) == {Clearance.TOI_MAT}


def test_a_secret_agenda_item_recorded_on_its_meeting_is_hidden_with_it(org_a, client_for):
    committee = build_committee(org_a)
    meeting = committee.meeting(days=-1)
    meetings.add_item(committee.system, meeting, title="Công tác cán bộ tối mật", secrecy=Clearance.TOI_MAT)
    admin = make_user(org_a, "quantri", roles=["administrator"], clearance=Clearance.MAT)
    assert "Công tác cán bộ tối mật" not in _pages(client_for(admin), org_a)
    item_events = AuditEvent.objects.filter(action="meeting.item_added")
    assert item_events.exists() and {event.secrecy for event in item_events} == {Clearance.TOI_MAT}


def test_top_secret_tasks_and_a_denunciation_stay_out_of_an_administrators_log(org_a, org_b, client_for):
    office = build_followup_office(org_a)
    source = followup.create_source(
        system(org_a), kind="conclusion", title="Kết luận tuyệt mật số 9", secrecy=Clearance.TUYET_MAT
    )
    followup.create_task(
        system(org_a),
        source,
        content="Nhiệm vụ tuyệt mật về nhân sự",
        lead_unit=office.board,
        deadline=today() + datetime.timedelta(days=30),
        secrecy=Clearance.TUYET_MAT,
    )
    admin = make_user(org_a, "quantri", roles=["administrator"], clearance=Clearance.TUYET_MAT)
    text = _pages(client_for(admin), org_a)
    assert "Kết luận tuyệt mật số 9" not in text and "Nhiệm vụ tuyệt mật" not in text

    reception = build_reception(org_b, prefix="b.")
    reception.denunciation(summary="Tố cáo ông X nhận hối lộ khi cấp phép")
    admin_b = make_user(org_b, "quantrib", roles=["administrator"], clearance=Clearance.TUYET_MAT)
    assert "nhận hối lộ" not in _pages(client_for(admin_b), org_b)


def test_the_django_admin_never_shows_the_content(org_a, client_for):
    office = build_office(org_a)
    office.draft(body=SECRET_BODY, secrecy=Clearance.TOI_MAT)
    superuser = make_user(make_organisation("khac", "TU"), "sieuquantri", roles=["administrator"])
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    admin = client_for(superuser)
    event = AuditEvent.objects.filter(object_type="documents.OutgoingDocument").first()
    assert event is not None
    for url in (
        reverse("admin:core_auditevent_changelist"),
        reverse("admin:core_auditevent_change", args=[event.pk]),
    ):
        response = admin.get(url)
        assert response.status_code == 200
        assert SECRET_BODY not in response.content.decode() and "Về đẩy mạnh" not in response.content.decode()
    assert OutgoingDocument.objects.exists()
