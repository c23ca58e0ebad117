"""Reads of the meetings module: calendars, agendas as each user may see them, statistics."""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from vanphong.core.access import Actor, visible
from vanphong.meetings.models import AgendaItem, Meeting, MeetingKind, MeetingStatus


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def meetings_between(actor: Actor, start: datetime.date, end: datetime.date) -> QuerySet[Meeting]:
    """Meetings the actor may see that start on a day from `start` to `end` (inclusive)."""
    return (
        visible(actor, Meeting)
        .filter(starts_at__gte=_aware(start), starts_at__lt=_aware(end + datetime.timedelta(days=1)))
        .select_related("body", "chair")
        .order_by("starts_at", "pk")
    )


@dataclass(frozen=True)
class ItemView:
    """An agenda item as one user sees it: above their clearance, only that a restricted item exists."""

    item: AgendaItem
    hidden: bool


def agenda(actor: Actor, meeting: Meeting) -> list[ItemView]:
    items = (
        meeting.items.select_related("submission")
        .prefetch_related(
            "votes", "conclusions__lead_unit", "conclusions__responsible", "submission__versions"
        )
        .order_by("order")
    )
    return [ItemView(item, item.secrecy > actor.clearance) for item in items]


def with_items(actor: Actor, meetings: QuerySet[Meeting]) -> list[tuple[Meeting, list[ItemView]]]:
    rows = meetings.prefetch_related(Prefetch("items", queryset=AgendaItem.objects.order_by("order")))
    return [(m, [ItemView(i, i.secrecy > actor.clearance) for i in m.items.all()]) for m in rows]


@dataclass(frozen=True)
class MonthGrid:
    first: datetime.date
    weeks: list[list[tuple[datetime.date, list[Meeting]]]]

    @property
    def previous(self) -> datetime.date:
        return (self.first - datetime.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> datetime.date:
        return (self.first + datetime.timedelta(days=32)).replace(day=1)


def month_grid(actor: Actor, day: datetime.date) -> MonthGrid:
    first = day.replace(day=1)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    by_day: dict[datetime.date, list[Meeting]] = {}
    for meeting in meetings_between(actor, weeks[0][0], weeks[-1][-1]).exclude(
        status=MeetingStatus.CANCELLED
    ):
        by_day.setdefault(meeting.day, []).append(meeting)
    return MonthGrid(first, [[(d, by_day.get(d, [])) for d in week] for week in weeks])


def week_days(actor: Actor, day: datetime.date) -> list[tuple[datetime.date, list[Meeting]]]:
    monday = day - datetime.timedelta(days=day.weekday())
    days = [monday + datetime.timedelta(days=n) for n in range(7)]
    by_day: dict[datetime.date, list[Meeting]] = {d: [] for d in days}
    for meeting in meetings_between(actor, days[0], days[-1]):
        by_day[meeting.day].append(meeting)
    return list(by_day.items())


# -- statistics ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statistics:
    start: datetime.date
    end: datetime.date
    by_kind: list[tuple[str, Any, int, int]]  # (kind, label, regular, extraordinary)
    committee_level: int
    grassroots: int
    total: int


def statistics(actor: Actor, start: datetime.date, end: datetime.date) -> Statistics:
    """Meetings held (not cancelled) from `start` to `end`, by kind, counted in the database.

    Counts cover every meeting of the organisation (the figures of a term report), not only those the
    user may open: a count reveals no title or paper. It is shown to those who see all meetings.
    """
    assert actor.organisation is not None
    rows = (
        Meeting.objects.filter(
            organisation=actor.organisation,
            starts_at__gte=_aware(start),
            starts_at__lt=_aware(end + datetime.timedelta(days=1)),
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .values("kind", "extraordinary")
        .annotate(n=Count("pk"))
    )
    counts: Counter[tuple[str, bool]] = Counter({(r["kind"], r["extraordinary"]): r["n"] for r in rows})
    by_kind = [
        (kind, label, counts[(kind, False)], counts[(kind, True)]) for kind, label in MeetingKind.choices
    ]
    total = sum(counts.values())
    grassroots = counts[(MeetingKind.GRASSROOTS, False)] + counts[(MeetingKind.GRASSROOTS, True)]
    return Statistics(start, end, by_kind, total - grassroots, grassroots, total)
