"""Outgoing documents: drafting, sending to the signer, approving, returning, numbering and issuing
(and delivering to recipients on this deployment), cancelling, correcting; the document in the
Party's format (HD 36-HD/VPTW) from its data.

Every function checks permission, validates before writing, writes in one transaction and records
an audit event. The transitions are taken through documents.workflow.OUTGOING on the locked row, in
a durable transaction; saving a draft runs in its caller's transaction too (other apps draft letters).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.access import Actor, require
from vanphong.core.models import Clearance, Organisation
from vanphong.core.text import clean, date_phrase, fold
from vanphong.documents import events, numbering
from vanphong.documents.attachments import (
    UploadedFile,
    attach,
    read_attachment_bytes,
    storing,
    validate_files,
)
from vanphong.documents.incoming import check_common, register_incoming, search_text
from vanphong.documents.models import (
    IncomingDocument,
    OutgoingDocument,
    OutgoingRecipient,
    OutgoingStatus,
    Urgency,
)
from vanphong.documents.permissions import DRAFT, ISSUE
from vanphong.documents.rendering import RenderInput
from vanphong.documents.workflow import (
    OUTGOING,
    OUTGOING_FIELDS,
    may_change_draft,
)
from vanphong.org.models import Person


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
    errors = check_common(actor, doc.doc_type, doc.summary, doc.secrecy, doc.urgency)
    if doc.signer is not None and doc.signer.organisation_id != organisation.pk:
        errors["signer"] = _("The selected item does not exist.")
    recipients = list(internal_recipients) if internal_recipients is not None else None
    if recipients and any(org.pk == organisation.pk for org in recipients):
        errors["internal_recipients"] = _("A document is not sent to its own organisation.")
    if errors:
        raise ValidationError(errors)
    checked = validate_files(files)
    with storing(checked, encrypt=doc.secrecy > Clearance.NONE) as stored, transaction.atomic():
        before = (
            None if creating else audit.snapshot(OutgoingDocument.objects.get(pk=doc.pk), OUTGOING_FIELDS)
        )
        doc.organisation = organisation
        if creating:
            doc.created_by = actor.user
            doc.status = OutgoingStatus.DRAFT
        doc.search_text = search_text(doc.summary, doc.doc_type.name)
        doc.save()
        if recipients is not None:
            doc.internal_recipients.exclude(organisation__in=recipients).delete()
            for org in recipients:
                OutgoingRecipient.objects.get_or_create(document=doc, organisation=org)
        attach(actor, organisation, stored, outgoing=doc)
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
def return_to_draft(actor: Actor, doc: OutgoingDocument, *, reason: str) -> OutgoingDocument:
    """Back to its drafter, with the reason (kept in the document's history)."""
    reason = clean(reason)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for returning it.")})
    return OUTGOING.apply(actor, doc, "returned", approved_by=None, approved_at=None, returned_reason=reason)


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
        addressees=tuple(line.strip() for line in doc.addressees.splitlines() if line.strip()),
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
