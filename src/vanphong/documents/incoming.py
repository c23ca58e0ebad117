"""Incoming documents: registering (numbered in the arrival register), routing for handling, the
handlers' notes, marking handled, cancelling a registration.

Every function checks permission, validates before writing, writes in one transaction and records
an audit event; files are stored as documents.attachments says. The transitions (routing, handled,
cancelled) are taken through documents.workflow.INCOMING on the locked row, in a durable transaction;
registering runs in its caller's transaction too (an issued document delivered on this deployment).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.accounts.models import Membership
from vanphong.core import audit
from vanphong.core.access import Actor, require, visible
from vanphong.core.calendar import WorkingCalendar
from vanphong.core.deadlines import deadline_from
from vanphong.core.models import Clearance, Organisation
from vanphong.core.text import clean, fold
from vanphong.documents import events, numbering
from vanphong.documents.attachments import UploadedFile, attach, storing, validate_files
from vanphong.documents.models import (
    AssignmentRole,
    DocumentType,
    HandlingNote,
    IncomingDocument,
    IncomingStatus,
    NoteKind,
    OutgoingDocument,
    Routing,
    Urgency,
)
from vanphong.documents.permissions import REGISTER, ROUTE
from vanphong.documents.workflow import (
    INCOMING,
    INCOMING_FIELDS,
    may_write_notes,
    write_routing,
)
from vanphong.org.models import Unit


def normalise_reference(value: str) -> str:
    """`Số: 12-NQ/TU` and `12 - nq/tu` are the same number and symbol."""
    text = clean(value).upper()
    for prefix in ("SỐ:", "SỐ"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return "".join(text.split())


def search_text(*parts: str) -> str:
    return fold(" ".join(part for part in parts if part))


def check_common(
    actor: Actor, doc_type: DocumentType, summary: str, secrecy: int, urgency: int
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not summary:
        errors["summary"] = _("Enter the summary (trích yếu).")
    if not doc_type.is_active:
        errors["doc_type"] = _("The document type “%(type)s” is no longer in use.") % {"type": doc_type.name}
    if secrecy not in Clearance.values:
        errors["secrecy"] = _("Unknown secrecy level.")
    elif secrecy > actor.clearance:
        errors["secrecy"] = _("Your clearance does not allow handling documents of this secrecy level.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Unknown urgency level.")
    return errors


def find_duplicates(
    organisation: Organisation, sender_name: str, sender_reference: str, document_date: datetime.date
) -> list[IncomingDocument]:
    """Registrations of the same sender, number and date (the form warns before registering twice)."""
    reference = normalise_reference(sender_reference)
    if not reference:
        return []
    candidates = IncomingDocument.objects.filter(
        organisation=organisation, sender_reference=reference, document_date=document_date
    ).exclude(status=IncomingStatus.CANCELLED)
    return [doc for doc in candidates if fold(doc.sender_name) == fold(sender_name)]


def _visible_ids(actor: Actor, docs: list[IncomingDocument]) -> set[int]:
    return set(
        visible(actor, IncomingDocument).filter(pk__in=[d.pk for d in docs]).values_list("pk", flat=True)
    )


def register_incoming(
    actor: Actor,
    *,
    doc_type: DocumentType,
    summary: str,
    sender_name: str,
    sender_reference: str = "",
    document_date: datetime.date,
    arrived_at: datetime.datetime | None = None,
    secrecy: int = Clearance.NONE,
    urgency: int = Urgency.NORMAL,
    pages: int = 1,
    copies: int = 1,
    files: Iterable[UploadedFile] = (),
    sender_organisation: Organisation | None = None,
    source_outgoing: OutgoingDocument | None = None,
    replaces: IncomingDocument | None = None,
    allow_duplicate: bool = False,
) -> IncomingDocument:
    require(actor, REGISTER)
    organisation = actor.organisation
    assert organisation is not None
    now = timezone.now()
    arrived_at = arrived_at or now
    summary, sender_name = clean(summary), clean(sender_name)
    errors = check_common(actor, doc_type, summary, secrecy, urgency)
    if not sender_name:
        errors["sender_name"] = _("Enter the sender.")
    if arrived_at > now + datetime.timedelta(minutes=5):
        errors["arrived_at"] = _("The arrival time is in the future.")
    if document_date > timezone.localdate(arrived_at):
        errors["document_date"] = _("The document date is after its arrival.")
    if pages < 1:
        errors["pages"] = _("A document has at least one page.")
    if replaces is not None and replaces.organisation_id != organisation.pk:
        errors["replaces"] = _("The selected item does not exist.")
    if errors:
        raise ValidationError(errors)
    if not allow_duplicate:
        duplicates = find_duplicates(organisation, sender_name, sender_reference, document_date)
        readable = _visible_ids(actor, duplicates)
        seen = [d for d in duplicates if d.pk in readable]
        if seen:
            raise ValidationError(
                _(
                    "This document seems already registered: arrival number %(numbers)s has the same sender, "
                    "number and date. Confirm to register it again."
                )
                % {"numbers": ", ".join(f"{d.arrival_number}/{d.arrival_year}" for d in seen)},
                code="duplicate",
            )
        if duplicates:
            # A registration the clerk may not see: say only that it exists, never its number.
            raise ValidationError(
                _(
                    "A document with the same sender, number and date is already registered, at a secrecy "
                    "level you may not read. Ask the office chief before registering it again; confirm to "
                    "register it anyway."
                ),
                code="duplicate",
            )
    checked = validate_files(files)
    year = timezone.localdate(arrived_at).year
    with storing(checked, encrypt=secrecy > Clearance.NONE) as stored, transaction.atomic():
        doc = IncomingDocument.objects.create(
            organisation=organisation,
            arrival_year=year,
            arrival_number=numbering.take_number(organisation, numbering.incoming_key(year)),
            arrived_at=arrived_at,
            sender_name=sender_name,
            sender_organisation=sender_organisation,
            sender_reference=normalise_reference(sender_reference),
            document_date=document_date,
            doc_type=doc_type,
            summary=summary,
            secrecy=secrecy,
            urgency=urgency,
            pages=pages,
            copies=copies,
            source_outgoing=source_outgoing,
            replaces=replaces,
            registered_by=actor.user,
            search_text=search_text(summary, sender_name, sender_reference, doc_type.name),
        )
        attach(actor, organisation, stored, incoming=doc)
        audit.record(
            actor,
            events.INCOMING_REGISTERED,
            organisation=organisation,
            obj=doc,
            after=audit.snapshot(doc, INCOMING_FIELDS),
        )
    return doc


def _members(organisation: Organisation, users: Iterable[Any]) -> list[Any]:
    users = [user for user in users if user is not None]
    member_ids = set(
        Membership.objects.filter(organisation=organisation, is_active=True, user__in=users).values_list(
            "user_id", flat=True
        )
    )
    if any(user.pk not in member_ids for user in users):
        raise ValidationError(_("Only members of this organisation can be named on a routing note."))
    return users


def _own_units(organisation: Organisation, units: Iterable[Unit | None]) -> list[Unit]:
    chosen = [unit for unit in units if unit is not None]
    if any(unit.organisation_id != organisation.pk for unit in chosen):
        raise ValidationError(_("The selected item does not exist."))
    return chosen


@transaction.atomic(durable=True)
def route_incoming(
    actor: Actor,
    doc: IncomingDocument,
    *,
    instruction: str,
    lead_unit: Unit | None = None,
    lead_user: Any = None,
    support_units: Iterable[Unit] = (),
    support_users: Iterable[Any] = (),
    inform_units: Iterable[Unit] = (),
    inform_users: Iterable[Any] = (),
    deadline: datetime.date | None = None,
    deadline_days: int | None = None,
) -> Routing:
    """Write the routing note (phiếu giải quyết): who leads, who supports, who is informed, by when."""
    require(actor, ROUTE)
    organisation = doc.organisation
    instruction = clean(instruction)
    if not instruction:
        raise ValidationError({"instruction": _("Write the instruction.")})
    if lead_unit is None and lead_user is None:
        raise ValidationError({"lead_unit": _("Name the lead unit or person.")})
    today = timezone.localdate()
    calendar = WorkingCalendar(organisation)
    if deadline is not None and deadline < today:
        raise ValidationError({"deadline": _("The deadline is in the past.")})
    deadline = deadline_from(organisation, today, date=deadline, working_days=deadline_days)
    if deadline is None:
        deadline = calendar.working_days_after(
            today, numbering.document_settings(organisation).default_handling_days
        )
    people = {
        AssignmentRole.LEAD: (_own_units(organisation, [lead_unit]), _members(organisation, [lead_user])),
        AssignmentRole.SUPPORT: (
            _own_units(organisation, support_units),
            _members(organisation, support_users),
        ),
        AssignmentRole.INFORM: (_own_units(organisation, inform_units), _members(organisation, inform_users)),
    }
    assignments = [
        *((role, unit, None) for role, (units, _users) in people.items() for unit in units),
        *((role, None, user) for role, (_units, users) in people.items() for user in users),
    ]
    routed = INCOMING.apply(
        actor, doc, "routed", change=write_routing(actor, instruction, assignments), deadline=deadline
    )
    routing = routed.routings.first()
    assert routing is not None
    return routing


NOTE_EVENTS: dict[str, str] = {
    NoteKind.COMMENT: events.INCOMING_NOTE_COMMENT,
    NoteKind.DRAFT: events.INCOMING_NOTE_DRAFT,
}


def add_note(
    actor: Actor,
    doc: IncomingDocument,
    *,
    text: str,
    kind: str = NoteKind.COMMENT,
    files: Iterable[UploadedFile] = (),
) -> HandlingNote:
    """A handler comments or attaches a draft reply."""
    if not may_write_notes(actor, doc):
        raise PermissionDenied(_("Only those named on the routing note and the office can write here."))
    text = clean(text)
    if not text and not files:
        raise ValidationError({"text": _("Write a comment or attach a file.")})
    if kind not in NOTE_EVENTS:
        raise ValidationError({"kind": _("Unknown kind of note.")})
    checked = validate_files(files)
    with storing(checked, encrypt=doc.secrecy > Clearance.NONE) as stored, transaction.atomic():
        note = HandlingNote.objects.create(
            organisation=doc.organisation, document=doc, author=actor.user, kind=kind, text=text
        )
        attach(actor, doc.organisation, stored, incoming=doc, note=note)
        audit.record(
            actor,
            NOTE_EVENTS[kind],
            organisation=doc.organisation,
            obj=doc,
            after={
                "note": note.pk,
                "text": text,
                "files": [upload.info.original_name for upload, _file in stored],
            },
        )
    return note


@transaction.atomic(durable=True)
def mark_handled(
    actor: Actor, doc: IncomingDocument, *, text: str = "", reply: OutgoingDocument | None = None
) -> IncomingDocument:
    if reply is not None and reply.organisation_id != doc.organisation_id:
        raise ValidationError({"reply": _("The selected item does not exist.")})
    return INCOMING.apply(
        actor, doc, "handled", step={"text": clean(text)}, handled_at=timezone.now(), reply=reply
    )


@transaction.atomic(durable=True)
def cancel_incoming(actor: Actor, doc: IncomingDocument, *, reason: str) -> IncomingDocument:
    """Cancel a registration: the arrival number stays recorded and is never given again."""
    require(actor, REGISTER)
    reason = clean(reason)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    return INCOMING.apply(actor, doc, "cancelled", cancelled_reason=reason)
