"""Writes of the văn thư: registering, routing, handling, drafting, approving, issuing, cancelling.

Every function checks permission, validates before writing, writes in one transaction and records
an audit event. Files are validated before the transaction and stored just before it; if the
transaction fails, the stored files are removed again, so nothing is left half-written.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.accounts.models import Membership
from vanphong.core import audit
from vanphong.core.access import Actor, require, visible
from vanphong.core.calendar import WorkingCalendar
from vanphong.core.deadlines import deadline_from
from vanphong.core.extract import Extracted, extract
from vanphong.core.files import (
    StoredFile,
    UploadInfo,
    read_file,
    stored_for_transaction,
    validate_upload,
)
from vanphong.core.models import Clearance, Organisation
from vanphong.core.text import clean, date_phrase, fold
from vanphong.documents import events, numbering
from vanphong.documents.models import (
    AssignmentRole,
    Attachment,
    DocumentSettings,
    DocumentType,
    HandlingNote,
    IncomingDocument,
    IncomingStatus,
    NoteKind,
    NumberingRule,
    OutgoingDocument,
    OutgoingRecipient,
    OutgoingStatus,
    Routing,
    TextSource,
    Urgency,
)
from vanphong.documents.permissions import DRAFT, ISSUE, NUMBERING, REGISTER, ROUTE
from vanphong.documents.rendering import RenderInput
from vanphong.documents.workflow import (
    INCOMING,
    INCOMING_FIELDS,
    OUTGOING,
    OUTGOING_FIELDS,
    may_change_draft,
    may_write_notes,
    write_routing,
)
from vanphong.org.models import Person, Unit

UploadedFile = tuple[str, bytes]  # (original name, content)


def normalise_reference(value: str) -> str:
    """`Số: 12-NQ/TU` and `12 - nq/tu` are the same number and symbol."""
    text = clean(value).upper()
    for prefix in ("SỐ:", "SỐ"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return "".join(text.split())


def _search_text(*parts: str) -> str:
    return fold(" ".join(part for part in parts if part))


def _check_common(
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


@dataclass(frozen=True)
class Upload:
    """A checked file, with its text for search (the text layer; scans wait for OCR)."""

    info: UploadInfo
    data: bytes
    extracted: Extracted


def _validate_files(files: Iterable[UploadedFile]) -> list[Upload]:
    checked = []
    for name, data in files:
        info = validate_upload(name, data)
        checked.append(Upload(info, data, extract(info.kind, data)))
    return checked


@contextmanager
def _stored(files: Sequence[Upload], encrypt: bool) -> Iterator[list[tuple[Upload, StoredFile]]]:
    """Store files for the transaction that follows; remove them again if it fails."""
    with stored_for_transaction([upload.data for upload in files], encrypt=encrypt) as stored:
        yield list(zip(files, stored, strict=True))


def _attach(
    actor: Actor,
    organisation: Organisation,
    stored: list[tuple[Upload, StoredFile]],
    **owner: Any,
) -> list[Attachment]:
    return [
        Attachment.objects.create(
            text=upload.extracted.text,
            text_source=TextSource.OCR_PENDING
            if upload.extracted.needs_ocr
            else (TextSource.FILE if upload.extracted.text.strip() else TextSource.NONE),
            organisation=organisation,
            original_name=upload.info.original_name,
            kind=upload.info.kind,
            content_type=upload.info.content_type,
            size=file.size,
            pages=upload.info.pages,
            path=file.path,
            sha256=file.sha256,
            encrypted=file.encrypted,
            wrapped_key=file.wrapped_key,
            nonce=file.nonce,
            uploaded_by=actor.user,
            **owner,
        )
        for upload, file in stored
    ]


# -- incoming -------------------------------------------------------------------------------------


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
    errors = _check_common(actor, doc_type, summary, secrecy, urgency)
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
    checked = _validate_files(files)
    year = timezone.localdate(arrived_at).year
    with _stored(checked, encrypt=secrecy > Clearance.NONE) as stored, transaction.atomic():
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
            search_text=_search_text(summary, sender_name, sender_reference, doc_type.name),
        )
        _attach(actor, organisation, stored, incoming=doc)
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
    checked = _validate_files(files)
    with _stored(checked, encrypt=doc.secrecy > Clearance.NONE) as stored, transaction.atomic():
        note = HandlingNote.objects.create(
            organisation=doc.organisation, document=doc, author=actor.user, kind=kind, text=text
        )
        _attach(actor, doc.organisation, stored, incoming=doc, note=note)
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


# -- outgoing -------------------------------------------------------------------------------------


def save_draft(
    actor: Actor,
    doc: OutgoingDocument,
    *,
    internal_recipients: Iterable[Organisation] | None = None,
    files: Iterable[UploadedFile] = (),
) -> OutgoingDocument:
    """Create or change a draft outgoing document (fields already set on `doc`)."""
    require(actor, DRAFT)
    organisation = actor.organisation
    assert organisation is not None
    creating = doc.pk is None
    if not creating and doc.organisation_id != organisation.pk:
        raise PermissionDenied(_("You do not have permission to do this."))
    if not creating and doc.status != OutgoingStatus.DRAFT:
        raise ValidationError(_("Only a draft can be changed; return it to draft first."))
    if not creating and not may_change_draft(actor, doc):
        raise PermissionDenied(_("Only the drafter and the office can change this draft."))
    doc.summary = clean(doc.summary)
    doc.body = "\n".join(clean(line) if line.strip() else "" for line in (doc.body or "").splitlines())
    doc.external_recipients = "\n".join(
        clean(line) for line in (doc.external_recipients or "").splitlines() if line.strip()
    )
    doc.signing_body, doc.signer_title = clean(doc.signing_body).upper(), clean(doc.signer_title).upper()
    errors = _check_common(actor, doc.doc_type, doc.summary, doc.secrecy, doc.urgency)
    if doc.signer is not None and doc.signer.organisation_id != organisation.pk:
        errors["signer"] = _("The selected item does not exist.")
    recipients = list(internal_recipients) if internal_recipients is not None else None
    if recipients and any(org.pk == organisation.pk for org in recipients):
        errors["internal_recipients"] = _("A document is not sent to its own organisation.")
    if errors:
        raise ValidationError(errors)
    checked = _validate_files(files)
    with _stored(checked, encrypt=doc.secrecy > Clearance.NONE) as stored, transaction.atomic():
        before = (
            None if creating else audit.snapshot(OutgoingDocument.objects.get(pk=doc.pk), OUTGOING_FIELDS)
        )
        doc.organisation = organisation
        if creating:
            doc.created_by = actor.user
            doc.status = OutgoingStatus.DRAFT
        doc.search_text = _search_text(doc.summary, doc.doc_type.name)
        doc.save()
        if recipients is not None:
            doc.internal_recipients.exclude(organisation__in=recipients).delete()
            for org in recipients:
                OutgoingRecipient.objects.get_or_create(document=doc, organisation=org)
        _attach(actor, organisation, stored, outgoing=doc)
        audit.record(
            actor,
            events.OUTGOING_CREATED if creating else events.OUTGOING_UPDATED,
            organisation=organisation,
            obj=doc,
            before=before,
            after={
                **audit.snapshot(doc, OUTGOING_FIELDS),
                "internal_recipients": [o.pk for o in recipients or []],
            },
        )
    return doc


@transaction.atomic(durable=True)
def submit_for_approval(actor: Actor, doc: OutgoingDocument) -> OutgoingDocument:
    def check_signer(locked: OutgoingDocument) -> None:
        if locked.signer is None:
            raise ValidationError({"signer": _("Choose the signer before submitting.")})
        if locked.signer.user_id is None:
            raise ValidationError({"signer": _("The signer has no user account to approve with.")})

    return OUTGOING.apply(actor, doc, "submitted", change=check_signer)


@transaction.atomic(durable=True)
def approve(actor: Actor, doc: OutgoingDocument) -> OutgoingDocument:
    """The signer approves the final text; the clerk then numbers and issues it."""
    return OUTGOING.apply(actor, doc, "approved", approved_by=actor.user, approved_at=timezone.now())


@transaction.atomic(durable=True)
def return_to_draft(actor: Actor, doc: OutgoingDocument) -> OutgoingDocument:
    return OUTGOING.apply(actor, doc, "returned", approved_by=None, approved_at=None)


@transaction.atomic(durable=True)
def issue(actor: Actor, doc: OutgoingDocument, *, issued_on: datetime.date | None = None) -> OutgoingDocument:
    """Number the approved document, date it and deliver it to recipients on this deployment.

    The transition is checked on the locked row before the number is taken from its sequence (locked
    in turn by `numbering.take_outgoing_number`), and taken after it: if anything refuses, the whole
    transaction rolls back with its number, so a number is never lost nor given twice."""
    require(actor, ISSUE)
    organisation = doc.organisation
    issued_on = issued_on or timezone.localdate()
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("The issue date is in the future.")})
    # The document's row is locked first, then its number sequence, as every issue does.
    locked = OutgoingDocument.objects.select_for_update().get(pk=doc.pk)
    if not OUTGOING.allows(actor, locked, "issued"):
        OUTGOING.apply(actor, locked, "issued")  # refused before a number is taken: says why
    try:
        sequence, number = numbering.take_outgoing_number(
            organisation, locked.doc_type, locked.secrecy, issued_on
        )
        issued = OUTGOING.apply(
            actor,
            doc,
            "issued",
            issued_at=timezone.now(),
            issued_by=actor.user,
            **numbering.number_fields(sequence, number, locked.doc_type, organisation, issued_on),
        )
    except IntegrityError as error:
        # The register already holds this number from another sequence: only numbers mixed by a rule
        # switched mid-year before rules were versioned can meet here (docs/architecture.md, numbers).
        raise ValidationError(
            _(
                "This number is already in the register, and a number is never given twice: ask the "
                "administrator to settle the earlier numbering of this register."
            )
        ) from error
    for recipient in issued.internal_recipients.select_related("organisation"):
        recipient.delivered = _deliver(issued, recipient.organisation)
        recipient.save(update_fields=["delivered"])
    return issued


def _deliver(doc: OutgoingDocument, to: Organisation) -> IncomingDocument:
    """Register an issued document in the incoming register of a recipient on this deployment."""
    files = [(a.original_name, read_attachment_bytes(a)) for a in doc.attachments.all()]
    return register_incoming(
        Actor.system_for(to),
        doc_type=doc.doc_type,
        summary=doc.summary,
        sender_name=doc.organisation.name,
        sender_organisation=doc.organisation,
        sender_reference=doc.reference,
        document_date=doc.issued_on or timezone.localdate(),
        secrecy=doc.secrecy,
        urgency=doc.urgency,
        pages=sum(a.pages or 0 for a in doc.attachments.all()) or 1,
        copies=1,
        files=files,
        source_outgoing=doc,
        allow_duplicate=True,
    )


@transaction.atomic(durable=True)
def cancel_outgoing(actor: Actor, doc: OutgoingDocument, *, reason: str) -> OutgoingDocument:
    """Cancel a draft or an issued document. An issued number stays recorded and is never reused."""
    reason = clean(reason)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    return OUTGOING.apply(actor, doc, "cancelled", cancelled_reason=reason)


def start_correction(actor: Actor, doc: OutgoingDocument) -> OutgoingDocument:
    """A correction is a new document (a new number when issued) linked to the one it corrects."""
    require(actor, DRAFT)
    if doc.status != OutgoingStatus.ISSUED:
        raise ValidationError(_("Only an issued document can be corrected."))
    draft = OutgoingDocument(
        doc_type=doc.doc_type,
        summary=doc.summary,
        body=doc.body,
        secrecy=doc.secrecy,
        urgency=doc.urgency,
        signer=doc.signer,
        signing_authority=doc.signing_authority,
        signing_body=doc.signing_body,
        signer_title=doc.signer_title,
        external_recipients=doc.external_recipients,
        keeping_unit=doc.keeping_unit,
        reply_to=doc.reply_to,
        copies=doc.copies,
        replaces=doc,
    )
    return save_draft(
        actor, draft, internal_recipients=[r.organisation for r in doc.internal_recipients.all()]
    )


# -- numbering rule -------------------------------------------------------------------------------

NUMBERING_RULE_FIELDS = ["scheme", "effective_from"]


def _lock_numbering(organisation: Organisation) -> None:
    """Changes of one organisation's numbering rule happen one at a time (its settings row is the lock)."""
    DocumentSettings.objects.get_or_create(organisation=organisation)
    DocumentSettings.objects.select_for_update().get(organisation=organisation)


