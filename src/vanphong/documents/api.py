"""The documents part of the JSON API: incoming and outgoing registers, routing, drafts, attachments.

Every handler acts as the token's actor (`actor_of(request)`), reads through `visible`/`access_object`
(or the selectors built on them) and writes only through the services (`documents.incoming`,
`documents.outgoing`, `documents.attachments`), so the API obeys exactly the permissions, validation
and audit of the web interface.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from vanphong.accounts.models import User
from vanphong.core.access import Actor, access_object, visible
from vanphong.core.deadlines import MAX_WORKING_DAYS
from vanphong.core.downloads import stored_file_response
from vanphong.core.models import Clearance, Organisation
from vanphong.core.paging import Page, Paging, page_of
from vanphong.core.schemas import Input
from vanphong.core.tenancy import actor_of
from vanphong.documents import attachments, incoming, outgoing, selectors
from vanphong.documents.models import (
    Attachment,
    DocumentType,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
    Routing,
    SigningAuthority,
)
from vanphong.org.models import Unit

router = Router(tags=["documents"])


# -- schemas --------------------------------------------------------------------------------------


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    pages: int | None
    sha256: str
    download_url: str


class AssignmentOut(Schema):
    role: str
    unit_id: int | None
    unit: str | None
    user: str | None  # username


class RoutingOut(Schema):
    instruction: str
    deadline: datetime.date | None
    routed_by: str | None
    routed_at: datetime.datetime
    assignments: list[AssignmentOut]


class IncomingOut(Schema):
    id: int
    arrival_number: int
    arrival_year: int
    arrived_at: datetime.datetime
    doc_type: str
    summary: str
    sender_name: str
    sender_reference: str
    document_date: datetime.date
    secrecy: int
    urgency: int
    pages: int
    copies: int
    status: str
    deadline: datetime.date | None
    deadline_state: str


class IncomingDetail(IncomingOut):
    cancelled_reason: str
    routing: RoutingOut | None
    attachments: list[AttachmentOut]


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


class OutgoingDetail(OutgoingOut):
    body: str
    signer_name: str | None
    signing_authority: str
    signing_body: str
    signer_title: str
    external_recipients: list[str]
    internal_recipients: list[str]  # organisation codes
    keeping_unit: int | None
    reply_to: int | None
    approved_by: str | None
    approved_at: datetime.datetime | None
    cancelled_reason: str
    attachments: list[AttachmentOut]


class RegisterFilters(Paging):
    year: int | None = Field(None, ge=1945, le=2100)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    doc_type: str = Field("", description="Document type symbol, e.g. NQ")
    secrecy: int | None = None
    status: str = ""
    q: str = Field("", description="Words of the summary (without diacritics is fine)")


class IncomingFilters(RegisterFilters):
    sender: str = ""


class OutgoingFilters(RegisterFilters):
    issued_only: bool = Field(False, description="Only documents that have a number (the register)")


class IncomingIn(Input):
    doc_type: str = Field(description="Document type symbol, e.g. CV")
    summary: str
    sender_name: str = Field(max_length=255)
    sender_reference: str = Field("", max_length=100)
    document_date: datetime.date
    arrived_at: datetime.datetime | None = None
    secrecy: int = Clearance.NONE
    urgency: int = 0
    pages: int = Field(1, le=10000)
    copies: int = Field(1, ge=1, le=10000)
    allow_duplicate: bool = False


class RouteIn(Input):
    instruction: str
    lead_unit: int | None = None
    lead_user: str | None = Field(None, description="Username")
    support_units: list[int] = []
    support_users: list[str] = []
    inform_units: list[int] = []
    inform_users: list[str] = []
    deadline: datetime.date | None = None
    deadline_days: int | None = Field(None, ge=1, le=MAX_WORKING_DAYS)


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
    external_recipients: list[str] = []
    internal_recipients: list[str] = Field([], description="Codes of organisations on this system")
    keeping_unit: int | None = None
    reply_to: int | None = Field(None, description="Id of the incoming document it answers")


class IssueIn(Input):
    issued_on: datetime.date | None = None


class CancelIn(Input):
    reason: str = Field(max_length=255)


# -- lookups (reads; an unknown value is a 422 on its field) --------------------------------------


def _doc_type(symbol: str, field: str = "doc_type") -> DocumentType:
    doc_type = DocumentType.objects.filter(symbol=symbol.strip()).first()
    if doc_type is None:
        raise ValidationError({field: _("Unknown document type “%(symbol)s”.") % {"symbol": symbol}})
    return doc_type


def _units(actor: Actor, ids: Iterable[int | None], field: str) -> list[Unit]:
    wanted = {pk for pk in ids if pk is not None}
    found = list(visible(actor, Unit).filter(is_active=True, pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({field: _("The selected item does not exist.")})
    return found


def _users(actor: Actor, usernames: Iterable[str | None], field: str) -> list[User]:
    wanted = {name for name in usernames if name}
    found = list(
        User.objects.filter(
            username__in=wanted, memberships__organisation=actor.organisation, memberships__is_active=True
        )
    )
    missing = wanted - {user.username for user in found}
    if missing:
        raise ValidationError(
            {
                field: _("No member of this organisation has the username %(names)s.")
                % {"names": ", ".join(sorted(missing))}
            }
        )
    return found


def _aware(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)  # a time without a zone is the office's local time
    return value


def _criteria(filters: RegisterFilters, statuses: Sequence[str], **extra: Any) -> selectors.RegisterFilter:
    errors: dict[str, str] = {}
    doc_type = None
    if filters.doc_type:
        try:
            doc_type = _doc_type(filters.doc_type)
        except ValidationError as error:
            errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    if filters.secrecy is not None and filters.secrecy not in Clearance.values:
        errors["secrecy"] = _("Unknown secrecy level.")
    if filters.status and filters.status not in statuses:
        errors["status"] = _("Unknown status.")
    if errors:
        raise ValidationError(errors)
    return selectors.RegisterFilter(
        year=filters.year,
        date_from=filters.date_from,
        date_to=filters.date_to,
        doc_type=doc_type,
        secrecy=filters.secrecy,
        status=filters.status,
        text=filters.q,
        **extra,
    )


def _file_errors(error: ValidationError) -> ValidationError:
    """An upload's problem belongs to the `files` field."""
    return error if hasattr(error, "error_dict") else ValidationError({"files": error.messages})


