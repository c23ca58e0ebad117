"""The incoming register through the API: listing, reading, registering, routing, adding files."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import File, Query, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from vanphong.core.access import Actor, access_object
from vanphong.core.deadlines import MAX_WORKING_DAYS
from vanphong.core.models import Clearance
from vanphong.core.paging import Page, page_of
from vanphong.core.schemas import Input
from vanphong.core.tenancy import actor_of
from vanphong.documents import attachments, incoming, selectors
from vanphong.documents.api.common import (
    AttachmentOut,
    RegisterFilters,
    aware,
    criteria_of,
    doc_type_of,
    file_errors,
    read_files,
    router,
    units_of,
    username,
    users_of,
)
from vanphong.documents.models import (
    Assignment,
    Attachment,
    IncomingDocument,
    IncomingStatus,
    Routing,
)


class AssignmentOut(Schema):
    role: str
    unit_id: int | None
    unit: str | None
    user: str | None  # username

    @staticmethod
    def resolve_unit(assignment: Assignment) -> str | None:
        return assignment.unit.name if assignment.unit else None

    @staticmethod
    def resolve_user(assignment: Assignment) -> str | None:
        return username(assignment.user)


class RoutingOut(Schema):
    instruction: str
    deadline: datetime.date | None
    routed_by: str | None
    routed_at: datetime.datetime
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_routed_by(routing: Routing) -> str | None:
        return username(routing.routed_by)

    @staticmethod
    def resolve_assignments(routing: Routing) -> list[Assignment]:
        return list(routing.assignments.all())


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
    deadline_state: str = ""  # with the deadline states (selectors.with_deadline_state)

    @staticmethod
    def resolve_doc_type(doc: IncomingDocument) -> str:
        return doc.doc_type.symbol


class IncomingDetail(IncomingOut):
    cancelled_reason: str
    routing: RoutingOut | None
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_routing(doc: IncomingDocument) -> Routing | None:
        routings = doc.routings.select_related("routed_by")
        return routings.prefetch_related("assignments__unit", "assignments__user").first()

    @staticmethod
    def resolve_attachments(doc: IncomingDocument) -> list[Attachment]:
        return list(doc.attachments.filter(note__isnull=True))


class IncomingFilters(RegisterFilters):
    sender: str = ""


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


def _incoming_detail(actor: Actor, pk: int) -> IncomingDocument:
    doc = access_object(
        actor,
        selectors.with_deadline_state(actor, IncomingDocument.objects.select_related("doc_type")),
        pk,
    )
    return doc


@router.get("/incoming", response=Page[IncomingOut], url_name="incoming_list")
def incoming_list(request: HttpRequest, filters: Query[IncomingFilters]) -> Page[IncomingOut]:
    """The incoming register, as far as the token's user may see it, newest first."""
    actor = actor_of(request)
    criteria = criteria_of(filters, IncomingStatus.values, sender=filters.sender)
    docs = selectors.incoming_register(actor, criteria)
    return page_of(docs, filters, lambda doc: doc)


@router.get("/incoming/{pk}", response=IncomingDetail, url_name="incoming_detail")
def incoming_detail(request: HttpRequest, pk: int) -> IncomingDocument:
    return _incoming_detail(actor_of(request), pk)


@router.post("/incoming", response={201: IncomingDetail}, url_name="incoming_register")
def incoming_register(request: HttpRequest, payload: IncomingIn) -> Status[IncomingDocument]:
    """Register an incoming document (its number is taken from the register). Files: add them after."""
    actor = actor_of(request)
    doc = incoming.register_incoming(
        actor,
        doc_type=doc_type_of(payload.doc_type),
        summary=payload.summary,
        sender_name=payload.sender_name,
        sender_reference=payload.sender_reference,
        document_date=payload.document_date,
        arrived_at=aware(payload.arrived_at),
        secrecy=payload.secrecy,
        urgency=payload.urgency,
        pages=payload.pages,
        copies=payload.copies,
        allow_duplicate=payload.allow_duplicate,
    )
    return Status(201, _incoming_detail(actor, doc.pk))


@router.post("/incoming/{pk}/route", response=IncomingDetail, url_name="incoming_route")
def incoming_route(request: HttpRequest, pk: int, payload: RouteIn) -> IncomingDocument:
    """Write the routing note: lead unit or person, supporting and informed ones, deadline."""
    actor = actor_of(request)
    doc = access_object(actor, IncomingDocument, pk)
    lead_units = units_of(actor, [payload.lead_unit], "lead_unit")
    lead_users = users_of(actor, [payload.lead_user], "lead_user")
    incoming.route_incoming(
        actor,
        doc,
        instruction=payload.instruction,
        lead_unit=lead_units[0] if lead_units else None,
        lead_user=lead_users[0] if lead_users else None,
        support_units=units_of(actor, payload.support_units, "support_units"),
        support_users=users_of(actor, payload.support_users, "support_users"),
        inform_units=units_of(actor, payload.inform_units, "inform_units"),
        inform_users=users_of(actor, payload.inform_users, "inform_users"),
        deadline=payload.deadline,
        deadline_days=payload.deadline_days,
    )
    return _incoming_detail(actor, doc.pk)


@router.post("/incoming/{pk}/attachments", response={201: list[AttachmentOut]}, url_name="incoming_attach")
def incoming_attach(
    request: HttpRequest, pk: int, files: File[list[UploadedFile]]
) -> Status[list[Attachment]]:
    """Add files (multipart field `files`: PDF, DOCX, PNG, JPEG or TIFF, checked by content)."""
    actor = actor_of(request)
    doc = access_object(actor, IncomingDocument, pk)
    try:
        added = attachments.add_attachments(actor, read_files(files), incoming=doc)
    except ValidationError as error:
        raise file_errors(error) from error
    return Status(201, added)