def change_numbering_rule(actor: Actor, *, scheme: str, effective_from: datetime.date) -> NumberingRule:
    """Adopt a numbering rule from a boundary ahead (`numbering.check_rule_change`): the one way the rule
    changes, for the admin as for any other caller."""
    require(actor, NUMBERING)
    organisation = actor.organisation
    assert organisation is not None
    with transaction.atomic():
        _lock_numbering(organisation)
        numbering.check_rule_change(organisation, scheme, effective_from)
        rule = NumberingRule.objects.create(
            organisation=organisation, scheme=scheme, effective_from=effective_from, created_by=actor.user
        )
        audit.record(
            actor,
            events.NUMBERING_RULE_CREATED,
            organisation=organisation,
            obj=rule,
            after=audit.snapshot(rule, NUMBERING_RULE_FIELDS),
        )
    return rule


def withdraw_numbering_change(actor: Actor, rule: NumberingRule) -> None:
    """Withdraw a planned change before it takes effect; a rule in force has numbered documents and stays."""
    require(actor, NUMBERING)
    if rule.organisation_id != getattr(actor.organisation, "pk", None):
        raise PermissionDenied(_("You do not have permission to do this."))
    with transaction.atomic():
        _lock_numbering(rule.organisation)
        if rule.effective_from <= timezone.localdate():
            raise ValidationError(
                _("This numbering rule is in force: documents are numbered under it, so it stays.")
            )
        audit.record(
            actor,
            events.NUMBERING_RULE_WITHDRAWN,
            organisation=rule.organisation,
            obj=rule,
            before=audit.snapshot(rule, NUMBERING_RULE_FIELDS),
        )
        rule.delete()


