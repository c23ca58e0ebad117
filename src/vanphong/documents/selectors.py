"""Reads of the văn thư: registers, inbox and deadline states, always through the access policies."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from vanphong.core.access import Actor, visible
from vanphong.core.bounds import query_words
from vanphong.core.deadlines import DeadlineState, deadline_state, due_soon_until
from vanphong.core.text import fold
from vanphong.documents.models import (
    Assignment,
    DocumentType,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
)
from vanphong.documents.numbering import document_settings
from vanphong.documents.permissions import REGISTER, ROUTE
from vanphong.org.selectors import user_units

OPEN_STATUSES = (IncomingStatus.REGISTERED, IncomingStatus.ROUTED)


def with_deadline_state(
    actor: Actor, queryset: QuerySet[IncomingDocument], today: datetime.date | None = None
) -> QuerySet[IncomingDocument]:
    """Annotate `deadline_state`: overdue, due soon (within the organisation's N working days) or on time."""
    today = today or timezone.localdate()
    assert actor.organisation is not None
    soon = due_soon_until(
        actor.organisation, today, document_settings(actor.organisation).due_soon_working_days
    )
    return queryset.annotate(
        deadline_state=deadline_state("deadline", today, soon, Q(status__in=OPEN_STATUSES))
    )


@dataclass(frozen=True)
class RegisterFilter:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    year: int | None = None
    doc_type: DocumentType | None = None
    sender: str = ""
    secrecy: int | None = None
    status: str = ""
    text: str = ""


def _day_start(day: datetime.date) -> datetime.datetime:
    """Midnight of a day in the office's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _text_filters(queryset: QuerySet[Any], text: str) -> QuerySet[Any]:
    for word in query_words(fold(text)):
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def incoming_register(actor: Actor, f: RegisterFilter) -> QuerySet[IncomingDocument]:
    docs = visible(actor, IncomingDocument).select_related("doc_type")
    if f.year:
        docs = docs.filter(arrival_year=f.year)
    # A range on the column itself (not arrived_at__date), so the index on arrival time serves it.
    if f.date_from:
        docs = docs.filter(arrived_at__gte=_day_start(f.date_from))
    if f.date_to:
        docs = docs.filter(arrived_at__lt=_day_start(f.date_to + datetime.timedelta(days=1)))
    if f.doc_type:
        docs = docs.filter(doc_type=f.doc_type)
    if f.secrecy is not None:
        docs = docs.filter(secrecy=f.secrecy)
    if f.status:
        docs = docs.filter(status=f.status)
    for word in query_words(fold(f.sender)):
        docs = docs.filter(search_text__contains=word)
    docs = _text_filters(docs, f.text)
    return with_deadline_state(actor, docs).order_by("-arrival_year", "-arrival_number")


def outgoing_register(
    actor: Actor, f: RegisterFilter, issued_only: bool = True
) -> QuerySet[OutgoingDocument]:
    docs = visible(actor, OutgoingDocument).select_related("doc_type", "signer", "keeping_unit")
    if issued_only:
        docs = docs.filter(number__isnull=False)
    if f.year:
        docs = docs.filter(issued_on__year=f.year)
    if f.date_from:
        docs = docs.filter(issued_on__gte=f.date_from)
    if f.date_to:
        docs = docs.filter(issued_on__lte=f.date_to)
    if f.doc_type:
        docs = docs.filter(doc_type=f.doc_type)
    if f.secrecy is not None:
        docs = docs.filter(secrecy=f.secrecy)
    if f.status:
        docs = docs.filter(status=f.status)
    docs = _text_filters(docs, f.text)
    return docs.order_by("-issued_on", "-number", "-id") if issued_only else docs.order_by("-updated_at")


def drafts(actor: Actor) -> QuerySet[OutgoingDocument]:
    """Documents not yet issued that the actor drafted, signs, or (office) must number."""
    docs = visible(actor, OutgoingDocument).filter(
        status__in=[OutgoingStatus.DRAFT, OutgoingStatus.SUBMITTED, OutgoingStatus.APPROVED]
    )
    if not actor.has_perm(REGISTER):
        docs = docs.filter(Q(created_by=actor.user) | Q(signer__user=actor.user))
    return docs.select_related("doc_type", "signer").order_by("-urgency", "-updated_at")


def inbox(actor: Actor) -> QuerySet[IncomingDocument]:
    """Open documents waiting for the actor: those they are named on (in person or through their
    unit); the office follows every open document. Urgent first, then by deadline."""
    docs = visible(actor, IncomingDocument).filter(status__in=OPEN_STATUSES).select_related("doc_type")
    if not (actor.has_perm(ROUTE) or actor.has_perm(REGISTER)):
        named = Assignment.objects.filter(routing__document=OuterRef("pk")).filter(
            Q(user=actor.user) | Q(unit__in=user_units(actor))
        )
        docs = docs.filter(Exists(named))
    return with_deadline_state(actor, docs).order_by(
        "-urgency", F("deadline").asc(nulls_last=True), "-arrived_at"
    )


def followup_register(actor: Actor, f: RegisterFilter) -> QuerySet[IncomingDocument]:
    """Sổ theo dõi giải quyết văn bản đến: documents routed with a deadline (ND 30/2020, appendix IV)."""
    docs = incoming_register(actor, f).filter(routings__isnull=False).distinct()
    return docs.select_related("reply").order_by("-arrival_year", "-arrival_number")


def counts_by_deadline(docs: QuerySet[IncomingDocument]) -> dict[str, int]:
    """Overdue and due-soon counts of a queryset annotated by `with_deadline_state` (one query)."""
    return docs.aggregate(
        overdue=Count("pk", filter=Q(deadline_state=DeadlineState.OVERDUE)),
        due_soon=Count("pk", filter=Q(deadline_state=DeadlineState.DUE_SOON)),
    )
