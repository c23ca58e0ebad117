"""The petitions part of the JSON API: the register of petitions and one petition.

Same rules as the pages: only the reception role sees petitions (403 otherwise); lists never carry
a sender's identity; the detail carries it only for those entitled (a denouncer: the named handlers
and the office chief, each time audited), else `sender` is null.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from vanphong.core.access import Actor, access_object, require
from vanphong.core.tenancy import actor_of
from vanphong.paging import Paging, page_of
from vanphong.petitions import selectors
from vanphong.petitions.identities import sender
from vanphong.petitions.models import Petition, PetitionKind, State
from vanphong.petitions.permissions import VIEW, protects_identity

router = Router(tags=["petitions"])


def _reader(request: HttpRequest) -> Actor:
    """The token's actor, who must be on citizen reception to read petitions."""
    actor = actor_of(request)
    require(actor, VIEW)
    return actor


class PetitionOut(Schema):
    id: int
    reference: str
    received_on: datetime.date
    channel: str
    sender_kind: str
    sender_body: str
    kind: str
    subject: str
    summary: str
    concerns: str
    competence: str
    competent_body: str
    state: str
    acceptance_deadline: datetime.date | None
    accepted_on: datetime.date | None
    resolution_deadline: datetime.date | None
    due: datetime.date | None
    deadline_state: str
    answered_on: datetime.date | None
    similar_to: int | None
    is_repeat: bool


class SenderOut(Schema):
    name: str
    id_number: str
    address: str
    phone: str
    email: str
    representatives: str


class ExtensionOut(Schema):
    decision_reference: str
    decided_on: datetime.date
    days: int
    new_deadline: datetime.date


class PetitionDetail(PetitionOut):
    sender: SenderOut | None = Field(description="Null when the token's user may not see it")
    sender_protected: bool = Field(
        description="A denouncer: shown only to named handlers and the office chief"
    )
    acceptance_rule: str
    resolution_rule: str
    conclusion: str
    answer: str
    handlers: list[str]
    extensions: list[ExtensionOut]


class PetitionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PetitionOut]


class PetitionFilters(Paging):
    year: int | None = Field(None, ge=1990, le=2100)
    kind: PetitionKind | None = None
    state: State | None = None
    q: str = Field("", description="Words of the content (without diacritics is fine)")


def _out(petition: Petition) -> dict[str, Any]:
    return {
        "id": petition.pk,
        "reference": petition.reference,
        "received_on": petition.received_on,
        "channel": petition.channel,
        "sender_kind": petition.sender_kind,
        "sender_body": petition.sender_body,
        "kind": petition.kind,
        "subject": petition.subject,
        "summary": petition.summary,
        "concerns": petition.concerns,
        "competence": petition.competence,
        "competent_body": petition.competent_body,
        "state": petition.state,
        "acceptance_deadline": petition.acceptance_deadline,
        "accepted_on": petition.accepted_on,
        "resolution_deadline": petition.resolution_deadline,
        "due": getattr(petition, "due", None),
        "deadline_state": getattr(petition, "deadline_state", ""),
        "answered_on": petition.answered_on,
        "similar_to": petition.similar_to_id,
        "is_repeat": petition.is_repeat,
    }


@router.get("/", response=PetitionPage, url_name="petition_list")
def petition_list(request: HttpRequest, filters: Query[PetitionFilters]) -> PetitionPage:
    """The register of petitions, newest first. No sender identities in lists."""
    actor = _reader(request)
    rows = selectors.petitions(
        actor,
        selectors.PetitionFilter(
            year=filters.year, kind=filters.kind or "", state=filters.state or "", text=filters.q
        ),
    )
    return PetitionPage(**page_of(rows, filters, lambda petition: PetitionOut(**_out(petition))))


@router.get("/{pk}", response=PetitionDetail, url_name="petition_detail")
def petition_detail(request: HttpRequest, pk: int) -> PetitionDetail:
    actor = _reader(request)
    assert actor.organisation is not None
    queryset = Petition.objects.select_related("acceptance_rule", "resolution_rule")
    petition = access_object(actor, selectors.with_deadline_state(actor.organisation, queryset), pk)
    identity = sender(actor, petition)
    return PetitionDetail(
        **_out(petition),
        sender=SenderOut(**identity.__dict__) if identity is not None and not identity.is_empty else None,
        sender_protected=protects_identity(petition),
        acceptance_rule=petition.acceptance_rule.source if petition.acceptance_rule else "",
        resolution_rule=petition.resolution_rule.source if petition.resolution_rule else "",
        conclusion=petition.conclusion,
        answer=petition.answer,
        handlers=[handler.user.get_username() for handler in petition.handlers.select_related("user")],
        extensions=[
            ExtensionOut(
                decision_reference=e.decision_reference,
                decided_on=e.decided_on,
                days=e.days,
                new_deadline=e.new_deadline,
            )
            for e in petition.extensions.all()
        ],
    )
