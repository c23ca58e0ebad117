"""What waits for an actor in the văn thư (core.worklist): documents to route, to handle, to approve,
to number and issue, and drafts returned to their drafter."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from vanphong.core.access import Actor, visible
from vanphong.core.worklist import WorkItem
from vanphong.documents.models import (
    Assignment,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
)
from vanphong.documents.permissions import ISSUE, ROUTE
from vanphong.org.selectors import user_units

LIMIT = 50  # of each kind: the registers hold the rest


def _incoming(doc: IncomingDocument, action: str) -> WorkItem:
    return WorkItem(
        kind=_("Incoming document"),
        title=f"{doc.arrival_number}/{doc.arrival_year} · {doc.sender_name} · {doc.summary}",
        action=action,
        url=reverse("documents:incoming", args=[doc.pk]),
        due=doc.deadline,
        urgent=bool(doc.urgency),
    )


def _outgoing(doc: OutgoingDocument, action: str) -> WorkItem:
    return WorkItem(
        kind=_("Outgoing document"),
        title=f"{doc.doc_type.name}: {doc.summary}",
        action=action,
        url=reverse("documents:outgoing", args=[doc.pk]),
        urgent=bool(doc.urgency),
    )


def waiting_for(actor: Actor, today: datetime.date) -> Iterator[WorkItem]:
    incoming = visible(actor, IncomingDocument).select_related("doc_type")
    outgoing = visible(actor, OutgoingDocument).select_related("doc_type")
    if actor.has_perm(ROUTE):
        # A registered document waits for the office chief to route it (the clerk cannot).
        for doc in incoming.filter(status=IncomingStatus.REGISTERED).order_by("arrived_at")[:LIMIT]:
            yield _incoming(doc, _("Route for handling"))
    named = Assignment.objects.filter(routing__document=OuterRef("pk")).filter(
        Q(user=actor.user) | Q(unit__in=user_units(actor))
    )
    for doc in incoming.filter(Exists(named), status=IncomingStatus.ROUTED).order_by("deadline")[:LIMIT]:
        yield _incoming(doc, _("Handle"))
    mine = Q(signer__user=actor.user) if actor.user is not None else Q(pk__in=[])
    for draft in outgoing.filter(mine, status=OutgoingStatus.SUBMITTED).order_by("updated_at")[:LIMIT]:
        yield _outgoing(draft, _("Approve or return"))
    if actor.has_perm(ISSUE):
        for draft in outgoing.filter(status=OutgoingStatus.APPROVED).order_by("updated_at")[:LIMIT]:
            yield _outgoing(draft, _("Number and issue"))
    returned = outgoing.filter(status=OutgoingStatus.DRAFT, created_by=actor.user).exclude(returned_reason="")
    for draft in returned.order_by("-updated_at")[:LIMIT]:
        yield _outgoing(draft, _("Revise: returned (%(reason)s)") % {"reason": draft.returned_reason})
