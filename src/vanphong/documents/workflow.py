"""The workflows of the văn thư as data (core.workflow): incoming and outgoing documents.

Incoming:  registered ─ routed ─→ routed (routed again: the latest routing note is current)
                                  ─ handled ─→ handled (by the lead handler or the office chief)
           any state but cancelled ─ cancelled ─→ cancelled (the arrival number stays recorded)
Outgoing:  draft ─ submitted ─→ submitted ─ approved ─→ approved ─ issued ─→ issued (numbered)
           submitted, approved ─ returned ─→ draft (by the signer or the office)
           any state but cancelled ─ cancelled ─→ cancelled (an issued one by the office only: its
           number stays recorded and is never given again)

Each transition is an audit event "<workflow>.<action>" ("incoming.routed", "outgoing.issued"); the
actions are named as the events were before the workflows, so an object's history reads on. The
routing note goes with the transition "routed" (`write_routing`); the note "handled" is the
history row the workflow's `history` hook writes. The views show exactly `outgoing_actions` and
`incoming_actions`; the services take the same transitions through `apply`, on the locked row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vanphong.core.access import Actor, policy_for
from vanphong.core.workflow import Transition, Workflow
from vanphong.documents.models import (
    Assignment,
    AssignmentRole,
    HandlingNote,
    IncomingDocument,
    IncomingStatus,
    NoteKind,
    OutgoingDocument,
    OutgoingStatus,
    Routing,
)
from vanphong.documents.permissions import DRAFT, ISSUE, REGISTER, ROUTE
from vanphong.org.models import Unit
from vanphong.org.selectors import user_units

# The fields an audit event keeps before and after a change of a document.
INCOMING_FIELDS = [
    "arrival_year",
    "arrival_number",
    "arrived_at",
    "sender_name",
    "sender_reference",
    "document_date",
    "doc_type",
    "summary",
    "secrecy",
    "urgency",
    "pages",
    "copies",
    "status",
    "deadline",
    "handled_at",
    "reply",
    "cancelled_reason",
]
OUTGOING_FIELDS = [
    "doc_type",
    "summary",
    "body",
    "secrecy",
    "urgency",
    "signer",
    "signing_authority",
    "signing_body",
    "signer_title",
    "external_recipients",
    "status",
    "number",
    "reference",
    "issued_on",
    "approved_by",
    "returned_reason",
    "cancelled_reason",
]


def is_handler(actor: Actor, doc: IncomingDocument, roles: Iterable[str] = AssignmentRole.values) -> bool:
    """Whether the actor is named on the current routing note, in person or through their unit."""
    routing = doc.routings.first()
    if routing is None:
        return False
    named = Q(user=actor.user) | Q(unit__in=user_units(actor))
    return routing.assignments.filter(role__in=list(roles)).filter(named).exists()


def may_write_notes(actor: Actor, doc: IncomingDocument) -> bool:
    """Those named on the routing note and the office comment on an incoming document."""
    return is_handler(actor, doc) or actor.has_perm(ROUTE) or actor.has_perm(REGISTER)


def is_signer(actor: Actor, doc: OutgoingDocument) -> bool:
    return (
        doc.signer is not None
        and doc.signer.user_id is not None
        and doc.signer.user_id == getattr(actor.user, "pk", None)
    )


def may_change_draft(actor: Actor, doc: OutgoingDocument) -> bool:
    """Drafts are changed and sent to the signer by whoever drafted them, and by the office."""
    return policy_for(OutgoingDocument).can_change(actor, doc)


def _may_close(actor: Actor, doc: IncomingDocument) -> bool:
    return is_handler(actor, doc, [AssignmentRole.LEAD]) or actor.has_perm(ROUTE)


def _may_return(actor: Actor, doc: OutgoingDocument) -> bool:
    return is_signer(actor, doc) or actor.has_perm(ISSUE)


def _may_cancel(actor: Actor, doc: OutgoingDocument) -> bool:
    """The office cancels any document; the drafter their own one not yet issued."""
    if actor.has_perm(ISSUE):
        return True
    return doc.status != OutgoingStatus.ISSUED and doc.created_by_id == getattr(actor.user, "pk", None)


def write_routing(
    actor: Actor, instruction: str, assignments: Sequence[tuple[str, Unit | None, Any]]
) -> Callable[[IncomingDocument], None]:
    """What goes with the transition "routed": the routing note (phiếu giải quyết) and the people it
    names, written before the document is saved, so that the search index reads its new readers."""

    def write(doc: IncomingDocument) -> None:
        routing = Routing.objects.create(
            organisation=doc.organisation,
            document=doc,
            instruction=instruction,
            deadline=doc.deadline,
            routed_by=actor.user,
        )
        Assignment.objects.bulk_create(
            Assignment(organisation=doc.organisation, routing=routing, role=role, unit=unit, user=user)
            for role, unit, user in assignments
        )

    return write


def _incoming_history(
    actor: Actor, doc: IncomingDocument, transition: Transition, before: str, data: dict[str, Any]
) -> None:
    """The note "handled" closing the handling notes (a routing is its own history: `write_routing`)."""
    if transition.action == "handled":
        HandlingNote.objects.create(
            organisation=doc.organisation,
            document=doc,
            author=actor.user,
            kind=NoteKind.HANDLED,
            text=data.get("text") or gettext("Handled."),
        )


NOT_CANCELLED = frozenset(set(IncomingStatus.values) - {IncomingStatus.CANCELLED})

INCOMING: Workflow[IncomingDocument] = Workflow(
    name="incoming",
    model=IncomingDocument,
    snapshot=tuple(INCOMING_FIELDS),
    history=_incoming_history,
    transitions=(
        Transition(
            "routed",
            _("Route for handling"),
            frozenset({IncomingStatus.REGISTERED, IncomingStatus.ROUTED}),
            IncomingStatus.ROUTED,
            ROUTE,
        ),
        Transition(
            "handled",
            _("Mark handled"),
            frozenset({IncomingStatus.ROUTED}),
            IncomingStatus.HANDLED,
            rule=_may_close,
            refusal=_("Only the lead handler or the office chief can close a document."),
        ),
        Transition("cancelled", _("Cancel registration"), NOT_CANCELLED, IncomingStatus.CANCELLED, REGISTER),
    ),
)

OUTGOING: Workflow[OutgoingDocument] = Workflow(
    name="outgoing",
    model=OutgoingDocument,
    snapshot=tuple(OUTGOING_FIELDS),
    transitions=(
        Transition(
            "submitted",
            _("Send to the signer"),
            frozenset({OutgoingStatus.DRAFT}),
            OutgoingStatus.SUBMITTED,
            DRAFT,
            may_change_draft,
            _("Only the drafter and the office can change this draft."),
        ),
        Transition(
            "approved",
            _("Approve"),
            frozenset({OutgoingStatus.SUBMITTED}),
            OutgoingStatus.APPROVED,
            rule=is_signer,
            refusal=_("Only the signer can approve this document."),
        ),
        Transition(
            "returned",
            _("Return to draft"),
            frozenset({OutgoingStatus.SUBMITTED, OutgoingStatus.APPROVED}),
            OutgoingStatus.DRAFT,
            rule=_may_return,
            refusal=_("Only the signer or the office can return a document to draft."),
        ),
        Transition(
            "issued",
            _("Number and issue"),
            frozenset({OutgoingStatus.APPROVED}),
            OutgoingStatus.ISSUED,
            ISSUE,
        ),
        Transition(
            "cancelled",
            _("Cancel document"),
            frozenset(set(OutgoingStatus.values) - {OutgoingStatus.CANCELLED}),
            OutgoingStatus.CANCELLED,
            rule=_may_cancel,
        ),
    ),
)


def incoming_actions(actor: Actor, doc: IncomingDocument) -> list[str]:
    """What the actor may do to the incoming document now: its transitions, and "note" (comment or
    attach a draft reply while it is open) and "attach" (add files to a registration not cancelled)."""
    actions = [t.action for t in INCOMING.actions_for(actor, doc)]
    if doc.status in (IncomingStatus.REGISTERED, IncomingStatus.ROUTED) and may_write_notes(actor, doc):
        actions.append("note")
    if doc.status != IncomingStatus.CANCELLED and actor.has_perm(REGISTER):
        actions.append("attach")
    return actions


# An outgoing document's history on its page: its audit events, with the reason or the number each
# step recorded.
OUTGOING_HISTORY = {
    "outgoing.created": _("Drafted"),
    "outgoing.updated": _("Draft changed"),
    "outgoing.submitted": _("Sent to the signer"),
    "outgoing.approved": _("Approved by the signer"),
    "outgoing.returned": _("Returned to draft"),
    "outgoing.issued": _("Numbered and issued"),
    "outgoing.cancelled": _("Cancelled"),
}
OUTGOING_HISTORY_NOTES = {
    "outgoing.returned": "returned_reason",
    "outgoing.issued": "reference",
    "outgoing.cancelled": "cancelled_reason",
}


def outgoing_actions(actor: Actor, doc: OutgoingDocument) -> list[str]:
    """What the actor may do to the outgoing document now: its transitions, and "edit" (a draft) and
    "correct" (start a correcting document for an issued one)."""
    actions = [t.action for t in OUTGOING.actions_for(actor, doc)]
    if doc.status == OutgoingStatus.DRAFT and may_change_draft(actor, doc):
        actions.append("edit")
    if doc.status == OutgoingStatus.ISSUED and actor.has_perm(DRAFT):
        actions.append("correct")
    return actions