# -- attachments ----------------------------------------------------------------------------------


def read_attachment_bytes(attachment: Attachment) -> bytes:
    return attachment.read()


def open_attachment(actor: Actor, attachment: Attachment) -> bytes:
    """Read a file the actor may see (the caller fetched it with access_object); openings of secret
    files are recorded in the audit log."""
    document = attachment.incoming or attachment.outgoing
    assert document is not None
    data = read_attachment_bytes(attachment)
    if document.secrecy > Clearance.NONE:
        audit.record(
            actor,
            events.ATTACHMENT_OPENED,
            organisation=attachment.organisation,
            obj=attachment,
            after={"document": str(document.pk), "sha256": attachment.sha256},
        )
    return data


def read_attachment_ocr_bytes(attachment: Attachment) -> bytes:
    """The searchable PDF/A made by OCR (search.ocr) from a scan; the attachment must have one."""
    if not attachment.ocr_path:
        raise FileNotFoundError(attachment.ocr_path)
    return read_file(
        StoredFile(
            path=attachment.ocr_path,
            sha256=attachment.ocr_sha256,
            size=attachment.ocr_size or 0,
            encrypted=attachment.ocr_encrypted,
            wrapped_key=attachment.ocr_wrapped_key,
            nonce=attachment.ocr_nonce,
        )
    )


