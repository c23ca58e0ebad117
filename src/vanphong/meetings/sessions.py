"""A meeting's life (`workflow.MEETINGS`): prepared (agenda, invitations), opened at its start time,
recorded while in session (attendance, votes with the quorum, conclusions, a task conclusion handed to
the follow-up), held with its minutes; or postponed, planned again, cancelled. Each entry point is one
durable transaction and checks the meeting's state on its locked row."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.access import Actor, require
from vanphong.core.models import Clearance
from vanphong.core.text import clean
from vanphong.followup import assignment as followup
from vanphong.meetings import events
from vanphong.meetings.models import (
    BODY_KINDS,
    AgendaItem,
    Attendance,
    Ballot,
    Conclusion,
    ConclusionKind,
    Invitee,
    Meeting,
    MeetingKind,
    Submission,
    SubmissionStatus,
    Vote,
)
from vanphong.meetings.permissions import MANAGE, acting_organisation
from vanphong.meetings.rules import body_members, quorum
from vanphong.meetings.workflow import MEETING_FIELDS, MEETINGS, SUBMISSIONS
from vanphong.org.models import Person, Unit


def next_order(meeting: Meeting) -> int:
    return (meeting.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1


@transaction.atomic(durable=True)
def save_meeting(actor: Actor, meeting: Meeting) -> Meeting:
    """Create or change a meeting (while it is planned or postponed). A new session of a body invites
    the body's members."""
    require(actor, MANAGE)
    organisation = acting_organisation(actor)
    creating = meeting.pk is None
    if not creating and meeting.organisation_id != organisation.pk:
        raise PermissionDenied(_("You do not have permission to do this."))
    meeting.title, meeting.place = clean(meeting.title), clean(meeting.place)
    errors: dict[str, str] = {}
    if not meeting.title:
        errors["title"] = _("Enter the title of the meeting.")
    if not meeting.place:
        errors["place"] = _("Enter the place.")
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    body_kind = BODY_KINDS.get(MeetingKind(meeting.kind)) if meeting.kind in MeetingKind.values else None
    if meeting.kind not in MeetingKind.values:
        errors["kind"] = _("Choose the kind of meeting.")
    elif body_kind is not None:
        if meeting.body is None:
            errors["body"] = _("Choose the body that meets.")
        elif meeting.body.organisation_id != organisation.pk or meeting.body.kind != body_kind:
            errors["body"] = _("Choose a body of this kind of this organisation.")
    if meeting.chair is not None and meeting.chair.organisation_id != organisation.pk:
        errors["chair"] = _("The selected item does not exist.")
    # Its state, as stored and locked, allows the change.
    stored = None if creating else MEETINGS.require(actor, meeting, "updated")
    if errors:
        raise ValidationError(errors)
    before = None if stored is None else audit.snapshot(stored, list(MEETING_FIELDS))
    meeting.organisation = organisation
    if stored is not None:
        meeting.status = stored.status
    if creating:
        meeting.created_by = actor.user
    meeting.save()
    if creating and meeting.body is not None:
        for person in body_members(meeting.body, meeting.day):
            Invitee.objects.get_or_create(
                meeting=meeting, person=person, defaults={"organisation": organisation, "is_member": True}
            )
    audit.record(
        actor,
        events.MEETING_CREATED if creating else events.MEETING_UPDATED,
        organisation=organisation,
        obj=meeting,
        before=before,
        after=audit.snapshot(meeting, list(MEETING_FIELDS)),
    )
    return meeting


@transaction.atomic(durable=True)
def add_item(
    actor: Actor, meeting: Meeting, *, title: str, presenter: str = "", secrecy: int = 0
) -> AgendaItem:
    """An item on the agenda of a meeting being prepared."""
    MEETINGS.require(actor, meeting, "item_added")
    title = clean(title)
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Enter the title of the agenda item.")
    if secrecy not in Clearance.values or secrecy > actor.clearance:
        errors["secrecy"] = _("Your clearance does not allow handling documents of this secrecy level.")
    if errors:
        raise ValidationError(errors)
    item = AgendaItem.objects.create(
        organisation=meeting.organisation,
        meeting=meeting,
        order=next_order(meeting),
        title=title,
        presenter=clean(presenter),
        secrecy=secrecy,
    )
    audit.record(
        actor,
        events.MEETING_ITEM_ADDED,
        organisation=meeting.organisation,
        obj=meeting,
        after={"item": title},
        about=[item],
    )
    return item


