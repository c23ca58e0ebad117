"""Submissions and their appraisal: a unit's paper for a body, its versions and files, the office's
appraisal with the opinions of units, and its place on a meeting's agenda. Each step is a transition
of `workflow.SUBMISSIONS`, checked on the submission's locked row; each entry point is one durable
transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.accounts.models import Membership
from vanphong.core import audit
from vanphong.core.access import Actor, require
from vanphong.core.calendar import WorkingCalendar
from vanphong.core.files import stored_for_transaction, validate_upload
from vanphong.core.models import Clearance
from vanphong.core.text import clean
from vanphong.meetings import events
from vanphong.meetings.models import (
    AgendaItem,
    Meeting,
    Opinion,
    Paper,
    Recommendation,
    Submission,
    SubmissionVersion,
)
from vanphong.meetings.permissions import SUBMIT, acting_organisation, may_answer
from vanphong.meetings.rules import papers_due
from vanphong.meetings.sessions import next_order
from vanphong.meetings.workflow import MEETINGS, SUBMISSION_FIELDS, SUBMISSIONS
from vanphong.org.models import Unit

UploadedFile = tuple[str, bytes]

RECOMMENDATION_ACTIONS = {
    Recommendation.READY: "ready",
    Recommendation.REVISE: "return",
    Recommendation.NOT_COMPETENT: "decline",
}


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
    organisation = acting_organisation(actor)
    creating = submission.pk is None
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
    encrypt = submission.secrecy > Clearance.NONE
    with (
        stored_for_transaction([data for data, _info in checked], encrypt=encrypt) as stored,
        transaction.atomic(durable=True),
    ):
        # Who may change it, and its state, are checked on the row as stored, locked.
        stored_row = None if creating else SUBMISSIONS.require(actor, submission, "updated")
        if errors:
            raise ValidationError(errors)
        before = None if stored_row is None else audit.snapshot(stored_row, list(SUBMISSION_FIELDS))
        submission.organisation = organisation
        if stored_row is not None:
            submission.status = stored_row.status
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
                **audit.snapshot(submission, list(SUBMISSION_FIELDS)),
                "files": [i.original_name for _d, i in checked],
            },
        )
    return submission


@transaction.atomic(durable=True)
def submit(actor: Actor, submission: Submission) -> Submission:
    return SUBMISSIONS.apply(actor, submission, "submit", submitted_at=timezone.now())


@transaction.atomic(durable=True)
def start_appraisal(actor: Actor, submission: Submission, *, appraiser: Any) -> Submission:
    """The office chief assigns an appraiser, a member of the organisation, and the appraisal starts."""
    if not Membership.objects.filter(
        user=appraiser, organisation=submission.organisation, is_active=True
    ).exists():
        raise ValidationError({"appraiser": _("The appraiser must be a member of this organisation.")})
    return SUBMISSIONS.apply(actor, submission, "start_appraisal", appraiser=appraiser)


@transaction.atomic(durable=True)
def request_opinions(
    actor: Actor, submission: Submission, *, units: Sequence[Unit], days: int
) -> list[Opinion]:
    """Ask units for their opinion on a submission under appraisal, due in `days` working days."""
    SUBMISSIONS.require(actor, submission, "opinions_requested")
    if not units:
        raise ValidationError({"units": _("Choose at least one unit.")})
    if any(unit.organisation_id != submission.organisation_id for unit in units):
        raise ValidationError({"units": _("The selected item does not exist.")})
    if days < 1:
        raise ValidationError({"days": _("Give at least one working day.")})
    due = WorkingCalendar(submission.organisation).working_days_after(timezone.localdate(), days)
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


@transaction.atomic(durable=True)
def answer_opinion(actor: Actor, opinion: Opinion, *, text: str) -> Opinion:
    """A unit gives its opinion (its own people, or the office on its behalf)."""
    if not may_answer(actor, opinion):
        raise PermissionDenied(_("Only the unit asked can give this opinion."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the opinion.")})
    opinion.text, opinion.answered_at, opinion.answered_by = text, timezone.now(), actor.user
    opinion.save()
    audit.record(
        actor,
        events.OPINION_ANSWERED,
        organisation=opinion.organisation,
        obj=opinion.submission,
    )
    return opinion


@transaction.atomic(durable=True)
def appraise(actor: Actor, submission: Submission, *, recommendation: str, text: str) -> Submission:
    """The appraiser's conclusion: ready to present, back for revision, or not the body's matter."""
    if recommendation not in RECOMMENDATION_ACTIONS:
        raise ValidationError({"recommendation": _("Choose a recommendation.")})
    text = text.strip()
    if not text:
        raise ValidationError({"appraisal": _("Write the appraisal.")})
    return SUBMISSIONS.apply(
        actor,
        submission,
        RECOMMENDATION_ACTIONS[Recommendation(recommendation)],
        recommendation=recommendation,
        appraisal=text,
        appraised_at=timezone.now(),
    )


@transaction.atomic(durable=True)
def withdraw(actor: Actor, submission: Submission) -> Submission:
    return SUBMISSIONS.apply(actor, submission, "withdraw")


@transaction.atomic(durable=True)
def schedule(
    actor: Actor, submission: Submission, meeting: Meeting, *, accept_late: bool = False
) -> AgendaItem:
    """Put a ready submission on a planned meeting's agenda (as its next item)."""
    errors = []
    if meeting.organisation_id != submission.organisation_id:
        raise ValidationError(_("The selected item does not exist."))
    meeting = MEETINGS.require(actor, meeting, "item_added")
    if meeting.starts_at <= timezone.now():
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
    SUBMISSIONS.apply(actor, submission, "schedule")
    item = AgendaItem.objects.create(
        organisation=meeting.organisation,
        meeting=meeting,
        order=next_order(meeting),
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


@transaction.atomic(durable=True)
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