def open_attachment_ocr(actor: Actor, attachment: Attachment) -> bytes:
    """Like open_attachment, for the searchable PDF/A of a scan."""
    document = attachment.incoming or attachment.outgoing
    assert document is not None
    data = read_attachment_ocr_bytes(attachment)
    if document.secrecy > Clearance.NONE:
        audit.record(
            actor,
            events.ATTACHMENT_OPENED,
            organisation=attachment.organisation,
            obj=attachment,
            after={"document": str(document.pk), "sha256": attachment.ocr_sha256, "ocr": True},
        )
    return data


def add_attachments(
    actor: Actor,
    files: Iterable[UploadedFile],
    *,
    incoming: IncomingDocument | None = None,
    outgoing: OutgoingDocument | None = None,
) -> list[Attachment]:
    document = incoming or outgoing
    assert document is not None
    if incoming is not None:
        require(actor, REGISTER)
    elif outgoing is not None and outgoing.status != OutgoingStatus.DRAFT:
        raise ValidationError(_("Files can be added to drafts only."))
    else:
        require(actor, DRAFT)
    checked = _validate_files(files)
    if not checked:
        raise ValidationError({"files": _("Choose a file.")})
    with _stored(checked, encrypt=document.secrecy > Clearance.NONE) as stored, transaction.atomic():
        attachments = _attach(actor, document.organisation, stored, incoming=incoming, outgoing=outgoing)
        audit.record(
            actor,
            events.ATTACHMENT_ADDED,
            organisation=document.organisation,
            obj=document,
            after={"files": [a.original_name for a in attachments]},
        )
    return attachments