@transaction.atomic(durable=True)
def invite(
    actor: Actor,
    meeting: Meeting,
    *,
    person: Person | None = None,
    guest_name: str = "",
    guest_title: str = "",
) -> Invitee:
    """Invite a person of the organisation, or a guest from outside it (by name and title), while the
    meeting is being prepared."""
    MEETINGS.require(actor, meeting, "invited")
    guest_name, guest_title = clean(guest_name), clean(guest_title)
    if person is not None and person.organisation_id != meeting.organisation_id:
        raise ValidationError(
            {
                "person": _(
                    "This person belongs to another organisation: "
                    "invite them as a guest, with their name and title."
                )
            }
        )
    if person is None and not guest_name:
        raise ValidationError({"person": _("Choose a person, or enter a guest's name and title.")})
    if person is None and not guest_title:
        raise ValidationError({"guest_title": _("Enter the guest's position and body.")})
    if person is not None and meeting.invitees.filter(person=person).exists():
        raise ValidationError({"person": _("This person is already invited.")})
    invitee = Invitee.objects.create(
        organisation=meeting.organisation,
        meeting=meeting,
        person=person,
        guest_name="" if person else guest_name,
        guest_title="" if person else guest_title,
        is_member=bool(
            person
            and meeting.body is not None
            and any(p.pk == person.pk for p in body_members(meeting.body, meeting.day))
        ),
    )
    audit.record(
        actor,
        events.MEETING_INVITED,
        organisation=meeting.organisation,
        obj=meeting,
        after={"invitee": str(invitee)},
    )
    return invitee


@transaction.atomic(durable=True)
def record_attendance(actor: Actor, meeting: Meeting, marks: dict[int, tuple[str, str]]) -> None:
    """Attendance per invitee id: (present | absent | "", reason), while in session. All or nothing."""
    MEETINGS.require(actor, meeting, "attendance")
    invitees = {i.pk: i for i in meeting.invitees.all()}
    errors = []
    for pk, (status, _reason) in marks.items():
        if pk not in invitees or status not in Attendance.values:
            errors.append(_("The selected item does not exist."))
    if errors:
        raise ValidationError(errors[:1])
    for pk, (status, reason) in marks.items():
        invitee = invitees[pk]
        invitee.attendance = status
        invitee.absence_reason = clean(reason) if status == Attendance.ABSENT else ""
        invitee.save(update_fields=["attendance", "absence_reason"])
    audit.record(
        actor,
        events.MEETING_ATTENDANCE,
        organisation=meeting.organisation,
        obj=meeting,
        after={str(invitees[pk]): status for pk, (status, _r) in marks.items()},
    )


@transaction.atomic(durable=True)
def record_vote(
    actor: Actor,
    item: AgendaItem,
    *,
    question: str,
    ballot: str,
    votes_for: int,
    votes_against: int,
    abstentions: int,
) -> Vote:
    """Record a vote's totals with the quorum as it stands (`Vote.passed`: nothing passes without
    the quorum; with it, more than half of all the body's members in favour, Party Charter art.
    9.5). The totals cannot exceed the members present."""
    meeting = MEETINGS.require(actor, item.meeting, "vote")
    if meeting.body_id is None:
        raise ValidationError(_("Votes are recorded for sessions of a collective body."))
    question = clean(question)
    counts = (votes_for, votes_against, abstentions)
    present = quorum(meeting)
    assert present is not None
    errors: dict[str, str] = {}
    if not question:
        errors["question"] = _("Enter what was voted on.")
    if ballot not in Ballot.values:
        errors["ballot"] = _("Choose how the vote was taken.")
    if any(n < 0 for n in counts):
        errors["votes_for"] = _("Vote counts cannot be negative.")
    elif sum(counts) > present.present:
        errors["votes_for"] = _(
            "%(total)d votes were counted but only %(present)d members are recorded as present."
        ) % {"total": sum(counts), "present": present.present}
    if errors:
        raise ValidationError(errors)
    vote = Vote.objects.create(
        organisation=meeting.organisation,
        item=item,
        question=question,
        ballot=ballot,
        members=present.members,
        present=present.present,
        quorum_required=present.required,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
    )
    audit.record(
        actor,
        events.MEETING_VOTE,
        organisation=meeting.organisation,
        obj=meeting,
        after={
            "item": item.pk,
            "for": votes_for,
            "against": votes_against,
            "abstain": abstentions,
            "members": present.members,
            "present": present.present,
            "quorum": present.required,
            "passed": vote.passed,
        },
        about=[item],
    )
    return vote