def _read(files: list[UploadedFile]) -> list[tuple[str, bytes]]:
    return [(file.name or "file", file.read()) for file in files]


# -- output ---------------------------------------------------------------------------------------


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def _attachments(request: HttpRequest, attachments: Iterable[Attachment]) -> list[AttachmentOut]:
    return [
        AttachmentOut(
            id=a.pk,
            name=a.original_name,
            content_type=a.content_type,
            size=a.size,
            pages=a.pages,
            sha256=a.sha256,
            download_url=request.build_absolute_uri(reverse("api:attachment_download", kwargs={"pk": a.pk})),
        )
        for a in attachments
    ]


def _incoming(doc: IncomingDocument) -> dict[str, Any]:
    return {
        "id": doc.pk,
        "arrival_number": doc.arrival_number,
        "arrival_year": doc.arrival_year,
        "arrived_at": doc.arrived_at,
        "doc_type": doc.doc_type.symbol,
        "summary": doc.summary,
        "sender_name": doc.sender_name,
        "sender_reference": doc.sender_reference,
        "document_date": doc.document_date,
        "secrecy": doc.secrecy,
        "urgency": doc.urgency,
        "pages": doc.pages,
        "copies": doc.copies,
        "status": doc.status,
        "deadline": doc.deadline,
        "deadline_state": getattr(doc, "deadline_state", ""),
    }


def _routing(routing: Routing | None) -> RoutingOut | None:
    if routing is None:
        return None
    return RoutingOut(
        instruction=routing.instruction,
        deadline=routing.deadline,
        routed_by=_username(routing.routed_by),
        routed_at=routing.routed_at,
        assignments=[
            AssignmentOut(
                role=a.role,
                unit_id=a.unit_id,
                unit=a.unit.name if a.unit else None,
                user=_username(a.user),
            )
            for a in routing.assignments.all()
        ],
    )


def _incoming_detail(request: HttpRequest, actor: Actor, pk: int) -> IncomingDetail:
    doc = access_object(
        actor,
        selectors.with_deadline_state(actor, IncomingDocument.objects.select_related("doc_type")),
        pk,
    )
    routing = doc.routings.select_related("routed_by").prefetch_related(
        "assignments__unit", "assignments__user"
    )
    return IncomingDetail(
        **_incoming(doc),
        cancelled_reason=doc.cancelled_reason,
        routing=_routing(routing.first()),
        attachments=_attachments(request, doc.attachments.filter(note__isnull=True)),
    )


def _outgoing(doc: OutgoingDocument) -> dict[str, Any]:
    return {
        "id": doc.pk,
        "status": doc.status,
        "doc_type": doc.doc_type.symbol,
        "summary": doc.summary,
        "secrecy": doc.secrecy,
        "urgency": doc.urgency,
        "copies": doc.copies,
        "number": doc.number,
        "reference": doc.reference,
        "issued_on": doc.issued_on,
        "signer": _username(doc.signer.user) if doc.signer else None,
        "created_by": _username(doc.created_by),
        "updated_at": doc.updated_at,
    }


