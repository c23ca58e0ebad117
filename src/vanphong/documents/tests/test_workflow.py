"""The documents' workflows: their data, two people acting at once on one document, and the pages
showing exactly the actions the workflow allows.

In each race both read the document first (two pages open), then act at the same moment; the second
acts on what the first left: one step is taken, the other is refused with the document's state.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from vanphong.core.models import AuditEvent
from vanphong.documents.incoming import mark_handled, route_incoming
from vanphong.documents.models import (
    HandlingNote,
    IncomingDocument,
    IncomingStatus,
    NoteKind,
    NumberSequence,
    OutgoingDocument,
    OutgoingStatus,
)
from vanphong.documents.outgoing import issue, return_to_draft, submit_for_approval
from vanphong.documents.tests.conftest import Office, build_office
from vanphong.documents.workflow import INCOMING, OUTGOING, incoming_actions, outgoing_actions
from vanphong.testing import one_wins, race

RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize(
    ("workflow", "states", "start"),
    [
        (INCOMING, IncomingStatus, IncomingStatus.REGISTERED),
        (OUTGOING, OutgoingStatus, OutgoingStatus.DRAFT),
    ],
)
def test_the_workflows_reach_every_state_and_a_cancelled_document_is_final(workflow, states, start):
    reached, frontier = {start}, [start]
    while frontier:
        state = frontier.pop()
        for transition in workflow.transitions:
            if state in transition.sources and transition.target and transition.target not in reached:
                reached.add(transition.target)
                frontier.append(transition.target)
    assert reached == set(states.values)
    assert not [t for t in workflow.transitions if states.CANCELLED in t.sources]
    assert all(set(t.sources) <= set(states.values) for t in workflow.transitions)


def _events(doc: Any, *actions: str) -> int:
    return AuditEvent.objects.filter(object_id=str(doc.pk), action__in=actions).count()


def _routed(office: Office) -> IncomingDocument:
    doc = office.register()
    chief = office.actor(office.chief)
    route_incoming(chief, doc, instruction="Ban Tổ chức xử lý", lead_unit=office.board_unit)
    return doc


@RACE
def test_the_clerk_issuing_while_the_signer_returns_the_document_to_draft(org_a):
    office = build_office(org_a)
    doc = office.approved()
    seen_first, seen_second = (OutgoingDocument.objects.get(pk=doc.pk) for _ in range(2))
    one_wins(
        race(
            lambda: issue(office.actor(office.clerk), seen_first),
            lambda: return_to_draft(office.actor(office.secretary), seen_second, reason="Sửa lại số liệu"),
        )
    )
    doc.refresh_from_db()
    assert _events(doc, "outgoing.issued", "outgoing.returned") == 1
    if doc.status == OutgoingStatus.ISSUED:
        assert doc.reference == "01-NQ/TU"
    else:
        # Returned first: the issue was refused before its number was taken, so none is lost.
        assert doc.status == OutgoingStatus.DRAFT and doc.number is None and doc.approved_by is None
        assert not NumberSequence.objects.filter(organisation=org_a, last_number__gt=0).exists()


@RACE
def test_two_clerks_issuing_one_approved_document_give_it_one_number(org_a):
    office = build_office(org_a)
    second_clerk = office.chief  # the office chief may number and issue too
    doc = office.approved()
    seen_first, seen_second = (OutgoingDocument.objects.get(pk=doc.pk) for _ in range(2))
    one_wins(
        race(
            lambda: issue(office.actor(office.clerk), seen_first),
            lambda: issue(office.actor(second_clerk), seen_second),
        )
    )
    doc.refresh_from_db()
    assert doc.status == OutgoingStatus.ISSUED and doc.reference == "01-NQ/TU"
    assert _events(doc, "outgoing.issued") == 1
    assert NumberSequence.objects.get(organisation=org_a, last_number__gt=0).last_number == 1


@RACE
def test_the_lead_handler_and_the_office_chief_closing_one_document_at_once(org_a):
    office = build_office(org_a)
    doc = office.register()
    route_incoming(
        office.actor(office.chief), doc, instruction="Ban Tổ chức xử lý", lead_unit=office.board_unit
    )
    seen_first, seen_second = (IncomingDocument.objects.get(pk=doc.pk) for _ in range(2))
    one_wins(
        race(
            lambda: mark_handled(office.actor(office.board_member), seen_first, text="Đã báo cáo"),
            lambda: mark_handled(office.actor(office.chief), seen_second, text="Đã xử lý"),
        )
    )
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.HANDLED
    assert HandlingNote.objects.filter(document=doc, kind=NoteKind.HANDLED).count() == 1
    assert _events(doc, "incoming.handled") == 1


# The pages' forms post to these addresses, one per action of `outgoing_actions`.
OUTGOING_SLUGS = {
    "submitted": "submit",
    "approved": "approve",
    "returned": "return",
    "issued": "issue",
    "cancelled": "cancel",
    "correct": "correct",
}


def _outgoing_buttons(html: str, doc: OutgoingDocument) -> set[str]:
    by_url = {
        reverse("documents:outgoing_action", args=[doc.pk, slug]): a for a, slug in OUTGOING_SLUGS.items()
    }
    by_url[reverse("documents:outgoing_edit", args=[doc.pk])] = "edit"
    return {by_url[url] for url in re.findall(r'(?:action|href)="([^"]+)"', html) if url in by_url}


def test_the_outgoing_page_shows_exactly_the_actions_of_the_signer_and_of_the_clerk(office, client_for):
    doc = office.draft()
    submit_for_approval(office.actor(office.specialist), doc)
    shown = {}
    for user in (office.secretary, office.clerk, office.specialist):
        html = client_for(user).get(reverse("documents:outgoing", args=[doc.pk])).content.decode()
        shown[user] = _outgoing_buttons(html, doc)
        assert shown[user] == set(outgoing_actions(office.actor(user), doc)), user.username
    assert shown[office.secretary] == {"approved", "returned"}
    assert shown[office.clerk] == {"returned", "cancelled"}
    assert shown[office.specialist] == {"cancelled"}  # the drafter may still withdraw it


def test_the_incoming_page_shows_exactly_the_actions_of_the_handler_and_of_the_clerk(office, client_for):
    doc = office.register()
    route_incoming(
        office.actor(office.chief), doc, instruction="Ban Tổ chức xử lý", lead_unit=office.board_unit
    )
    forms = {
        "routed": "documents:incoming_route",
        "handled": "documents:incoming_handled",
        "cancelled": "documents:incoming_cancel",
        "note": "documents:incoming_note",
        "attach": "documents:incoming_attach",
    }
    by_url = {reverse(name, args=[doc.pk]): action for action, name in forms.items()}
    for user, expected in (
        (office.board_member, {"handled", "note"}),
        (office.clerk, {"cancelled", "note", "attach"}),
    ):
        html = client_for(user).get(reverse("documents:incoming", args=[doc.pk])).content.decode()
        shown = {by_url[url] for url in re.findall(r'action="([^"]+)"', html) if url in by_url}
        assert shown == set(incoming_actions(office.actor(user), doc)) == expected, user.username