@transaction.atomic(durable=True)
def add_conclusion(
    actor: Actor,
    item: AgendaItem,
    *,
    kind: str,
    text: str,
    lead_unit: Unit | None = None,
    responsible: Person | None = None,
    deadline: datetime.date | None = None,
) -> Conclusion:
    """A conclusion on an agenda item, while in session; a task conclusion becomes a tracked task of
    the follow-up."""
    meeting = MEETINGS.require(actor, item.meeting, "conclusion")
    text = text.strip()
    errors: dict[str, str] = {}
    if kind not in ConclusionKind.values:
        errors["kind"] = _("Choose the kind of conclusion.")
    if not text:
        errors["text"] = _("Write the conclusion.")
    if kind == ConclusionKind.TASK:
        if lead_unit is None:
            errors["lead_unit"] = _("A task needs a lead unit.")
        if deadline is None:
            errors["deadline"] = _("A task needs a deadline.")
        elif deadline < meeting.day:
            errors["deadline"] = _("The deadline cannot be before the meeting.")
    for field, obj in (("lead_unit", lead_unit), ("responsible", responsible)):
        if obj is not None and obj.organisation_id != meeting.organisation_id:
            errors[field] = _("The selected item does not exist.")
    if errors:
        raise ValidationError(errors)
    conclusion = Conclusion.objects.create(
        organisation=meeting.organisation,
        item=item,
        kind=kind,
        text=text,
        lead_unit=lead_unit if kind == ConclusionKind.TASK else None,
        responsible=responsible if kind == ConclusionKind.TASK else None,
        deadline=deadline if kind == ConclusionKind.TASK else None,
    )
    if kind == ConclusionKind.TASK:
        conclusion.task = _track(actor, meeting, conclusion)
        conclusion.save(update_fields=["task"])
    audit.record(
        actor,
        events.MEETING_CONCLUSION,
        organisation=meeting.organisation,
        obj=meeting,
        after={"item": item.pk, "kind": kind, "text": text[:200]},
        about=[item],
    )
    return conclusion


def source_title(meeting: Meeting) -> str:
    """The follow-up source of a meeting's task conclusions: who concluded and when, never the
    meeting's title, which only the meeting's readers may see (the source is read by every unit
    given one of its tasks)."""
    if meeting.body is not None:
        return f"Kết luận của {meeting.body.name} ngày {meeting.day:%d/%m/%Y}"
    return f"Kết luận tại cuộc họp ngày {meeting.day:%d/%m/%Y}"


def _track(actor: Actor, meeting: Meeting, conclusion: Conclusion) -> Any:
    """Hand a task conclusion to the follow-up: the meeting's source (made once, on the meeting's
    locked row), then the task."""
    if meeting.followup_source_id is None:
        day = meeting.day
        meeting.followup_source = followup.create_source(
            actor,
            kind="meeting_conclusion",
            title=source_title(meeting),
            issued_on=day,
        )
        meeting.save(update_fields=["followup_source"])
    assert conclusion.lead_unit is not None and meeting.followup_source is not None
    return followup.create_task(
        actor,
        meeting.followup_source,
        content=conclusion.text,
        lead_unit=conclusion.lead_unit,
        responsible=conclusion.responsible,
        deadline=conclusion.deadline,
        secrecy=conclusion.item.secrecy,
        assigned_on=meeting.day,
    )