def _outgoing_detail(request: HttpRequest, actor: Actor, pk: int) -> OutgoingDetail:
    doc = access_object(
        actor,
        OutgoingDocument.objects.select_related("doc_type", "signer__user", "created_by", "approved_by"),
        pk,
    )
    return OutgoingDetail(
        **_outgoing(doc),
        body=doc.body,
        signer_name=doc.signer.full_name if doc.signer else None,
        signing_authority=doc.signing_authority,
        signing_body=doc.signing_body,
        signer_title=doc.signer_title,
        external_recipients=[line for line in doc.external_recipients.splitlines() if line.strip()],
        internal_recipients=[
            r.organisation.code for r in doc.internal_recipients.select_related("organisation")
        ],
        keeping_unit=doc.keeping_unit_id,
        reply_to=doc.reply_to_id,
        approved_by=_username(doc.approved_by),
        approved_at=doc.approved_at,
        cancelled_reason=doc.cancelled_reason,
        attachments=_attachments(request, doc.attachments.all()),
    )


# -- incoming -------------------------------------------------------------------------------------


@router.get("/incoming", response=Page[IncomingOut], url_name="incoming_list")
def incoming_list(request: HttpRequest, filters: Query[IncomingFilters]) -> Page[IncomingOut]:
    """The incoming register, as far as the token's user may see it, newest first."""
    actor = actor_of(request)
    criteria = _criteria(filters, IncomingStatus.values, sender=filters.sender)
    docs = selectors.incoming_register(actor, criteria)
    return page_of(docs, filters, lambda doc: IncomingOut(**_incoming(doc)))


@router.get("/incoming/{pk}", response=IncomingDetail, url_name="incoming_detail")
def incoming_detail(request: HttpRequest, pk: int) -> IncomingDetail:
    return _incoming_detail(request, actor_of(request), pk)


@router.post("/incoming", response={201: IncomingDetail}, url_name="incoming_register")
def incoming_register(request: HttpRequest, payload: IncomingIn) -> Status[IncomingDetail]:
    """Register an incoming document (its number is taken from the register). Files: add them after."""
    actor = actor_of(request)
    doc = incoming.register_incoming(
        actor,
        doc_type=_doc_type(payload.doc_type),
        summary=payload.summary,
        sender_name=payload.sender_name,
        sender_reference=payload.sender_reference,
        document_date=payload.document_date,
        arrived_at=_aware(payload.arrived_at),
        secrecy=payload.secrecy,
        urgency=payload.urgency,
        pages=payload.pages,
        copies=payload.copies,
        allow_duplicate=payload.allow_duplicate,
    )
    return Status(201, _incoming_detail(request, actor, doc.pk))


@router.post("/incoming/{pk}/route", response=IncomingDetail, url_name="incoming_route")
def incoming_route(request: HttpRequest, pk: int, payload: RouteIn) -> IncomingDetail:
    """Write the routing note: lead unit or person, supporting and informed ones, deadline."""
    actor = actor_of(request)
    doc = access_object(actor, IncomingDocument, pk)
    lead_units = _units(actor, [payload.lead_unit], "lead_unit")
    lead_users = _users(actor, [payload.lead_user], "lead_user")
    incoming.route_incoming(
        actor,
        doc,
        instruction=payload.instruction,
        lead_unit=lead_units[0] if lead_units else None,
        lead_user=lead_users[0] if lead_users else None,
        support_units=_units(actor, payload.support_units, "support_units"),
        support_users=_users(actor, payload.support_users, "support_users"),
        inform_units=_units(actor, payload.inform_units, "inform_units"),
        inform_users=_users(actor, payload.inform_users, "inform_users"),
        deadline=payload.deadline,
        deadline_days=payload.deadline_days,
    )
    return _incoming_detail(request, actor, doc.pk)


@router.post("/incoming/{pk}/attachments", response={201: list[AttachmentOut]}, url_name="incoming_attach")
def incoming_attach(
    request: HttpRequest, pk: int, files: File[list[UploadedFile]]
) -> Status[list[AttachmentOut]]:
    """Add files (multipart field `files`: PDF, DOCX, PNG, JPEG or TIFF, checked by content)."""
    actor = actor_of(request)
    doc = access_object(actor, IncomingDocument, pk)
    try:
        added = attachments.add_attachments(actor, _read(files), incoming=doc)
    except ValidationError as error:
        raise _file_errors(error) from error
    return Status(201, _attachments(request, added))


# -- outgoing -------------------------------------------------------------------------------------


