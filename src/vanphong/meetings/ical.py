"""A user's personal iCalendar feed (RFC 5545) of the meetings they may see in one organisation.

The feed address holds a secret token (only its hash is stored); the feed is built for the token's
membership with the same access rules as the pages, so it never names an agenda item above the
user's clearance nor a meeting they may not see.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from vanphong.core.access import Actor
from vanphong.meetings import selectors
from vanphong.meetings.models import MeetingStatus

# RFC 5545 3.8.1.11: a postponed meeting is tentative (at its new time) until it is planned again.
ICAL_STATUS = {MeetingStatus.CANCELLED: "CANCELLED", MeetingStatus.POSTPONED: "TENTATIVE"}

# The feed covers meetings from a few months back to a year ahead.
PAST = datetime.timedelta(days=92)
AHEAD = datetime.timedelta(days=366)


def build_feed(actor: Actor, domain: str) -> bytes:
    assert actor.organisation is not None
    today = timezone.localdate()
    cal = Calendar()
    cal.add("prodid", "-//Vanphong//Meetings//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{actor.organisation.short_name}: {_('Meetings')}")
    cal.add("x-wr-timezone", timezone.get_current_timezone_name())
    meetings = selectors.meetings_between(actor, today - PAST, today + AHEAD)
    for meeting, items in selectors.with_items(actor, meetings):
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{domain}")
        event.add("summary", meeting.title)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("dtstamp", meeting.created_at)
        event.add("location", meeting.place)
        lines = [
            f"{n}. {_('Restricted item') if view.hidden else view.item.title}"
            for n, view in enumerate(items, start=1)
        ]
        if lines:
            event.add("description", "\n".join(lines))
        event.add("status", ICAL_STATUS.get(MeetingStatus(meeting.status), "CONFIRMED"))
        cal.add_component(event)
    return bytes(cal.to_ical())