def _not_started(meeting: Meeting) -> None:
    """What happens at a meeting (attendance, votes, conclusions, minutes) is recorded once it is in
    session, and the session opens at the start time at the earliest: a task concluded ahead would
    run, and be reported on, from a day that has not come."""
    if not meeting.has_started:
        raise ValidationError(
            _(
                "The meeting has not started yet (it starts at %(time)s): attendance, votes, "
                "conclusions and the minutes are recorded once it has started."
            )
            % {"time": f"{timezone.localtime(meeting.starts_at):%H:%M %d/%m/%Y}"}
        )


@transaction.atomic(durable=True)
def open_session(actor: Actor, meeting: Meeting) -> Meeting:
    """The meeting begins: from now on its attendance, votes and conclusions are recorded."""
    return MEETINGS.apply(actor, meeting, "opened", change=_not_started)


@transaction.atomic(durable=True)
def close_meeting(actor: Actor, meeting: Meeting, *, minutes: str) -> Meeting:
    """The meeting was held: keep the minutes; the papers on its agenda are now decided.

    The minutes may speak of every item, so only those cleared for the most secret item write them
    (the workflow's rule)."""
    minutes = minutes.strip()
    if not minutes:
        raise ValidationError({"minutes": _("Write the minutes.")})
    held = MEETINGS.apply(actor, meeting, "held", minutes=minutes, about=meeting.items.all())
    for submission in Submission.objects.filter(agenda_item__meeting=held, status=SubmissionStatus.SCHEDULED):
        SUBMISSIONS.apply(actor, submission, "decide")
    return held


def _new_time(starts_at: datetime.datetime | None, ends_at: datetime.datetime | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if starts_at is None:
        errors["starts_at"] = _("Give the new date and time.")
    elif starts_at <= timezone.now():
        errors["starts_at"] = _("The new time must be in the future.")
    if starts_at is not None and (ends_at is None or ends_at <= starts_at):
        errors["ends_at"] = _("The meeting must end after it starts.")
    return errors


@transaction.atomic(durable=True)
def postpone(
    actor: Actor, meeting: Meeting, *, starts_at: datetime.datetime, ends_at: datetime.datetime, reason: str
) -> Meeting:
    """Postpone a planned meeting to a new time, with the reason; its agenda and invitees stay."""
    reason = clean(reason)
    errors = _new_time(starts_at, ends_at)
    if not reason:
        errors["reason"] = _("Give the reason.")
    if errors:
        raise ValidationError(errors)
    return MEETINGS.apply(
        actor, meeting, "postponed", starts_at=starts_at, ends_at=ends_at, status_reason=reason
    )


@transaction.atomic(durable=True)
def reschedule(
    actor: Actor, meeting: Meeting, *, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> Meeting:
    """A postponed meeting is planned again, at the time now set."""
    errors = _new_time(starts_at, ends_at)
    if errors:
        raise ValidationError(errors)
    return MEETINGS.apply(actor, meeting, "rescheduled", starts_at=starts_at, ends_at=ends_at)


@transaction.atomic(durable=True)
def cancel_meeting(actor: Actor, meeting: Meeting, *, reason: str) -> Meeting:
    """Cancel a planned or postponed meeting, with the reason; its papers are ready for another one."""
    reason = clean(reason)
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    cancelled = MEETINGS.apply(actor, meeting, "cancelled", status_reason=reason)
    for submission in Submission.objects.filter(agenda_item__meeting=cancelled):
        SUBMISSIONS.apply(actor, submission, "unschedule")
    cancelled.items.update(submission=None)
    return cancelled


@transaction.atomic(durable=True)
def withdraw_papers(actor: Actor, meeting: Meeting) -> Meeting:
    """After the meeting, members no longer read its papers on screen (the office keeps them)."""
    return MEETINGS.apply(actor, meeting, "papers_withdrawn", papers_withdrawn=True)