def signer_choices(organisation: Organisation) -> Any:
    return Person.objects.filter(organisation=organisation, is_active=True, user__isnull=False).order_by(
        "sort_key"
    )


# -- the document in the Party's format -----------------------------------------------------------


def render_input(doc: OutgoingDocument) -> RenderInput:
    """Map an outgoing document to the components of HD 36-HD/VPTW."""
    organisation = doc.organisation
    issued = doc.number is not None
    day = doc.issued_on or timezone.localdate()
    date_part = date_phrase(day) if issued else "ngày     tháng     năm " + str(day.year)
    recipients = [line for line in doc.external_recipients.splitlines() if line.strip()]
    recipients = [
        *(r.organisation.name for r in doc.internal_recipients.select_related("organisation")),
        *recipients,
    ]
    authority = f"{doc.signing_authority} {doc.signing_body}".strip() if doc.signing_authority else ""
    return RenderInput(
        superior_body=organisation.parent_body_name,
        issuing_body=organisation.name.upper(),
        number_line=numbering.number_line(doc),
        place_date_line=f"{organisation.place_name}, {date_part}",
        type_name=doc.doc_type.title,
        summary=doc.summary,
        body=doc.body,
        recipients=recipients,
        signing_authority=authority,
        signer_title=doc.signer_title,
        signer_name=doc.signer.full_name if doc.signer else "",
        secrecy=SECRECY_MARKS[doc.secrecy],
        urgency=URGENCY_MARKS[doc.urgency],
        draft=doc.status in (OutgoingStatus.DRAFT, OutgoingStatus.SUBMITTED),
        copies_note=f"Số bản: {doc.copies:02d}" if doc.copies > 1 else "",
    )


# The marks printed on the document (HD 36-HD/VPTW; Law on State Secrets 29/2018/QH14).
SECRECY_MARKS: dict[int, str] = {
    Clearance.NONE: "",
    Clearance.MAT: "MẬT",
    Clearance.TOI_MAT: "TỐI MẬT",
    Clearance.TUYET_MAT: "TUYỆT MẬT",
}
URGENCY_MARKS: dict[int, str] = {
    Urgency.NORMAL: "",
    Urgency.KHAN: "KHẨN",
    Urgency.THUONG_KHAN: "THƯỢNG KHẨN",
    Urgency.HOA_TOC: "HỎA TỐC",
}


def file_name(doc: OutgoingDocument) -> str:
    """An ASCII file name: `12-NQ-TU` (`12/QĐ-TU` gives `12-QD-TU`) once issued, `du-thao-<id>` before."""
    if doc.reference:
        return fold(doc.reference).replace("/", "-").upper()
    return f"du-thao-{doc.pk}"
