"""Outgoing documents through the API: listing, reading, drafting, adding files, sending to the
signer, approving, issuing, cancelling."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from vanphong.core.access import Actor, access_object, visible
from vanphong.core.models import Clearance, Organisation
from vanphong.core.paging import Page, page_of
from vanphong.core.schemas import Input
from vanphong.core.tenancy import actor_of
from vanphong.documents import attachments, outgoing, selectors
from vanphong.documents.api.common import (
    AttachmentOut,
    RegisterFilters,
    criteria_of,
    doc_type_of,
    file_errors,
    read_files,
    router,
    units_of,
    username,
)
from vanphong.documents.models import (
    Attachment,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
    SigningAuthority,
)


class OutgoingOut(Schema):
    id: int
    status: str
    doc_type: str
    summary: str
    secrecy: int
    urgency: int
    copies: int
    number: int | None
    reference: str
    issued_on: datetime.date | None
    signer: str | None  # the signer's username
    created_by: str | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_doc_type(doc: OutgoingDocument) -> str:
        return doc.doc_type.symbol

    @staticmethod
    def resolve_signer(doc: OutgoingDocument) -> str | None:
        return username(doc.signer.user) if doc.signer else None

    @staticmethod
    def resolve_created_by(doc: OutgoingDocument) -> str | None:
        return username(doc.created_by)


class OutgoingDetail(OutgoingOut):
    body: str
    signer_name: str | None
    signing_authority: str
    signing_body: str
    signer_title: str
    addressees: list[str]  # after "Kính gửi:"
    external_recipients: list[str]
    internal_recipients: list[str]  # organisation codes
    keeping_unit: int | None
    reply_to: int | None
    approved_by: str | None
    approved_at: datetime.datetime | None
    cancelled_reason: str
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_signer_name(doc: OutgoingDocument) -> str | None:
        return doc.signer.full_name if doc.signer else None

    @staticmethod
    def resolve_addressees(doc: OutgoingDocument) -> list[str]:
        return [line for line in doc.addressees.splitlines() if line.strip()]

    @staticmethod
    def resolve_external_recipients(doc: OutgoingDocument) -> list[str]:
        return [line for line in doc.external_recipients.splitlines() if line.strip()]

    @staticmethod
    def resolve_internal_recipients(doc: OutgoingDocument) -> list[str]:
        return [r.organisation.code for r in doc.internal_recipients.select_related("organisation")]

    @staticmethod
    def resolve_keeping_unit(doc: OutgoingDocument) -> int | None:
        return doc.keeping_unit_id

    @staticmethod
    def resolve_reply_to(doc: OutgoingDocument) -> int | None:
        return doc.reply_to_id

    @staticmethod
    def resolve_approved_by(doc: OutgoingDocument) -> str | None:
        return username(doc.approved_by)

    @staticmethod
    def resolve_attachments(doc: OutgoingDocument) -> list[Attachment]:
        return list(doc.attachments.all())


class OutgoingFilters(RegisterFilters):
    issued_only: bool = Field(False, description="Only documents that have a number (the register)")


class OutgoingIn(Input):
    doc_type: str = Field(description="Document type symbol, e.g. NQ")
    summary: str
    body: str = ""
    secrecy: int = Clearance.NONE
    urgency: int = 0
    copies: int = Field(1, ge=1, le=10000)
    signer: str | None = Field(None, description="Username of the signer")
    signing_authority: str = Field("", description="'', T/M, K/T, T/L or T/UQ")
    signing_body: str = Field("", max_length=100)
    signer_title: str = Field("", max_length=100)
    addressees: list[str] = Field([], description="Whom a letter is addressed to, after 'Kính gửi:'")
    external_recipients: list[str] = []
    internal_recipients: list[str] = Field([], description="Codes of organisations on this system")
    keeping_unit: int | None = None
    reply_to: int | None = Field(None, description="Id of the incoming document it answers")


class IssueIn(Input):
    issued_on: datetime.date | None = None


class CancelIn(Input):
    reason: str = Field(max_length=255)


def _outgoing_detail(actor: Actor, pk: int) -> OutgoingDocument:
    doc = access_object(
        actor,
        OutgoingDocument.objects.select_related("doc_type", "signer__user", "created_by", "approved_by"),
        pk,
    )
    return doc


@router.get("/outgoing", response=Page[OutgoingOut], url_name="outgoing_list")
def outgoing_list(request: HttpRequest, filters: Query[OutgoingFilters]) -> Page[OutgoingOut]:
    """Outgoing documents the token's user may see: the issued register, or drafts too."""
    actor = actor_of(request)
    docs = selectors.outgoing_register(
        actor, criteria_of(filters, OutgoingStatus.values), issued_only=filters.issued_only
    ).select_related("created_by", "signer__user")
    return page_of(docs, filters, lambda doc: doc)


