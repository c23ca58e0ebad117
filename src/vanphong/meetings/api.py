"""The meetings part of the JSON API: meetings a token's user may see, and one meeting's agenda.

Same rules as the pages: a meeting is listed only for those who see it; an agenda item above the
user's clearance is listed as restricted, without its title, papers, votes or conclusions.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from vanphong.core.access import access_object, visible
from vanphong.core.schemas import Bounded
from vanphong.core.tenancy import actor_of
from vanphong.meetings import selectors, services
from vanphong.meetings.models import Meeting, MeetingKind, MeetingStatus

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
    status: str


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


class ItemOut(Schema):
    order: int
    restricted: bool = Field(description="Above the user's clearance: nothing else is given")
    title: str
    secrecy: int
    votes: list[VoteOut]
    conclusions: list[ConclusionOut]


class MeetingDetail(MeetingOut):
    items: list[ItemOut]
    members: int | None = Field(description="Members of the body on the day; null without a body")
    present: int | None
    quorum_met: bool | None


class MeetingFilters(Bounded):
    start: datetime.date | None = Field(None, description="Meetings from this day (default: 31 days ago)")
    end: datetime.date | None = Field(None, description="Up to this day (default: 92 days ahead)")
    kind: MeetingKind | None = None
    status: MeetingStatus | None = None


def _out(meeting: Meeting) -> dict[str, object]:
    return {
        "id": meeting.pk,
        "kind": meeting.kind,
        "body": meeting.body.name if meeting.body else "",
        "extraordinary": meeting.extraordinary,
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "chair": meeting.chair.full_name if meeting.chair else "",
        "status": meeting.status,
    }


@router.get("/", response=list[MeetingOut], url_name="meeting_list")
def meeting_list(request: HttpRequest, filters: Query[MeetingFilters]) -> list[MeetingOut]:
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
    return [MeetingOut(**_out(meeting)) for meeting in rows[:500]]  # type: ignore[arg-type]


@router.get("/{pk}", response=MeetingDetail, url_name="meeting_detail")
def meeting_detail(request: HttpRequest, pk: int) -> MeetingDetail:
    actor = actor_of(request)
    meeting = access_object(actor, visible(actor, Meeting).select_related("body", "chair"), pk)
    items = []
    for view in selectors.agenda(actor, meeting):
        item = view.item
        shown = not view.hidden
        items.append(
            ItemOut(
                order=item.order,
                restricted=view.hidden,
                title=item.title if shown else "",
                secrecy=item.secrecy,
                votes=[
                    VoteOut(
                        question=v.question,
                        ballot=v.ballot,
                        members=v.members,
                        present=v.present,
                        votes_for=v.votes_for,
                        votes_against=v.votes_against,
                        abstentions=v.abstentions,
                        quorum_met=v.quorum_met,
                        passed=v.passed,
                    )
                    for v in (item.votes.all() if shown else [])
                ],
                conclusions=[
                    ConclusionOut(
                        kind=c.kind,
                        text=c.text,
                        lead_unit=c.lead_unit.name if c.lead_unit else "",
                        deadline=c.deadline,
                    )
                    for c in (item.conclusions.all() if shown else [])
                ],
            )
        )
    quorum = services.quorum(meeting)
    return MeetingDetail(
        **_out(meeting),  # type: ignore[arg-type]
        items=items,
        members=quorum.members if quorum else None,
        present=quorum.present if quorum else None,
        quorum_met=quorum.met if quorum else None,
    )
