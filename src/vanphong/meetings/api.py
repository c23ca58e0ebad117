"""The meetings part of the JSON API: meetings a token's user may see, and one meeting's agenda.

Same rules as the pages: a meeting is listed only for those who see it; an agenda item above the
user's clearance is listed as restricted, without its title, papers, votes or conclusions.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from vanphong.core.access import access_object, visible
from vanphong.core.schemas import Bounded
from vanphong.core.tenancy import actor_of
from vanphong.meetings import rules, selectors
from vanphong.meetings.models import Conclusion, Meeting, MeetingKind, MeetingStatus, Vote
from vanphong.meetings.rules import Quorum
from vanphong.meetings.selectors import ItemView

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    id: int
    kind: str
    body: str
    extraordinary: bool
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    chair: str
    status: MeetingStatus = Field(
        description="planned, in_session, held, postponed (at its new time) or cancelled"
    )

    @staticmethod
    def resolve_body(meeting: Meeting) -> str:
        return meeting.body.name if meeting.body else ""

    @staticmethod
    def resolve_chair(meeting: Meeting) -> str:
        return meeting.chair.full_name if meeting.chair else ""


class VoteOut(Schema):
    question: str
    ballot: str
    members: int
    present: int
    votes_for: int
    votes_against: int
    abstentions: int
    quorum_met: bool = Field(description="The body's quorum was present when the vote was taken")
    passed: bool = Field(
        description="The quorum was met and more than half of all members voted in favour "
        "(Party Charter art. 9.5); without the quorum nothing passes"
    )


class ConclusionOut(Schema):
    kind: str
    text: str
    lead_unit: str
    deadline: datetime.date | None

    @staticmethod
    def resolve_lead_unit(conclusion: Conclusion) -> str:
        return conclusion.lead_unit.name if conclusion.lead_unit else ""


class ItemOut(Schema):
    """An agenda item as the user may see it (`selectors.ItemView`)."""

    order: int
    restricted: bool = Field(description="Above the user's clearance: nothing else is given")
    title: str
    secrecy: int
    votes: list[VoteOut]
    conclusions: list[ConclusionOut]

    @staticmethod
    def resolve_order(view: ItemView) -> int:
        return view.item.order

    @staticmethod
    def resolve_restricted(view: ItemView) -> bool:
        return view.hidden

    @staticmethod
    def resolve_title(view: ItemView) -> str:
        return "" if view.hidden else view.item.title

    @staticmethod
    def resolve_secrecy(view: ItemView) -> int:
        return view.item.secrecy

    @staticmethod
    def resolve_votes(view: ItemView) -> list[Vote]:
        return [] if view.hidden else list(view.item.votes.all())

    @staticmethod
    def resolve_conclusions(view: ItemView) -> list[Conclusion]:
        return [] if view.hidden else list(view.item.conclusions.all())


class MeetingDetail(MeetingOut):
    items: list[ItemOut]
    members: int | None = Field(description="Members of the body on the day; null without a body")
    present: int | None
    quorum_met: bool | None

    @staticmethod
    def resolve_items(meeting: Meeting, context: dict[str, Any]) -> list[ItemView]:
        return selectors.agenda(context["actor"], meeting)

    @staticmethod
    def resolve_members(meeting: Meeting, context: dict[str, Any]) -> int | None:
        quorum: Quorum | None = context["quorum"]
        return quorum.members if quorum else None

    @staticmethod
    def resolve_present(meeting: Meeting, context: dict[str, Any]) -> int | None:
        quorum: Quorum | None = context["quorum"]
        return quorum.present if quorum else None

    @staticmethod
    def resolve_quorum_met(meeting: Meeting, context: dict[str, Any]) -> bool | None:
        quorum: Quorum | None = context["quorum"]
        return quorum.met if quorum else None


class MeetingFilters(Bounded):
    start: datetime.date | None = Field(None, description="Meetings from this day (default: 31 days ago)")
    end: datetime.date | None = Field(None, description="Up to this day (default: 92 days ahead)")
    kind: MeetingKind | None = None
    status: MeetingStatus | None = None


@router.get("/", response=list[MeetingOut], url_name="meeting_list")
def meeting_list(request: HttpRequest, filters: Query[MeetingFilters]) -> list[Meeting]:
    """Meetings the user may see in a period, by start time."""
    actor = actor_of(request)
    today = timezone.localdate()
    rows = selectors.meetings_between(
        actor,
        filters.start or today - datetime.timedelta(days=31),
        filters.end or today + datetime.timedelta(days=92),
    )
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return list(rows[:500])  # read through MeetingOut


@router.get("/{pk}", response=MeetingDetail, url_name="meeting_detail")
def meeting_detail(request: HttpRequest, pk: int) -> MeetingDetail:
    actor = actor_of(request)
    meeting = access_object(actor, visible(actor, Meeting).select_related("body", "chair"), pk)
    return MeetingDetail.from_orm(meeting, context={"actor": actor, "quorum": rules.quorum(meeting)})
