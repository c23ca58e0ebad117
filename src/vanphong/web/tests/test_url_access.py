"""Every URL: anonymous visitors are sent to sign-in; a user of organisation A gets 404 for B's objects.

Later features extend OBJECT_URLS with the model behind each new URL that takes an id.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from vanphong.accounts.models import Membership
from vanphong.core.files import store_file
from vanphong.core.models import AuditEvent
from vanphong.documents.models import Attachment, IncomingDocument, OutgoingDocument
from vanphong.documents.tests.conftest import build_office, pdf_bytes
from vanphong.followup import assignment as followup
from vanphong.followup import extensions, progress
from vanphong.followup.models import ExtensionRequest, ProgressReport, ReportFile, Source, Task
from vanphong.meetings import schedule as weekly
from vanphong.meetings import sessions, submissions
from vanphong.meetings.models import AgendaItem, Meeting, Opinion, Paper, Submission, WeeklySchedule
from vanphong.org import services
from vanphong.org.models import Body, Person, Position, Term, Unit
from vanphong.petitions.identities import Identity
from vanphong.petitions.intake import register_petition
from vanphong.petitions.models import Petition, ReceptionSession, Visit
from vanphong.petitions.reception import record_visit, save_session
from vanphong.testing import appoint, make_person, make_position, make_unit, make_user, system

# URL name -> model of the object in its `pk`.
OBJECT_URLS = {
    "org:body": Body,
    "org:unit": Unit,
    "org:person": Person,
    "org:person_edit": Person,
    "org:position": Position,
    "audit:event": AuditEvent,
    "documents:incoming": IncomingDocument,
    "documents:incoming_route": IncomingDocument,
    "documents:incoming_note": IncomingDocument,
    "documents:incoming_handled": IncomingDocument,
    "documents:incoming_cancel": IncomingDocument,
    "documents:incoming_attach": IncomingDocument,
    "documents:outgoing": OutgoingDocument,
    "documents:outgoing_edit": OutgoingDocument,
    "documents:outgoing_action": OutgoingDocument,
    "documents:outgoing_file": OutgoingDocument,
    "documents:attachment": Attachment,
    "documents:attachment_ocr": Attachment,
    "meetings:meeting": Meeting,
    "meetings:meeting_edit": Meeting,
    "meetings:meeting_item_add": Meeting,
    "meetings:meeting_invite": Meeting,
    "meetings:meeting_attendance": Meeting,
    "meetings:meeting_action": Meeting,
    "meetings:item_vote": AgendaItem,
    "meetings:item_conclusion": AgendaItem,
    "meetings:paper": Paper,
    "meetings:submission": Submission,
    "meetings:submission_edit": Submission,
    "meetings:submission_action": Submission,
    "meetings:opinion_answer": Opinion,
    "meetings:schedule_detail": WeeklySchedule,
    "meetings:schedule_entry": WeeklySchedule,
    "meetings:schedule_action": WeeklySchedule,
    "followup:task": Task,
    "followup:task_report": Task,
    "followup:task_extension": Task,
    "followup:task_evaluate": Task,
    "followup:task_weights": Task,
    "followup:task_cancel": Task,
    "followup:report_review": ProgressReport,
    "followup:extension_decide": ExtensionRequest,
    "followup:report_file": ReportFile,
    "followup:source": Source,
    "petitions:petition": Petition,
    "petitions:petition_action": Petition,
    "petitions:session": ReceptionSession,
    "petitions:visit": Visit,
}
# Other parameters of those URLs.
EXTRA_KWARGS = {
    "documents:outgoing_action": {"action": "approve"},
    "documents:outgoing_file": {"fmt": "docx"},
    "meetings:meeting_action": {"action": "invitation"},
    "meetings:submission_action": {"action": "submit"},
    "meetings:schedule_action": {"action": "approve"},
    "followup:report_review": {"action": "accept"},
    "followup:extension_decide": {"action": "approve"},
    "petitions:petition_action": {"action": "accept"},
}
# Pages anyone may open (sign-in itself and the language switch), and the calendar feed, whose
# address holds a secret token (meetings/tests/test_access.py).
PUBLIC = {"login", "logout", "set_language", "meetings:ical"}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else prefix
            if pattern.app_name == "admin" or pattern.namespace == "api":
                # The admin has its own sign-in (test_shell); the API takes tokens, not sessions (test_api).
                continue
            yield from _walk(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}", pattern


def all_url_names():
    return sorted({name for name, _pattern in _walk(get_resolver().url_patterns)})


@pytest.fixture
def org_b_objects(org_b):
    office = build_office(org_b, prefix="b.")
    term = Term.objects.filter(organisation=org_b).first()
    person = make_person(org_b, "Lê Văn Bảo", unit=make_unit(org_b, "Văn phòng"))
    position = make_position(org_b, "Chánh Văn phòng")
    appoint(position, person, datetime.date(2025, 1, 1))
    services.save_body(system(org_b), Body(term=term, kind="bch", name="Ban Chấp hành"))
    scan = office.register(files=[("cv.pdf", pdf_bytes())])
    # The searchable PDF/A that OCR would make of it (documents:attachment_ocr).
    searchable = store_file(pdf_bytes(), encrypt=False)
    scan.attachments.update(ocr_path=searchable.path, ocr_sha256=searchable.sha256, ocr_size=searchable.size)
    office.draft()
    _meetings_of(org_b, term)
    _followup_of(org_b)
    _petitions_of(org_b)
    return {
        model: model._default_manager.filter(organisation=org_b).first()
        for model in set(OBJECT_URLS.values())
    }


def _meetings_of(org, term):
    """A submission with an opinion asked, a meeting with an item, and a weekly schedule."""
    actor = system(org)
    btv = services.save_body(actor, Body(term=term, kind="btv", name="Ban Thường vụ"))
    unit = Unit.objects.filter(organisation=org).earliest("pk")
    submission = submissions.save_submission(
        actor,
        Submission(title="Tờ trình", kind="to_trinh", unit=unit, body=btv),
        files=[("a.pdf", pdf_bytes())],
    )
    submissions.submit(actor, submission)
    submissions.start_appraisal(
        actor, submission, appraiser=Membership.objects.filter(organisation=org).earliest("pk").user
    )
    submissions.request_opinions(actor, submission, units=[unit], days=2)
    start = timezone.now() + datetime.timedelta(days=5)
    meeting = sessions.save_meeting(
        actor,
        Meeting(
            kind="btv",
            body=btv,
            title="Họp",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            place="P1",
        ),
    )
    sessions.add_item(actor, meeting, title="Nội dung")
    weekly.start_week(actor, timezone.localdate())


def _followup_of(org):
    """A task with a report carrying a file and an extension request."""
    actor = system(org)
    source = followup.create_source(
        actor, kind="conclusion", title="Kết luận", issued_on=timezone.localdate()
    )
    task = followup.create_task(
        actor,
        source,
        content="Nhiệm vụ",
        lead_unit=Unit.objects.filter(organisation=org).order_by("pk")[0],
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    progress.submit_report(actor, task, text="Đã làm", percent=20, files=[("sp.pdf", pdf_bytes())])
    extensions.request_extension(
        actor, task, reason="Lý do", requested_deadline=timezone.localdate() + datetime.timedelta(days=20)
    )


def _petitions_of(org):
    """A reception session with a visit, and a petition made at it."""
    actor = system(org)
    day = datetime.date(2026, 3, 2)
    session = save_session(actor, held_on=day)
    visit = record_visit(
        actor,
        session=session,
        visited_on=day,
        content_kind="proposal",
        identity=Identity(name="Lê Văn Bảo"),
        content="Kiến nghị",
    )
    register_petition(
        actor,
        received_on=day,
        channel="visit",
        sender_kind="person",
        kind="proposal",
        subject="land",
        summary="Kiến nghị",
        competence="own",
        visit=visit,
    )


def _url(name, pattern, objects=None):
    keys = list(pattern.pattern.converters)
    if not keys:
        return reverse(name)
    extra = EXTRA_KWARGS.get(name, {})
    assert sorted(keys) == sorted(["pk", *extra]), f"{name}: add its parameters to this test"
    obj = objects[OBJECT_URLS[name]] if objects else None
    return reverse(name, kwargs={"pk": obj.pk if obj else 1, **extra})


def _fetch(client, url):
    """GET, or POST for views that only take POST."""
    response = client.get(url)
    return client.post(url) if response.status_code == 405 else response


def test_every_url_with_an_id_is_declared_here():
    undeclared = [
        name
        for name, pattern in _walk(get_resolver().url_patterns)
        if pattern.pattern.converters and name not in OBJECT_URLS and name not in PUBLIC
    ]
    assert undeclared == []


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client):
    for name, pattern in _walk(get_resolver().url_patterns):
        if name in PUBLIC:
            continue
        url = _url(name, pattern)
        response = _fetch(client, url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


def test_another_organisations_objects_are_not_found(org_a, org_b, org_b_objects, client_for):
    admin_a = make_user(org_a, "quantri_a", roles=["administrator", "office_chief"], clearance=3)
    client = client_for(admin_a)
    for name, pattern in _walk(get_resolver().url_patterns):
        if name not in OBJECT_URLS:
            continue
        response = _fetch(client, _url(name, pattern, org_b_objects))
        assert response.status_code == 404, name
        # The owner organisation's administrator does see them, so the 404 is the tenancy rule.
    admin_b = make_user(org_b, "quantri_b", roles=["administrator", "office_chief"], clearance=3)
    client_b = client_for(admin_b)
    for name, pattern in _walk(get_resolver().url_patterns):
        if name in OBJECT_URLS and client_b.get(_url(name, pattern, org_b_objects)).status_code != 405:
            assert client_b.get(_url(name, pattern, org_b_objects)).status_code == 200, name


def test_pages_without_ids_show_only_the_own_organisation(org_a, org_b, org_b_objects, client_for):
    make_person(org_a, "Nguyễn Thị An")
    client = client_for(make_user(org_a, "quantri", roles=["administrator", "office_chief"], clearance=3))
    for name, pattern in _walk(get_resolver().url_patterns):
        if pattern.pattern.converters or name in PUBLIC or name == "switch_organisation":
            continue
        response = client.get(reverse(name))
        if response.status_code == 405:  # an action that only takes POST shows nothing
            continue
        assert response.status_code == 200, name
        assert "Lê Văn Bảo" not in response.content.decode(), name


def test_audit_log_is_for_administrators_only(org_a, client_for):
    clerk = client_for(make_user(org_a, "vanthu", roles=["clerk"]))
    assert clerk.get(reverse("audit:log")).status_code == 403
    admin = client_for(make_user(org_a, "quantri", roles=["administrator"]))
    page = admin.get(reverse("audit:log"))
    assert page.status_code == 200
    assert "membership.created" in page.content.decode()