@router.get("/outgoing", response=Page[OutgoingOut], url_name="outgoing_list")
def outgoing_list(request: HttpRequest, filters: Query[OutgoingFilters]) -> Page[OutgoingOut]:
    """Outgoing documents the token's user may see: the issued register, or drafts too."""
    actor = actor_of(request)
    docs = selectors.outgoing_register(
        actor, _criteria(filters, OutgoingStatus.values), issued_only=filters.issued_only
    ).select_related("created_by", "signer__user")
    return page_of(docs, filters, lambda doc: OutgoingOut(**_outgoing(doc)))


@router.get("/outgoing/{pk}", response=OutgoingDetail, url_name="outgoing_detail")
def outgoing_detail(request: HttpRequest, pk: int) -> OutgoingDetail:
    return _outgoing_detail(request, actor_of(request), pk)


@router.post("/outgoing", response={201: OutgoingDetail}, url_name="outgoing_create")
def outgoing_create(request: HttpRequest, payload: OutgoingIn) -> Status[OutgoingDetail]:
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
    keeping = _units(actor, [payload.keeping_unit], "keeping_unit")
    doc = OutgoingDocument(
        doc_type=_doc_type(payload.doc_type),
        summary=payload.summary,
        body=payload.body,
        secrecy=payload.secrecy,
        urgency=payload.urgency,
        copies=payload.copies,
        signer=signer,
        signing_authority=payload.signing_authority,
        signing_body=payload.signing_body,
        signer_title=payload.signer_title,
        external_recipients="\n".join(payload.external_recipients),
        keeping_unit=keeping[0] if keeping else None,
        reply_to=reply_to,
    )
    doc = outgoing.save_draft(actor, doc, internal_recipients=recipients)
    return Status(201, _outgoing_detail(request, actor, doc.pk))


@router.post("/outgoing/{pk}/attachments", response={201: list[AttachmentOut]}, url_name="outgoing_attach")
def outgoing_attach(
    request: HttpRequest, pk: int, files: File[list[UploadedFile]]
) -> Status[list[AttachmentOut]]:
    """Add files to a draft (multipart field `files`)."""
    actor = actor_of(request)
    doc = access_object(actor, OutgoingDocument, pk)
    try:
        added = attachments.add_attachments(actor, _read(files), outgoing=doc)
    except ValidationError as error:
        raise _file_errors(error) from error
    return Status(201, _attachments(request, added))


@router.post("/outgoing/{pk}/submit", response=OutgoingDetail, url_name="outgoing_submit")
def outgoing_submit(request: HttpRequest, pk: int) -> OutgoingDetail:
    """Send the draft to its signer for approval."""
    actor = actor_of(request)
    outgoing.submit_for_approval(actor, access_object(actor, OutgoingDocument, pk))
    return _outgoing_detail(request, actor, pk)


@router.post("/outgoing/{pk}/approve", response=OutgoingDetail, url_name="outgoing_approve")
def outgoing_approve(request: HttpRequest, pk: int) -> OutgoingDetail:
    """The signer approves the final text."""
    actor = actor_of(request)
    outgoing.approve(actor, access_object(actor, OutgoingDocument, pk))
    return _outgoing_detail(request, actor, pk)


@router.post("/outgoing/{pk}/issue", response=OutgoingDetail, url_name="outgoing_issue")
def outgoing_issue(request: HttpRequest, pk: int, payload: IssueIn | None = None) -> OutgoingDetail:
    """Number, date and issue an approved document (the office); `reference` is its number and symbol."""
    actor = actor_of(request)
    doc = access_object(actor, OutgoingDocument, pk)
    outgoing.issue(actor, doc, issued_on=payload.issued_on if payload else None)
    return _outgoing_detail(request, actor, pk)


@router.post("/outgoing/{pk}/cancel", response=OutgoingDetail, url_name="outgoing_cancel")
def outgoing_cancel(request: HttpRequest, pk: int, payload: CancelIn) -> OutgoingDetail:
    """Cancel a draft or an issued document; an issued number stays recorded and is never reused."""
    actor = actor_of(request)
    outgoing.cancel_outgoing(actor, access_object(actor, OutgoingDocument, pk), reason=payload.reason)
    return _outgoing_detail(request, actor, pk)


# -- attachments ----------------------------------------------------------------------------------


FILE_RESPONSE = {
    "responses": {
        200: {
            "description": "The file, with its content type (PDF, DOCX or an image)",
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get("/attachments/{pk}", url_name="attachment_download", openapi_extra=FILE_RESPONSE)
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file's bytes. Opening a file of a secret document is recorded in the audit log."""
    actor = actor_of(request)
    attachment = access_object(actor, Attachment.objects.select_related("incoming", "outgoing"), pk)
    return stored_file_response(attachment, attachments.open_attachment(actor, attachment), download=True)
