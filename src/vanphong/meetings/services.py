"""Writes of the meetings module: submissions and their appraisal, meetings, attendance, votes,
conclusions, the documents made for a meeting, and the weekly schedule.

Every function checks permission, validates everything before writing, writes in one transaction
and records an audit event. Workflow states move only along `TRANSITIONS`.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import ceil
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.access import Actor, can_change, require
from vanphong.core.calendar import WorkingCalendar
from vanphong.core.files import stored_for_transaction, validate_upload
from vanphong.core.models import Clearance
from vanphong.core.secrecy import derived_secrecy
from vanphong.core.text import clean, date_phrase
from vanphong.documents import outgoing as documents_outgoing
from vanphong.documents.models import DocumentType, OutgoingDocument
from vanphong.followup import services as followup
from vanphong.meetings import events
from vanphong.meetings.models import (
    BODY_KINDS,
    AgendaItem,
    Attendance,
    Ballot,
    CalendarFeed,
    Conclusion,
    ConclusionKind,
    Invitee,
    Meeting,
    MeetingKind,
    MeetingRule,
    MeetingStatus,
    Opinion,
    Paper,
    Recommendation,
    ScheduleEntry,
    ScheduleStatus,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
    Vote,
    WeeklySchedule,
    has_quorum,
)
from vanphong.meetings.permissions import APPRAISE, APPROVE_SCHEDULE, MANAGE, SUBMIT
from vanphong.org.models import BODY_ROLE_ORDER, Body, BodyKind, BodyMembership, BodyRole, Person, Unit

UploadedFile = tuple[str, bytes]

S = SubmissionStatus
# The submission workflow: action -> (states it may start from, state it leads to).
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED),
    "start_appraisal": (frozenset({S.SUBMITTED}), S.UNDER_APPRAISAL),
    "return": (frozenset({S.UNDER_APPRAISAL}), S.RETURNED),
    "ready": (frozenset({S.UNDER_APPRAISAL}), S.READY),
    "decline": (frozenset({S.UNDER_APPRAISAL}), S.DECLINED),
    "schedule": (frozenset({S.READY}), S.SCHEDULED),
    "unschedule": (frozenset({S.SCHEDULED}), S.READY),
    "decide": (frozenset({S.SCHEDULED}), S.DECIDED),
    "withdraw": (frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED, S.READY}), S.WITHDRAWN),
}
RECOMMENDATION_ACTIONS = {
    Recommendation.READY: "ready",
    Recommendation.REVISE: "return",
    Recommendation.NOT_COMPETENT: "decline",
}
SUBMISSION_FIELDS = ["title", "kind", "unit", "body", "secrecy", "status", "summary", "appraiser"]
MEETING_FIELDS = [
    "kind",
    "body",
    "extraordinary",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "chair",
    "status",
]


def _org(actor: Actor) -> Any:
    assert actor.organisation is not None
    return actor.organisation


def allowed_actions(submission: Submission) -> list[str]:
    return [action for action, (sources, _to) in TRANSITIONS.items() if submission.status in sources]


def _move(actor: Actor, submission: Submission, action: str, **fields: Any) -> Submission:
    """Move a submission along one transition (in the caller's transaction), audited."""
    sources, target = TRANSITIONS[action]
    if submission.status not in sources:
        raise ValidationError(
            _("This cannot be done while the submission is “%(status)s”.")
            % {"status": submission.get_status_display()}
        )
    before = audit.snapshot(submission, SUBMISSION_FIELDS)
    submission.status = target
    for name, value in fields.items():
        setattr(submission, name, value)
    submission.save()
    audit.record(
        actor,
        f"submission.{action}",
        organisation=submission.organisation,
        obj=submission,
        before=before,
        after=audit.snapshot(submission, SUBMISSION_FIELDS),
    )
    return submission


# -- rules -----------------------------------------------------------------------------------------


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


# -- submissions -----------------------------------------------------------------------------------


def _check_files(files: Iterable[UploadedFile]) -> list[tuple[bytes, Any]]:
    return [(data, validate_upload(name, data)) for name, data in files]


def _add_version(
    actor: Actor,
    submission: Submission,
    note: str,
    checked: Sequence[tuple[bytes, Any]],
    stored: list[Any],
) -> SubmissionVersion:
    """A new version with its papers (files already checked and stored for the caller's transaction)."""
    number = (submission.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = SubmissionVersion.objects.create(
        organisation=submission.organisation,
        submission=submission,
        number=number,
        note=clean(note),
        created_by=actor.user,
    )
    for (_data, info), file in zip(checked, stored, strict=True):
        paper = Paper(organisation=version.organisation, version=version, uploaded_by=actor.user)
        paper.set_stored(info, file)
        paper.save()
    return version


def save_submission(
    actor: Actor, submission: Submission, *, files: Iterable[UploadedFile] = (), note: str = ""
) -> Submission:
    """Create a submission, or change it while it is a draft or returned for revision. Files given
    with a change make a new version (earlier versions are kept)."""
    require(actor, SUBMIT)
    organisation = _org(actor)
    creating = submission.pk is None
    if not creating and not can_change(actor, submission):
        raise PermissionDenied(_("Only the submitting unit and the office can change this submission."))
    if not creating and submission.status not in (S.DRAFT, S.RETURNED):
        raise ValidationError(
            _("A submission can be changed only while it is a draft or returned for revision.")
        )
    submission.title = clean(submission.title)
    submission.summary = (submission.summary or "").strip()
    errors: dict[str, str] = {}
    if not submission.title:
        errors["title"] = _("Enter the title of the paper.")
    if submission.unit_id is None or submission.unit.organisation_id != organisation.pk:
        errors["unit"] = _("Choose the submitting unit.")
    if submission.body_id is None or submission.body.organisation_id != organisation.pk:
        errors["body"] = _("Choose the body the paper is for.")
    if submission.secrecy > actor.clearance:
        errors["secrecy"] = _("Your clearance does not allow handling documents of this secrecy level.")
    checked = _check_files(files)
    if creating and not checked:
        errors["files"] = _("Attach the paper's files.")
    if errors:
        raise ValidationError(errors)
    encrypt = submission.secrecy > Clearance.NONE
    with (
        stored_for_transaction([data for data, _info in checked], encrypt=encrypt) as stored,
        transaction.atomic(),
    ):
        before = (
            None if creating else audit.snapshot(Submission.objects.get(pk=submission.pk), SUBMISSION_FIELDS)
        )
        submission.organisation = organisation
        if creating:
            submission.created_by = actor.user
        submission.save()
        if checked:
            _add_version(actor, submission, note, checked, stored)
        audit.record(
            actor,
            events.SUBMISSION_CREATED if creating else events.SUBMISSION_UPDATED,
            organisation=organisation,
            obj=submission,
            before=before,
            after={
                **audit.snapshot(submission, SUBMISSION_FIELDS),
                "files": [i.original_name for _d, i in checked],
            },
        )
    return submission


def submit(actor: Actor, submission: Submission) -> Submission:
    require(actor, SUBMIT)
    if not can_change(actor, submission):
        raise PermissionDenied(_("Only the submitting unit and the office can change this submission."))
    with transaction.atomic():
        return _move(actor, submission, "submit", submitted_at=timezone.now())


def start_appraisal(actor: Actor, submission: Submission, *, appraiser: Any) -> Submission:
    """The office chief assigns an appraiser, a member of the organisation, and the appraisal starts."""
    require(actor, APPRAISE)
    from vanphong.accounts.models import Membership

    if not Membership.objects.filter(
        user=appraiser, organisation=submission.organisation, is_active=True
    ).exists():
        raise ValidationError({"appraiser": _("The appraiser must be a member of this organisation.")})
    with transaction.atomic():
        return _move(actor, submission, "start_appraisal", appraiser=appraiser)


def is_appraiser(actor: Actor, submission: Submission) -> bool:
    """The assigned appraiser, or whoever directs appraisals."""
    return (
        actor.system
        or actor.has_perm(APPRAISE)
        or (
            submission.appraiser_id is not None and submission.appraiser_id == getattr(actor.user, "pk", None)
        )
    )


def request_opinions(
    actor: Actor, submission: Submission, *, units: Sequence[Unit], days: int
) -> list[Opinion]:
    """Ask units for their opinion on a submission under appraisal, due in `days` working days."""
    if not is_appraiser(actor, submission):
        raise PermissionDenied(_("Only the assigned appraiser or the office chief can do this."))
    if submission.status != S.UNDER_APPRAISAL:
        raise ValidationError(_("Opinions are asked for while the submission is under appraisal."))
    if not units:
        raise ValidationError({"units": _("Choose at least one unit.")})
    if any(unit.organisation_id != submission.organisation_id for unit in units):
        raise ValidationError({"units": _("The selected item does not exist.")})
    if days < 1:
        raise ValidationError({"days": _("Give at least one working day.")})
    due = WorkingCalendar(submission.organisation).working_days_after(timezone.localdate(), days)
    with transaction.atomic():
        opinions = [
            Opinion.objects.update_or_create(
                submission=submission,
                unit=unit,
                defaults={"organisation": submission.organisation, "due": due},
            )[0]
            for unit in units
        ]
        audit.record(
            actor,
            events.SUBMISSION_OPINIONS_REQUESTED,
            organisation=submission.organisation,
            obj=submission,
            after={"units": [u.pk for u in units], "due": due},
        )
    return opinions


def answer_opinion(actor: Actor, opinion: Opinion, *, text: str) -> Opinion:
    """A unit gives its opinion (its own people, or the office on its behalf)."""
    from vanphong.org.selectors import user_units

    own = opinion.unit_id in {row["unit"] for row in user_units(actor)}
    if not (own or actor.has_perm(MANAGE) or actor.system):
        raise PermissionDenied(_("Only the unit asked can give this opinion."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the opinion.")})
    with transaction.atomic():
        opinion.text, opinion.answered_at, opinion.answered_by = text, timezone.now(), actor.user
        opinion.save()
        audit.record(
            actor,
            events.OPINION_ANSWERED,
            organisation=opinion.organisation,
            obj=opinion.submission,
        )
    return opinion


def appraise(actor: Actor, submission: Submission, *, recommendation: str, text: str) -> Submission:
    """The appraiser's conclusion: ready to present, back for revision, or not the body's matter."""
    if not is_appraiser(actor, submission):
        raise PermissionDenied(_("Only the assigned appraiser or the office chief can do this."))
    if recommendation not in RECOMMENDATION_ACTIONS:
        raise ValidationError({"recommendation": _("Choose a recommendation.")})
    text = text.strip()
    if not text:
        raise ValidationError({"appraisal": _("Write the appraisal.")})
    with transaction.atomic():
        return _move(
            actor,
            submission,
            RECOMMENDATION_ACTIONS[Recommendation(recommendation)],
            recommendation=recommendation,
            appraisal=text,
            appraised_at=timezone.now(),
        )


def withdraw(actor: Actor, submission: Submission) -> Submission:
    require(actor, SUBMIT)
    if not can_change(actor, submission):
        raise PermissionDenied(_("Only the submitting unit and the office can change this submission."))
    with transaction.atomic():
        return _move(actor, submission, "withdraw")


def schedule(
    actor: Actor, submission: Submission, meeting: Meeting, *, accept_late: bool = False
) -> AgendaItem:
    """Put a ready submission on a planned meeting's agenda (as its next item)."""
    require(actor, MANAGE)
    errors = []
    if meeting.organisation_id != submission.organisation_id:
        raise ValidationError(_("The selected item does not exist."))
    if meeting.status != MeetingStatus.PLANNED or meeting.starts_at <= timezone.now():
        errors.append(_("The meeting has already taken place or was cancelled; choose a coming meeting."))
    if meeting.body_id is not None and meeting.body_id != submission.body_id:
        errors.append(
            _("The paper is for the %(body)s; this meeting is of another body.")
            % {"body": submission.body.name}
        )
    due = papers_due(meeting)
    if due is not None and timezone.localdate() > due and not accept_late:
        errors.append(
            _(
                "Papers for this meeting were due on %(date)s (the working regulation's deadline); "
                "confirm to accept it late."
            )
            % {"date": due.strftime("%d/%m/%Y")}
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _move(actor, submission, "schedule")
        item = AgendaItem.objects.create(
            organisation=meeting.organisation,
            meeting=meeting,
            order=_next_order(meeting),
            title=submission.title,
            submission=submission,
            presenter=submission.unit.name,
            secrecy=submission.secrecy,
        )
        audit.record(
            actor,
            events.MEETING_ITEM_ADDED,
            organisation=meeting.organisation,
            obj=meeting,
            after={"item": item.title, "submission": submission.pk},
            about=[item],
        )
    return item


# -- meetings --------------------------------------------------------------------------------------


def _next_order(meeting: Meeting) -> int:
    return (meeting.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1


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


def save_meeting(actor: Actor, meeting: Meeting) -> Meeting:
    """Create or change a meeting. A new session of a body invites the body's members."""
    require(actor, MANAGE)
    organisation = _org(actor)
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
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = None if creating else audit.snapshot(Meeting.objects.get(pk=meeting.pk), MEETING_FIELDS)
        meeting.organisation = organisation
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
            after=audit.snapshot(meeting, MEETING_FIELDS),
        )
    return meeting


def _require_planned_or_held(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting was cancelled."))


def _require_started(meeting: Meeting) -> None:
    """What happens at a meeting (attendance, votes, conclusions, minutes) is recorded once it has
    started: a task concluded ahead would run, and be reported on, from a day that has not come."""
    if not meeting.has_started:
        raise ValidationError(
            _(
                "The meeting has not started yet (it starts at %(time)s): attendance, votes, "
                "conclusions and the minutes are recorded once it has started."
            )
            % {"time": f"{timezone.localtime(meeting.starts_at):%H:%M %d/%m/%Y}"}
        )


def add_item(
    actor: Actor, meeting: Meeting, *, title: str, presenter: str = "", secrecy: int = 0
) -> AgendaItem:
    require(actor, MANAGE)
    _require_planned_or_held(meeting)
    title = clean(title)
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Enter the title of the agenda item.")
    if secrecy not in Clearance.values or secrecy > actor.clearance:
        errors["secrecy"] = _("Your clearance does not allow handling documents of this secrecy level.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item = AgendaItem.objects.create(
            organisation=meeting.organisation,
            meeting=meeting,
            order=_next_order(meeting),
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


def invite(
    actor: Actor,
    meeting: Meeting,
    *,
    person: Person | None = None,
    guest_name: str = "",
    guest_title: str = "",
) -> Invitee:
    """Invite a person of the organisation, or a guest from outside it (by name and title)."""
    require(actor, MANAGE)
    _require_planned_or_held(meeting)
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
    with transaction.atomic():
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


def record_attendance(actor: Actor, meeting: Meeting, marks: dict[int, tuple[str, str]]) -> None:
    """Attendance per invitee id: (present | absent | "", reason). All or nothing."""
    require(actor, MANAGE)
    _require_planned_or_held(meeting)
    _require_started(meeting)
    invitees = {i.pk: i for i in meeting.invitees.all()}
    errors = []
    for pk, (status, _reason) in marks.items():
        if pk not in invitees or status not in Attendance.values:
            errors.append(_("The selected item does not exist."))
    if errors:
        raise ValidationError(errors[:1])
    with transaction.atomic():
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
    require(actor, MANAGE)
    meeting = item.meeting
    _require_planned_or_held(meeting)
    _require_started(meeting)
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
    with transaction.atomic():
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
    """A conclusion on an agenda item; a task conclusion becomes a tracked task of the follow-up."""
    require(actor, MANAGE)
    meeting = item.meeting
    _require_planned_or_held(meeting)
    _require_started(meeting)
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
    with transaction.atomic():
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
            conclusion.task = _track(actor, conclusion)
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


def _track(actor: Actor, conclusion: Conclusion) -> Any:
    """Hand a task conclusion to the follow-up: the meeting's source (made once), then the task."""
    meeting = conclusion.item.meeting
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


def close_meeting(actor: Actor, meeting: Meeting, *, minutes: str) -> Meeting:
    """The meeting was held: keep the minutes; the papers on its agenda are now decided.

    The minutes may speak of every item, so only those cleared for the most secret item write them."""
    require(actor, MANAGE)
    if actor.clearance < max(meeting.items.values_list("secrecy", flat=True), default=Clearance.NONE):
        raise PermissionDenied(_("Your clearance does not allow handling documents of this secrecy level."))
    if not minutes.strip():
        raise ValidationError({"minutes": _("Write the minutes.")})
    _require_planned_or_held(meeting)
    _require_started(meeting)
    with transaction.atomic():
        before = audit.snapshot(meeting, MEETING_FIELDS)
        meeting.minutes = minutes.strip()
        meeting.status = MeetingStatus.HELD
        meeting.save()
        for submission in Submission.objects.filter(agenda_item__meeting=meeting, status=S.SCHEDULED):
            _move(actor, submission, "decide")
        audit.record(
            actor,
            events.MEETING_HELD,
            organisation=meeting.organisation,
            obj=meeting,
            before=before,
            after=audit.snapshot(meeting, MEETING_FIELDS),
            about=meeting.items.all(),
        )
    return meeting


def cancel_meeting(actor: Actor, meeting: Meeting) -> Meeting:
    require(actor, MANAGE)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Only a planned meeting can be cancelled."))
    with transaction.atomic():
        meeting.status = MeetingStatus.CANCELLED
        meeting.save(update_fields=["status"])
        for submission in Submission.objects.filter(agenda_item__meeting=meeting):
            _move(actor, submission, "unschedule")
        meeting.items.update(submission=None)
        audit.record(actor, events.MEETING_CANCELLED, organisation=meeting.organisation, obj=meeting)
    return meeting


def withdraw_papers(actor: Actor, meeting: Meeting) -> Meeting:
    """After the meeting, members no longer read its papers on screen (the office keeps them)."""
    require(actor, MANAGE)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(_("Papers are withdrawn after the meeting has been held."))
    with transaction.atomic():
        meeting.papers_withdrawn = True
        meeting.save(update_fields=["papers_withdrawn"])
        audit.record(
            actor,
            events.MEETING_PAPERS_WITHDRAWN,
            organisation=meeting.organisation,
            obj=meeting,
        )
    return meeting


def open_paper(actor: Actor, paper: Paper) -> bytes:
    """Read a paper the actor may see (fetched through access_object); every opening is logged."""
    data = paper.read()
    audit.record(
        actor,
        events.PAPER_OPENED,
        organisation=paper.organisation,
        obj=paper,
        after={"submission": paper.version.submission_id, "version": paper.version.number},
    )
    return data


# -- documents made for a meeting (through the văn thư) -------------------------------------------
# Their text is Vietnamese whatever the interface language: they are the committee's documents.


def _when(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.starts_at)
    return f"{start:%H} giờ {start:%M}, {date_phrase(start.date())}"


def source_title(meeting: Meeting) -> str:
    """The follow-up source of a meeting's task conclusions: who concluded and when, never the
    meeting's title, which only the meeting's readers may see (the source is read by every unit
    given one of its tasks)."""
    if meeting.body is not None:
        return f"Kết luận của {meeting.body.name} ngày {meeting.day:%d/%m/%Y}"
    return f"Kết luận tại cuộc họp ngày {meeting.day:%d/%m/%Y}"


def _body_title(meeting: Meeting) -> str:
    return meeting.body.name if meeting.body is not None else meeting.title


# The collective body a document is signed for (HD 36-HD/VPTW: "T/M BAN THƯỜNG VỤ"); the Standing
# Board works on behalf of the Standing Committee (Party Charter art. 20), so it signs for it too.
SIGNING_BODIES: dict[str, str] = {
    BodyKind.EXECUTIVE: "BAN CHẤP HÀNH",
    BodyKind.STANDING: "BAN THƯỜNG VỤ",
    BodyKind.STANDING_BOARD: "BAN THƯỜNG VỤ",
}
SIGNER_TITLES: dict[str, str] = {
    BodyRole.SECRETARY: "BÍ THƯ",
    BodyRole.STANDING_DEPUTY: "PHÓ BÍ THƯ",
    BodyRole.DEPUTY: "PHÓ BÍ THƯ",
}


def _signer_title(meeting: Meeting) -> str:
    """The chair's title in the signature: Bí thư or Phó Bí thư by their role in the body."""
    chair = meeting.chair
    if chair is None:
        return ""
    role = (
        BodyMembership.objects.filter(body=meeting.body, person=chair).values_list("role", flat=True).first()
        if meeting.body is not None
        else None
    )
    return SIGNER_TITLES.get(role, chair.job_title) if role else chair.job_title


def _draft(
    actor: Actor,
    meeting: Meeting,
    symbol: str,
    summary: str,
    body: str,
    secrecy: int,
    *,
    on_behalf: bool = True,
) -> OutgoingDocument:
    """An outgoing draft signed by the chair: for the body (T/M) or, for minutes, as the chair."""
    signing_body = SIGNING_BODIES.get(meeting.body.kind, "") if meeting.body is not None and on_behalf else ""
    return documents_outgoing.save_draft(
        actor,
        OutgoingDocument(
            doc_type=DocumentType.objects.get(symbol=symbol),
            summary=summary,
            body=body,
            secrecy=secrecy,
            signer=meeting.chair,
            signing_authority="T/M" if signing_body else "",
            signing_body=signing_body,
            signer_title=_signer_title(meeting) if on_behalf else "CHỦ TRÌ HỘI NGHỊ",
            external_recipients="Như trên,\nLưu Văn phòng.",
        ),
    )


def make_invitation(actor: Actor, meeting: Meeting) -> OutgoingDocument:
    """The invitation (giấy mời) as an outgoing draft. Secret items are not named in it."""
    require(actor, MANAGE)
    items = list(meeting.items.all())
    lines = [f"{n}. {item.title}" for n, item in enumerate((i for i in items if i.secrecy == 0), start=1)]
    if any(item.secrecy for item in items):
        lines.append("Một số nội dung khác (tài liệu gửi riêng theo chế độ mật).")
    invited = [
        str(i) if i.person_id else f"{i.guest_name}, {i.guest_title}"
        for i in meeting.invitees.select_related("person")
    ]
    body = "\n\n".join(
        [
            f"{_body_title(meeting)} trân trọng kính mời: {'; '.join(invited) or '…'}.",
            f"Dự: {meeting.title}.",
            f"Thời gian: {_when(meeting)}.",
            f"Địa điểm: {meeting.place}.",
            "Nội dung:",
            *(lines or ["…"]),
            "Đề nghị các đồng chí nghiên cứu tài liệu trước cuộc họp và dự đúng giờ.",
        ]
    )
    with transaction.atomic():
        doc = _draft(actor, meeting, "GM", f"Mời dự {meeting.title}", body, Clearance.NONE)
        meeting.invitation = doc
        meeting.save(update_fields=["invitation"])
    return doc


def _conclusion_lines(meeting: Meeting) -> list[str]:
    lines = []
    for n, item in enumerate(meeting.items.prefetch_related("conclusions", "votes"), start=1):
        lines.append(f"{n}. {item.title}")
        for vote in item.votes.all():
            if vote.passed:
                verdict = "thông qua"
            elif vote.quorum_met:
                verdict = "không thông qua"
            else:
                verdict = "không thông qua (hội nghị không đủ số lượng)"
            lines.append(
                f"Biểu quyết: {vote.question}: {vote.votes_for}/{vote.members} đồng chí tán thành, "
                f"{vote.votes_against} không tán thành, {vote.abstentions} không biểu quyết; {verdict}."
            )
        for conclusion in item.conclusions.all():
            text = conclusion.text
            if conclusion.kind == ConclusionKind.TASK:
                parts = [text]
                if conclusion.lead_unit:
                    parts.append(f"Giao {conclusion.lead_unit.name} chủ trì thực hiện")
                if conclusion.deadline:
                    parts.append(f"hoàn thành trước {conclusion.deadline:%d/%m/%Y}")
                text = "; ".join(parts)
            lines.append(f"- {text.rstrip('.')}.")
    return lines


def make_notice(actor: Actor, meeting: Meeting) -> OutgoingDocument:
    """The conclusion notice (Thông báo kết luận) as an outgoing draft in the Party's format."""
    require(actor, MANAGE)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(_("The conclusion notice is made after the meeting has been held."))
    if not Conclusion.objects.filter(item__meeting=meeting).exists():
        raise ValidationError(_("Record the conclusions first."))
    chair = f", dưới sự chủ trì của đồng chí {meeting.chair.full_name}" if meeting.chair is not None else ""
    body = "\n\n".join(
        [
            f"Ngày {timezone.localtime(meeting.starts_at):%d/%m/%Y}, tại {meeting.place}, "
            f"{_body_title(meeting)} đã họp{chair}. "
            f"Sau khi nghe báo cáo và thảo luận, {_body_title(meeting)} kết luận như sau:",
            *_conclusion_lines(meeting),
        ]
    )
    day = timezone.localtime(meeting.starts_at).date()
    summary = f"Kết luận của {_body_title(meeting)} tại {meeting.title} ngày {day:%d/%m/%Y}"
    with transaction.atomic():
        doc = _draft(actor, meeting, "TB", summary, body, derived_secrecy(meeting.items.all()))
        meeting.notice = doc
        meeting.save(update_fields=["notice"])
    return doc


def make_minutes_document(actor: Actor, meeting: Meeting) -> OutgoingDocument:
    """The minutes (biên bản) as an outgoing draft: time, place, attendance, items, votes, conclusions."""
    require(actor, MANAGE)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(_("The minutes are made after the meeting has been held."))
    invitees = list(meeting.invitees.select_related("person"))
    present = [str(i) for i in invitees if i.attendance == Attendance.PRESENT]
    absent = [
        f"{i} ({i.absence_reason or 'không rõ lý do'})" for i in invitees if i.attendance == Attendance.ABSENT
    ]
    count = quorum(meeting)
    attendance = f"Có mặt: {len(present)} đồng chí" + (
        f" ({count.present}/{count.members} ủy viên)" if count else ""
    )
    parts = [
        f"Thời gian: {_when(meeting)}.",
        f"Địa điểm: {meeting.place}.",
        f"Chủ trì: đồng chí {meeting.chair.full_name}." if meeting.chair is not None else "",
        f"{attendance}: {', '.join(present) or '…'}.",
        f"Vắng mặt: {', '.join(absent)}." if absent else "",
        "NỘI DUNG",
        meeting.minutes,
        "KẾT LUẬN",
        *_conclusion_lines(meeting),
    ]
    with transaction.atomic():
        doc = _draft(
            actor,
            meeting,
            "BB",
            f"{meeting.title} ngày {timezone.localtime(meeting.starts_at):%d/%m/%Y}",
            "\n\n".join(p for p in parts if p),
            derived_secrecy(meeting.items.all()),
            on_behalf=False,
        )
        meeting.minutes_document = doc
        meeting.save(update_fields=["minutes_document"])
    return doc


# -- the weekly work schedule ----------------------------------------------------------------------

ENTRY_FIELDS = ["day", "start", "end", "leaders", "content", "place", "preparer", "cancelled"]


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def start_week(actor: Actor, day: datetime.date) -> WeeklySchedule:
    """The draft schedule of the week of `day`, started from the meetings planned that week."""
    require(actor, MANAGE)
    organisation = _org(actor)
    monday = monday_of(day)
    with transaction.atomic():
        schedule, created = WeeklySchedule.objects.get_or_create(organisation=organisation, week_start=monday)
        if not created:
            return schedule
        start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
        meetings = Meeting.objects.filter(
            organisation=organisation, starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=7)
        ).exclude(status=MeetingStatus.CANCELLED)
        for meeting in meetings.select_related("chair"):
            begins, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
            ScheduleEntry.objects.create(
                organisation=organisation,
                schedule=schedule,
                day=begins.date(),
                start=begins.time(),
                end=ends.time() if ends.date() == begins.date() else None,
                leaders=meeting.chair.full_name if meeting.chair is not None else "",
                content=meeting.title,
                place=meeting.place,
                preparer=_("The office"),
                meeting=meeting,
            )
        audit.record(actor, events.SCHEDULE_CREATED, organisation=organisation, obj=schedule)
    return schedule


def save_entry(actor: Actor, entry: ScheduleEntry) -> ScheduleEntry:
    """Add or change an entry; after publication the change is marked for readers."""
    require(actor, MANAGE)
    schedule = entry.schedule
    entry.leaders, entry.content, entry.place, entry.preparer = (
        clean(entry.leaders),
        clean(entry.content),
        clean(entry.place),
        clean(entry.preparer),
    )
    errors: dict[str, str] = {}
    if not schedule.week_start <= entry.day < schedule.week_start + datetime.timedelta(days=7):
        errors["day"] = _("The day must be within the week of this schedule.")
    if entry.end is not None and entry.end <= entry.start:
        errors["end"] = _("The end must be after the start.")
    for field, message in (
        ("leaders", _("Enter who takes part.")),
        ("content", _("Enter what the activity is.")),
        ("place", _("Enter the place.")),
    ):
        if not getattr(entry, field):
            errors[field] = message
    if errors:
        raise ValidationError(errors)
    creating = entry.pk is None
    with transaction.atomic():
        before = None if creating else audit.snapshot(ScheduleEntry.objects.get(pk=entry.pk), ENTRY_FIELDS)
        entry.organisation = schedule.organisation
        if schedule.status == ScheduleStatus.PUBLISHED:
            entry.changed_after_publication = timezone.now()
        elif schedule.status == ScheduleStatus.APPROVED:
            # A change to an approved draft needs approving again.
            schedule.status = ScheduleStatus.DRAFT
            schedule.approved_by = None
            schedule.save(update_fields=["status", "approved_by"])
        entry.save()
        audit.record(
            actor,
            events.SCHEDULE_ENTRY_SAVED,
            organisation=schedule.organisation,
            obj=schedule,
            before=before,
            after=audit.snapshot(entry, ENTRY_FIELDS),
        )
    return entry


def approve_schedule(actor: Actor, schedule: WeeklySchedule) -> WeeklySchedule:
    require(actor, APPROVE_SCHEDULE)
    if schedule.status != ScheduleStatus.DRAFT:
        raise ValidationError(_("Only a draft schedule can be approved."))
    if not schedule.entries.exists():
        raise ValidationError(_("The schedule has no entries."))
    with transaction.atomic():
        schedule.status, schedule.approved_by = ScheduleStatus.APPROVED, actor.user
        schedule.save(update_fields=["status", "approved_by"])
        audit.record(actor, events.SCHEDULE_APPROVED, organisation=schedule.organisation, obj=schedule)
    return schedule


def publish_schedule(actor: Actor, schedule: WeeklySchedule) -> WeeklySchedule:
    require(actor, MANAGE)
    if schedule.status != ScheduleStatus.APPROVED:
        raise ValidationError(_("The schedule must be approved before it is published."))
    with transaction.atomic():
        schedule.status, schedule.published_at = ScheduleStatus.PUBLISHED, timezone.now()
        schedule.save(update_fields=["status", "published_at"])
        audit.record(actor, events.SCHEDULE_PUBLISHED, organisation=schedule.organisation, obj=schedule)
    return schedule


# -- personal calendar feeds -------------------------------------------------------------------------


def feed_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def renew_feed(actor: Actor) -> str:
    """A new secret feed address for the actor's membership (the old one stops working)."""
    if actor.membership is None:
        raise PermissionDenied(_("You do not have permission to do this."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(membership=actor.membership).delete()
        CalendarFeed.objects.create(membership=actor.membership, token_hash=feed_hash(token))
        audit.record(actor, events.CALENDAR_FEED_RENEWED)
    return token


def revoke_feed(actor: Actor) -> None:
    with transaction.atomic():
        deleted, _rows = CalendarFeed.objects.filter(membership=actor.membership).delete()
        if deleted:
            audit.record(actor, events.CALENDAR_FEED_REVOKED)
