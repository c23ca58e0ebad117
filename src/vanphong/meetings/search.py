"""What the search index holds of meetings and submissions, and which of them a user's tokens reach.

The tokens mirror meetings.permissions:
- a meeting (and each secret agenda item, at its own secrecy level) is reached by the office and
  standing leaders (`meetings.read_all`), and otherwise by the
  users of its chair, its invitees and its body's members. Its entry holds only what everyone who
  sees the meeting may read: the title, the place, the titles of the agenda items that are not
  secret, and the minutes when no item is secret;
- a submission, within clearance, by those who see every submission, and otherwise by whoever
  created it, its appraiser, and the people of the submitting unit and of units asked for an opinion.
meetings/tests/test_search.py compares search results with `visible()` for every user.
"""

from __future__ import annotations

from django.db.models import DateField
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy, gettext_noop

from vanphong.core.access import Actor
from vanphong.core.models import Clearance
from vanphong.core.searchable import (
    ALL,
    Access,
    IndexData,
    Kind,
    Segment,
    register,
    secrecy_token,
    unit_token,
    user_token,
    within_clearance,
)
from vanphong.meetings.models import AgendaItem, Invitee, Meeting, Opinion, Submission
from vanphong.meetings.permissions import APPRAISE, READ_ALL
from vanphong.org.models import BodyMembership
from vanphong.org.selectors import user_units


def meeting_readers(meeting: Meeting) -> list[str]:
    """Tokens of the users who see a meeting without seeing every meeting: chair, invitees, members."""
    users = {meeting.chair.user_id} if meeting.chair is not None else set()
    users |= set(Invitee.objects.filter(meeting=meeting).values_list("person__user", flat=True))
    if meeting.body_id is not None:
        users |= set(
            BodyMembership.objects.filter(body=meeting.body_id).values_list("person__user", flat=True)
        )
    return [user_token(pk) for pk in users if pk]


def build_meeting(meeting: Meeting) -> IndexData:
    url = reverse("meetings:meeting", args=[meeting.pk])
    items = list(meeting.items.order_by("order"))
    agenda = "\n".join(item.title for item in items if item.secrecy == Clearance.NONE)
    secret = any(item.secrecy > Clearance.NONE for item in items)
    segments = [Segment(gettext_noop("Place"), meeting.place, url)]
    if agenda:
        segments.append(Segment(gettext_noop("Agenda"), agenda, f"{url}#agenda"))
    if meeting.minutes and not secret:
        segments.append(Segment(gettext_noop("Minutes"), meeting.minutes, url))
    return IndexData(
        organisation_id=meeting.organisation_id,
        secrecy=Clearance.NONE,
        title=f"{meeting.title} · {meeting.day:%d/%m/%Y}",
        segments=segments,
        url=url,
        access=[secrecy_token(Clearance.NONE), *meeting_readers(meeting)],
        date=meeting.day,
        status=meeting.status,
    )


def meeting_access(actor: Actor) -> Access | None:
    if actor.system or actor.has_perm(READ_ALL):
        return ALL
    if actor.user is None:
        return None
    return user_token(actor.user.pk)


def build_item(item: AgendaItem) -> IndexData | None:
    """A secret agenda item has an entry of its own at its secrecy level (the meeting's entry leaves
    it out), so those cleared for it find it and nobody else does."""
    if item.secrecy == Clearance.NONE:
        return None
    meeting = item.meeting
    url = f"{reverse('meetings:meeting', args=[meeting.pk])}#item-{item.pk}"
    return IndexData(
        organisation_id=item.organisation_id,
        secrecy=item.secrecy,
        title=f"{item.title} · {meeting.title} · {meeting.day:%d/%m/%Y}",
        segments=[Segment(gettext_noop("Agenda item"), item.title, url)],
        url=url,
        access=[secrecy_token(item.secrecy), *meeting_readers(meeting)],
        date=meeting.day,
        status=meeting.status,
    )


def item_access(actor: Actor) -> Access | None:
    """Those who see the meeting, within their clearance."""
    reach = meeting_access(actor)
    return None if reach is None else ("and", [within_clearance(actor.clearance), reach])


def build_submission(submission: Submission) -> IndexData:
    url = reverse("meetings:submission", args=[submission.pk])
    readers = {user_token(pk) for pk in (submission.created_by_id, submission.appraiser_id) if pk}
    readers.add(unit_token(submission.unit_id))
    readers |= {unit_token(pk) for pk in submission.opinions.values_list("unit", flat=True)}
    return IndexData(
        organisation_id=submission.organisation_id,
        secrecy=submission.secrecy,
        title=f"{submission.get_kind_display()}: {submission.title}",
        segments=[Segment(gettext_noop("Summary"), submission.summary or submission.title, url)],
        url=url,
        access=[secrecy_token(submission.secrecy), *readers],
        date=(submission.submitted_at or submission.created_at).date(),
        status=submission.status,
        sender=submission.unit.name,
    )


def submission_access(actor: Actor) -> Access | None:
    within = within_clearance(actor.clearance)
    if actor.system or actor.has_perm(READ_ALL) or actor.has_perm(APPRAISE):
        return within
    if actor.user is None:
        return None
    readers: list[Access] = [user_token(actor.user.pk)]
    readers += [unit_token(row["unit"]) for row in user_units(actor)]
    return ("and", [within, ("or", readers)])


register(
    Kind(
        name="meeting",
        label=gettext_lazy("Meeting"),
        model=Meeting,
        build=build_meeting,
        access=meeting_access,
        parents={AgendaItem: lambda item: item.meeting, Invitee: lambda invitee: invitee.meeting},
        queryset=lambda: Meeting.objects.select_related("chair").order_by("starts_at", "pk"),
    )
)
register(
    Kind(
        name="agenda_item",
        label=gettext_lazy("Agenda item"),
        model=AgendaItem,
        build=build_item,
        access=item_access,
        queryset=lambda: AgendaItem.objects.select_related("meeting__chair").order_by(
            "meeting__starts_at", "pk"
        ),
    )
)
register(
    Kind(
        name="submission",
        label=gettext_lazy("Submission"),
        model=Submission,
        build=build_submission,
        access=submission_access,
        parents={Opinion: lambda opinion: opinion.submission},
        # build_submission's date: submitted, or else created.
        queryset=lambda: Submission.objects.select_related("unit").order_by(
            Cast(Coalesce("submitted_at", "created_at"), DateField()), "pk"
        ),
    )
)
