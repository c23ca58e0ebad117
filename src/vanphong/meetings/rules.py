"""The working regulation's figures and what is read from them: the organisation's quorum and paper
deadline per body kind (`MeetingRule`; FACTS §6 marks them OPEN, so they are data), the members of a
body in protocol order, the quorum of a meeting, and people booked in two meetings at once."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction
from math import ceil
from typing import Any

from django.db.models import Q

from vanphong.core.calendar import WorkingCalendar
from vanphong.meetings.models import (
    Attendance,
    Invitee,
    Meeting,
    MeetingRule,
    MeetingStatus,
    has_quorum,
)
from vanphong.org.models import BODY_ROLE_ORDER, Body, BodyMembership, Person


def rule_for(organisation: Any, body_kind: str) -> MeetingRule:
    """The organisation's rule for a body kind; the common practice (quorum 2/3, papers three
    working days ahead: FACTS §6, OPEN) until the organisation records its own."""
    rule = MeetingRule.objects.filter(organisation=organisation, body_kind=body_kind).first()
    return rule or MeetingRule(organisation=organisation, body_kind=body_kind)


def papers_due(meeting: Meeting) -> datetime.date | None:
    """The last day for papers of a body's meeting: N working days before the meeting day."""
    if meeting.body is None:
        return None
    rule = rule_for(meeting.organisation, meeting.body.kind)
    calendar = WorkingCalendar(meeting.organisation)
    day, remaining = meeting.day, rule.papers_days
    while remaining:
        day -= datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def body_members(body: Body, day: datetime.date) -> list[Person]:
    """The members of a body on a day, in protocol order (secretary, deputies, members)."""
    rows = BodyMembership.objects.filter(body=body, start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )
    ordered = sorted(
        rows.select_related("person"), key=lambda r: (BODY_ROLE_ORDER[r.role], r.person.sort_key)
    )
    return [row.person for row in ordered]


@dataclass(frozen=True)
class Quorum:
    members: int
    present: int
    required: int
    rule: Fraction

    @property
    def met(self) -> bool:
        return has_quorum(self.members, self.present, self.required)


def quorum(meeting: Meeting) -> Quorum | None:
    """Members of the body present against the organisation's quorum rule (None without a body)."""
    if meeting.body is None:
        return None
    rule = rule_for(meeting.organisation, meeting.body.kind).quorum
    members = len(body_members(meeting.body, meeting.day))
    present = meeting.invitees.filter(is_member=True, attendance=Attendance.PRESENT).count()
    return Quorum(members, present, ceil(members * rule), rule)


@dataclass(frozen=True)
class Conflict:
    person: Person
    meeting: Meeting


def conflicts(meeting: Meeting) -> list[Conflict]:
    """People of this meeting (chair and invitees) booked in another meeting at an overlapping time."""
    people = set(meeting.invitees.exclude(person=None).values_list("person", flat=True))
    if meeting.chair_id:
        people.add(meeting.chair_id)
    others = (
        Meeting.objects.filter(
            organisation=meeting.organisation, starts_at__lt=meeting.ends_at, ends_at__gt=meeting.starts_at
        )
        .exclude(pk=meeting.pk)
        .exclude(status=MeetingStatus.CANCELLED)
    )
    booked = {
        (row.person_id, row.meeting_id)
        for row in Invitee.objects.filter(meeting__in=others, person__in=people).only("person", "meeting")
    }
    booked |= {(chair, pk) for pk, chair in others.filter(chair__in=people).values_list("pk", "chair")}
    meetings = others.in_bulk({pk for _person, pk in booked})
    persons = Person.objects.in_bulk({person for person, _pk in booked})
    found = [Conflict(persons[person], meetings[pk]) for person, pk in booked]
    found.sort(key=lambda c: (c.meeting.starts_at, c.person.sort_key))
    return found
