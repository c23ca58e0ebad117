"""A user's personal iCalendar feed (RFC 5545) of the meetings they may see in one organisation.

The feed address holds a secret token (only its hash is stored; `renew_feed` makes it, `revoke_feed`
stops it); the feed is built for the token's
membership with the same access rules as the pages, so it never names an agenda item above the
user's clearance nor a meeting they may not see.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from vanphong.core import audit
from vanphong.core.access import Actor
from vanphong.meetings import events, selectors
from vanphong.meetings.models import CalendarFeed, MeetingStatus

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


def feed_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def renew_feed(actor: Actor) -> str:
    """A new secret feed address for the actor's membership (the old one stops working)."""
    if actor.membership is None:
        raise PermissionDenied(_("You do not have permission to do this."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic(durable=True):
        CalendarFeed.objects.filter(membership=actor.membership).delete()
        CalendarFeed.objects.create(membership=actor.membership, token_hash=feed_hash(token))
        audit.record(actor, events.CALENDAR_FEED_RENEWED)
    return token


def revoke_feed(actor: Actor) -> None:
    with transaction.atomic(durable=True):
        deleted, _rows = CalendarFeed.objects.filter(membership=actor.membership).delete()
        if deleted:
            audit.record(actor, events.CALENDAR_FEED_REVOKED)
