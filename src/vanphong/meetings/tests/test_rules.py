"""The working regulation's figures: paper deadlines, quorum rules, double bookings."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from vanphong.core.models import AuditEvent
from vanphong.meetings import rules
from vanphong.meetings.models import (
    MeetingKind,
    MeetingRule,
)

pytestmark = pytest.mark.django_db


def test_papers_are_due_working_days_before_the_meeting_per_the_organisations_rule(committee):
    meeting = committee.meeting(days=10)
    meeting.starts_at = timezone.make_aware(datetime.datetime(2026, 9, 7, 8, 0))  # Monday after 2/9
    meeting.ends_at = meeting.starts_at + datetime.timedelta(hours=2)
    # National Day 2026 (Labour Code 2019 art. 112): 1-2/9 off, and 31/8 off in exchange for
    # Saturday 22/8. Three working days before Monday 7/9 are Fri 4/9, Thu 3/9 and Fri 28/8.
    assert rules.papers_due(meeting) == datetime.date(2026, 8, 28)
    MeetingRule.objects.create(
        organisation=committee.org, body_kind="btv", papers_days=5, source="Quy chế làm việc"
    )
    assert rules.papers_due(meeting) == datetime.date(2026, 8, 26)


def test_a_person_booked_twice_is_warned_about(committee):
    first = committee.meeting(days=5)
    second = committee.meeting(
        days=5,
        kind=MeetingKind.WORKING,
        body=None,
        title="Làm việc với Đảng ủy xã Tân Hòa",
        chair=committee.members[0],
    )
    conflicts = rules.conflicts(second)
    assert [(c.person, c.meeting) for c in conflicts] == [(committee.members[0], first)]
    later = committee.meeting(days=6, kind=MeetingKind.WORKING, body=None, title="Làm việc với Sở Nội vụ")
    assert rules.conflicts(later) == []


def test_the_organisations_rule_is_set_in_the_admin_and_audited(committee, client_for):
    from vanphong.testing import make_user

    root = make_user(committee.org, "root", roles=["administrator"], superuser=True)
    response = client_for(root).post(
        "/admin/meetings/meetingrule/add/",
        {
            "organisation": committee.org.pk,
            "body_kind": "btv",
            "quorum_numerator": 1,
            "quorum_denominator": 2,
            "papers_days": 5,
            "source": "Quy chế làm việc khóa XV, Điều 12",
        },
    )
    assert response.status_code == 302
    meeting = committee.meeting()
    quorum = rules.quorum(meeting)
    assert quorum is not None and quorum.required == 5  # half of 9, rounded up
    assert AuditEvent.objects.filter(object_type="meetings.MeetingRule").exists()
