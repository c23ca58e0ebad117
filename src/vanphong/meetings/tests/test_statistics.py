"""Meeting counts for a term report: the Tương Dương district committee office's 2020–2025 figures."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from vanphong.meetings import selectors
from vanphong.meetings.models import Meeting, MeetingKind, MeetingStatus
from vanphong.meetings.tests.conftest import Committee
from vanphong.testing import make_term

pytestmark = pytest.mark.django_db

# Published by the office for its 2020–2025 term so far (FACTS §6): 249 meetings and working sessions
# at district level, 83 working sessions at grassroots, 11 thematic sessions, 3 BCH conferences and
# 14 BTV meetings. The rest of the 249 are Standing Board meetings and working sessions.
FIGURES = {
    MeetingKind.EXECUTIVE: 3,
    MeetingKind.STANDING: 14,
    MeetingKind.THEMATIC: 11,
    MeetingKind.STANDING_BOARD: 130,
    MeetingKind.WORKING: 91,
    MeetingKind.GRASSROOTS: 83,
}


def _build(committee: Committee, start: datetime.date) -> None:
    days = itertools.count()
    rows = []
    for kind, count in FIGURES.items():
        for _n in range(count):
            day = start + datetime.timedelta(days=next(days) * 3)
            begins = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))
            rows.append(
                Meeting(
                    organisation=committee.org,
                    kind=kind,
                    title=f"{kind} {day}",
                    starts_at=begins,
                    ends_at=begins + datetime.timedelta(hours=3),
                    place="Huyện ủy",
                    status=MeetingStatus.HELD,
                )
            )
    rows[0].extraordinary = True  # one extraordinary BCH conference
    # Not counted: a cancelled meeting, and one before the term.
    cancelled = rows[-1]
    rows.append(Meeting(**{**_fields(cancelled), "status": MeetingStatus.CANCELLED}))
    before = timezone.make_aware(
        datetime.datetime.combine(start - datetime.timedelta(days=30), datetime.time(8))
    )
    rows.append(
        Meeting(
            **{**_fields(cancelled), "starts_at": before, "ends_at": before + datetime.timedelta(hours=1)}
        )
    )
    Meeting.objects.bulk_create(rows)


def _fields(meeting: Meeting) -> dict:
    return {f.name: getattr(meeting, f.name) for f in Meeting._meta.concrete_fields if f.name not in ("id",)}


def test_term_counts_by_kind_match_the_published_figures(committee, client_for):
    term = make_term(
        committee.org, "Nhiệm kỳ 2020–2025", datetime.date(2020, 8, 1), datetime.date(2025, 6, 30)
    )
    _build(committee, datetime.date(2020, 8, 10))
    stats = selectors.statistics(
        committee.actor(committee.chief), term.start_date, datetime.date(2025, 6, 30)
    )
    by_kind = {kind: regular + extra for kind, _label, regular, extra in stats.by_kind}
    assert by_kind[MeetingKind.EXECUTIVE] == 3 and by_kind[MeetingKind.STANDING] == 14
    assert by_kind[MeetingKind.THEMATIC] == 11 and by_kind[MeetingKind.GRASSROOTS] == 83
    assert stats.committee_level == 249 and stats.grassroots == 83 and stats.total == 332
    assert [row[3] for row in stats.by_kind if row[0] == MeetingKind.EXECUTIVE] == [1]
    page = client_for(committee.chief).get(reverse("meetings:statistics"), {"term": term.pk})
    assert page.status_code == 200
    assert ">249<" in page.content.decode() and ">83<" in page.content.decode()


def test_statistics_are_for_those_who_see_every_meeting(committee, client_for):
    assert client_for(committee.member).get(reverse("meetings:statistics")).status_code == 403
