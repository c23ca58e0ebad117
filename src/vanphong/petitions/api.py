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
from vanphong.core.paging import Page, Paging, page_of
from vanphong.core.schemas import id_of
from vanphong.core.tenancy import actor_of
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
    answered_on: datetime.date | None
    due: datetime.date | None = None  # with the deadline states (selectors.with_deadline_state)
    deadline_state: str = ""
    similar_to: int | None = id_of("similar_to", None)
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

    @staticmethod
    def resolve_sender(petition: Petition, context: dict[str, Any]) -> SenderOut | None:
        identity = sender(context["actor"], petition)
        return None if identity is None or identity.is_empty else SenderOut(**identity.__dict__)

    @staticmethod
    def resolve_sender_protected(petition: Petition) -> bool:
        return protects_identity(petition)

    @staticmethod
    def resolve_acceptance_rule(petition: Petition) -> str:
        return petition.acceptance_rule.source if petition.acceptance_rule else ""

    @staticmethod
    def resolve_resolution_rule(petition: Petition) -> str:
        return petition.resolution_rule.source if petition.resolution_rule else ""

    @staticmethod
    def resolve_handlers(petition: Petition) -> list[str]:
        return [handler.user.get_username() for handler in petition.handlers.select_related("user")]


class PetitionFilters(Paging):
    year: int | None = Field(None, ge=1990, le=2100)
    kind: PetitionKind | None = None
    state: State | None = None
    q: str = Field("", description="Words of the content (without diacritics is fine)")


@router.get("/", response=Page[PetitionOut], url_name="petition_list")
def petition_list(request: HttpRequest, filters: Query[PetitionFilters]) -> Page[PetitionOut]:
    """The register of petitions, newest first. No sender identities in lists."""
    actor = _reader(request)
    rows = selectors.petitions(
        actor,
        selectors.PetitionFilter(
            year=filters.year, kind=filters.kind or "", state=filters.state or "", text=filters.q
        ),
    )
    return page_of(rows, filters, PetitionOut.from_orm)


@router.get("/{pk}", response=PetitionDetail, url_name="petition_detail")
def petition_detail(request: HttpRequest, pk: int) -> PetitionDetail:
    actor = _reader(request)
    assert actor.organisation is not None
    queryset = Petition.objects.select_related("acceptance_rule", "resolution_rule")
    petition = access_object(actor, selectors.with_deadline_state(actor.organisation, queryset), pk)
    return PetitionDetail.from_orm(petition, context={"actor": actor})
