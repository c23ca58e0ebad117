"""A meeting's life: planned, in session, held; postponed and planned again; cancelled. What may be
done in each state, by whom, and what the calendar feed and the API say of it."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vanphong.accounts.tokens import create_token
from vanphong.core.models import AuditEvent
from vanphong.meetings import ical, sessions, submissions
from vanphong.meetings.models import Attendance, Meeting, MeetingStatus, Submission, SubmissionStatus
from vanphong.meetings.tests.conftest import Committee
from vanphong.meetings.workflow import MEETINGS

pytestmark = pytest.mark.django_db

MS = MeetingStatus


def _later(days: int, hour: int = 8) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=days), datetime.time(hour))
    )
    return start, start + datetime.timedelta(hours=2)


def _in_state(committee: Committee, state: str) -> Meeting:
    """A meeting that started an hour ago, brought to `state` through the services."""
    meeting = committee.meeting(days=0)
    start = timezone.now() - datetime.timedelta(hours=1)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=start, ends_at=start + datetime.timedelta(hours=3))
    meeting.refresh_from_db()
    clerk = committee.actor(committee.clerk)
    if state in (MS.IN_SESSION, MS.HELD):
        committee.open(meeting)
    if state == MS.HELD:
        sessions.close_meeting(clerk, meeting, minutes="Đã họp.")
    if state in (MS.POSTPONED, MS.CANCELLED):
        starts_at, ends_at = _later(20)
        sessions.postpone(clerk, meeting, starts_at=starts_at, ends_at=ends_at, reason="Trùng lịch")
    if state == MS.CANCELLED:
        sessions.cancel_meeting(clerk, meeting, reason="Không còn cần thiết")
    assert meeting.status == state
    return meeting


def _take(committee: Committee, user, meeting: Meeting, action: str) -> Meeting:
    actor = committee.actor(user)
    starts_at, ends_at = _later(30)
    calls = {
        "opened": lambda: sessions.open_session(actor, meeting),
        "held": lambda: sessions.close_meeting(actor, meeting, minutes="Biên bản."),
        "postponed": lambda: sessions.postpone(
            actor, meeting, starts_at=starts_at, ends_at=ends_at, reason="Lãnh đạo đi công tác"
        ),
        "rescheduled": lambda: sessions.reschedule(actor, meeting, starts_at=starts_at, ends_at=ends_at),
        "cancelled": lambda: sessions.cancel_meeting(actor, meeting, reason="Không tổ chức"),
    }
    return calls[action]()


TRANSITIONS = {
    "opened": ({MS.PLANNED}, MS.IN_SESSION),
    "held": ({MS.IN_SESSION}, MS.HELD),
    "postponed": ({MS.PLANNED}, MS.POSTPONED),
    "rescheduled": ({MS.POSTPONED}, MS.PLANNED),
    "cancelled": ({MS.PLANNED, MS.POSTPONED}, MS.CANCELLED),
}


@pytest.mark.parametrize("action", list(TRANSITIONS))
@pytest.mark.parametrize("state", list(MS.values))
def test_each_transition_is_taken_by_the_office_from_its_states_only(committee, state, action):
    sources, target = TRANSITIONS[action]
    meeting = _in_state(committee, state)
    # A committee member may see the meeting but not change it, in any state.
    with pytest.raises(PermissionDenied):
        _take(committee, committee.member, meeting, action)
    offered = [t.action for t in MEETINGS.actions_for(committee.actor(committee.clerk), meeting)]
    assert (action in offered) == (state in sources)
    assert not MEETINGS.actions_for(committee.actor(committee.member), meeting)
    if state in sources:
        _take(committee, committee.clerk, meeting, action)
        assert Meeting.objects.get(pk=meeting.pk).status == target
        assert AuditEvent.objects.filter(action=f"meeting.{action}", object_id=str(meeting.pk)).count() == 1
    else:
        with pytest.raises(ValidationError) as refused:
            _take(committee, committee.clerk, meeting, action)
        assert refused.value.code == "state"
        assert Meeting.objects.get(pk=meeting.pk).status == state


@pytest.mark.parametrize("state", [MS.PLANNED, MS.POSTPONED, MS.HELD, MS.CANCELLED])
def test_a_vote_is_recorded_only_while_the_meeting_is_in_session(committee, state):
    meeting = committee.meeting(days=0)
    item = sessions.add_item(committee.actor(committee.clerk), meeting, title="Quy chế làm việc")
    Meeting.objects.filter(pk=meeting.pk).update(status=state)
    with pytest.raises(ValidationError) as refused:
        sessions.record_vote(
            committee.actor(committee.clerk),
            item,
            question="Thông qua",
            ballot="open",
            votes_for=0,
            votes_against=0,
            abstentions=0,
        )
    assert refused.value.code == "state"
    assert not item.votes.exists()


def test_agenda_and_invitations_change_only_while_the_meeting_is_prepared(committee):
    meeting = _in_state(committee, MS.IN_SESSION)
    clerk = committee.actor(committee.clerk)
    with pytest.raises(ValidationError):
        sessions.add_item(clerk, meeting, title="Nội dung phát sinh")
    with pytest.raises(ValidationError):
        sessions.invite(clerk, meeting, guest_name="Khách", guest_title="Sở Nội vụ")
    postponed = _in_state(committee, MS.POSTPONED)
    sessions.add_item(clerk, postponed, title="Nội dung bổ sung")
    sessions.invite(clerk, postponed, guest_name="Khách", guest_title="Sở Nội vụ")


def test_a_postponed_meeting_keeps_its_agenda_moves_in_the_feed_and_is_planned_again(committee):
    meeting = committee.meeting(days=5)
    clerk = committee.actor(committee.clerk)
    submission = committee.ready()
    submissions.schedule(clerk, submission, meeting, accept_late=True)
    token = ical.renew_feed(committee.actor(committee.member))

    def feed_event():
        response = Client().get(reverse("meetings:ical", args=[token]))
        return next(iter(icalendar.Calendar.from_ical(response.content).walk("VEVENT")))

    assert str(feed_event()["status"]) == "CONFIRMED"
    starts_at, ends_at = _later(25, hour=14)
    with pytest.raises(ValidationError) as refused:
        sessions.postpone(clerk, meeting, starts_at=starts_at, ends_at=ends_at, reason=" ")
    assert "reason" in refused.value.error_dict
    sessions.postpone(clerk, meeting, starts_at=starts_at, ends_at=ends_at, reason="Trùng lịch Trung ương")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.status_reason) == (MS.POSTPONED, "Trùng lịch Trung ương")
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.SCHEDULED
    event = feed_event()
    assert (str(event["status"]), event.decoded("dtstart")) == ("TENTATIVE", starts_at)
    page = Client()
    page.force_login(committee.clerk)
    html = page.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "Trùng lịch Trung ương" in html
    assert f"/meetings/{meeting.pk}/rescheduled/" in html and f"/meetings/{meeting.pk}/opened/" not in html
    sessions.reschedule(clerk, meeting, starts_at=starts_at, ends_at=ends_at)
    assert str(feed_event()["status"]) == "CONFIRMED"


def test_a_cancelled_meeting_is_cancelled_in_the_feed_and_its_papers_are_ready_again(committee):
    meeting = committee.meeting(days=5)
    token = ical.renew_feed(committee.actor(committee.member))
    sessions.cancel_meeting(committee.actor(committee.clerk), meeting, reason="Không còn cần thiết")
    response = Client().get(reverse("meetings:ical", args=[token]))
    event = next(iter(icalendar.Calendar.from_ical(response.content).walk("VEVENT")))
    assert str(event["status"]) == "CANCELLED"


def test_the_api_gives_the_meetings_state(committee):
    meeting = _in_state(committee, MS.IN_SESSION)
    _token, key = create_token(by=None, user=committee.member, organisation=committee.org, name="t")
    headers = {"Authorization": f"Bearer {key}"}
    assert Client().get(f"/api/v1/meetings/{meeting.pk}", headers=headers).json()["status"] == "in_session"
    listed = Client().get("/api/v1/meetings/", {"status": "in_session"}, headers=headers).json()
    assert [m["id"] for m in listed] == [meeting.pk]


def test_the_meeting_page_offers_exactly_what_the_workflow_allows(committee, client_for):
    meeting = _in_state(committee, MS.IN_SESSION)
    url = reverse("meetings:meeting", args=[meeting.pk])
    html = client_for(committee.clerk).get(url).content.decode()
    assert f"/meetings/{meeting.pk}/held/" in html and f"/meetings/{meeting.pk}/attendance/" in html
    for absent in ("opened", "postponed", "cancelled", "rescheduled", "invite", "items"):
        assert f"/meetings/{meeting.pk}/{absent}/" not in html, absent
    member = client_for(committee.member).get(url).content.decode()
    assert "Đang họp" in member or "đang họp" in member
    assert f"/meetings/{meeting.pk}/held/" not in member and "attendance-" not in member


def test_old_meetings_become_in_session_when_something_was_recorded_at_them(committee):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("vanphong.meetings.migrations.0004_meeting_life_cycle")
    recorded, untouched, coming = (committee.meeting(days=d) for d in (-2, -3, 4))
    Meeting.objects.update(status=MS.PLANNED)
    recorded.invitees.filter(pk=recorded.invitees.first().pk).update(attendance=Attendance.PRESENT)
    migration.open_sessions(apps, None)
    assert dict(Meeting.objects.values_list("pk", "status")) == {
        recorded.pk: MS.IN_SESSION,
        untouched.pk: MS.PLANNED,
        coming.pk: MS.PLANNED,
    }