@router.get("/outgoing/{pk}", response=OutgoingDetail, url_name="outgoing_detail")
def outgoing_detail(request: HttpRequest, pk: int) -> OutgoingDocument:
    return _outgoing_detail(actor_of(request), pk)


@router.post("/outgoing", response={201: OutgoingDetail}, url_name="outgoing_create")
def outgoing_create(request: HttpRequest, payload: OutgoingIn) -> Status[OutgoingDocument]:
    """Create a draft. The signer (a member with a user account) approves it before it is issued."""
    actor = actor_of(request)
    errors: dict[str, str] = {}
    if payload.signing_authority not in SigningAuthority.values:
        errors["signing_authority"] = _("Unknown signing authority.")
    organisation = actor.organisation
    assert organisation is not None  # a token always acts in one organisation
    signer = None
    if payload.signer:
        signer = outgoing.signer_choices(organisation).filter(user__username=payload.signer).first()
        if signer is None:
            errors["signer"] = _("The selected item does not exist.")
    reply_to = None
    if payload.reply_to is not None:
        reply_to = (
            visible(actor, IncomingDocument)
            .exclude(status=IncomingStatus.CANCELLED)
            .filter(pk=payload.reply_to)
            .first()
        )
        if reply_to is None:
            errors["reply_to"] = _("The selected item does not exist.")
    recipients = list(
        Organisation.objects.filter(code__in=payload.internal_recipients, active_until__isnull=True)
    )
    if len(recipients) != len(set(payload.internal_recipients)):
        errors["internal_recipients"] = _("The selected item does not exist.")
    if errors:
        raise ValidationError(errors)
    keeping = units_of(actor, [payload.keeping_unit], "keeping_unit")
    doc = OutgoingDocument(
        doc_type=doc_type_of(payload.doc_type),
        summary=payload.summary,
        body=payload.body,
        secrecy=payload.secrecy,
        urgency=payload.urgency,
        copies=payload.copies,
        signer=signer,
        signing_authority=payload.signing_authority,
        signing_body=payload.signing_body,
        signer_title=payload.signer_title,
        addressees="\n".join(payload.addressees),
        external_recipients="\n".join(payload.external_recipients),
        keeping_unit=keeping[0] if keeping else None,
        reply_to=reply_to,
    )
    doc = outgoing.save_draft(actor, doc, internal_recipients=recipients)
    return Status(201, _outgoing_detail(actor, doc.pk))


@router.post("/outgoing/{pk}/attachments", response={201: list[AttachmentOut]}, url_name="outgoing_attach")
def outgoing_attach(
    request: HttpRequest, pk: int, files: File[list[UploadedFile]]
) -> Status[list[Attachment]]:
    """Add files to a draft (multipart field `files`)."""
    actor = actor_of(request)
    doc = access_object(actor, OutgoingDocument, pk)
    try:
        added = attachments.add_attachments(actor, read_files(files), outgoing=doc)
    except ValidationError as error:
        raise file_errors(error) from error
    return Status(201, added)


@router.post("/outgoing/{pk}/submit", response=OutgoingDetail, url_name="outgoing_submit")
def outgoing_submit(request: HttpRequest, pk: int) -> OutgoingDocument:
    """Send the draft to its signer for approval."""
    actor = actor_of(request)
    outgoing.submit_for_approval(actor, access_object(actor, OutgoingDocument, pk))
    return _outgoing_detail(actor, pk)


@router.post("/outgoing/{pk}/approve", response=OutgoingDetail, url_name="outgoing_approve")
def outgoing_approve(request: HttpRequest, pk: int) -> OutgoingDocument:
    """The signer approves the final text."""
    actor = actor_of(request)
    outgoing.approve(actor, access_object(actor, OutgoingDocument, pk))
    return _outgoing_detail(actor, pk)


@router.post("/outgoing/{pk}/issue", response=OutgoingDetail, url_name="outgoing_issue")
def outgoing_issue(request: HttpRequest, pk: int, payload: IssueIn | None = None) -> OutgoingDocument:
    """Number, date and issue an approved document (the office); `reference` is its number and symbol."""
    actor = actor_of(request)
    doc = access_object(actor, OutgoingDocument, pk)
    outgoing.issue(actor, doc, issued_on=payload.issued_on if payload else None)
    return _outgoing_detail(actor, pk)


@router.post("/outgoing/{pk}/cancel", response=OutgoingDetail, url_name="outgoing_cancel")
def outgoing_cancel(request: HttpRequest, pk: int, payload: CancelIn) -> OutgoingDocument:
    """Cancel a draft or an issued document; an issued number stays recorded and is never reused."""
    actor = actor_of(request)
    outgoing.cancel_outgoing(actor, access_object(actor, OutgoingDocument, pk), reason=payload.reason)
    return _outgoing_detail(actor, pk)
