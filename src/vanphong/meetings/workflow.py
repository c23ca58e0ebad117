"""The workflows of meetings as data (core.workflow): a submission's way from a unit's draft to the
body's decision, and a meeting's life.

SUBMISSIONS:

draft ─ submit ─→ submitted ─ start_appraisal ─→ appraisal ─ ready ───→ ready ─ schedule ─→ scheduled
  ↑                                                        ─ return ──→ returned (revised, submitted again)
  └── (returned) ──────────────────────────────────────────  decline ─→ declined (final)
scheduled ─ decide ─→ decided (the meeting was held) · scheduled ─ unschedule ─→ ready (it was cancelled)
draft, submitted, returned, ready ─ withdraw ─→ withdrawn

The office chief assigns the appraisal; the appraiser (or the chief) asks units for opinions and
concludes it; the submitting unit (or the office) submits, revises and withdraws. Each transition is an
audit event "submission.<action>", and those events are the submission's history on its page.

MEETINGS:

planned ─ opened (from the start time) ─→ in_session ─ held (with the minutes) ─→ held
planned ─ postponed (new time, reason) ─→ postponed ─ rescheduled ─→ planned
planned, postponed ─ cancelled (reason) ─→ cancelled (its papers go back to "ready")

The agenda, the invitations and the invitation letter are prepared while it is planned or postponed;
attendance, votes and conclusions are recorded while it is in session; the minutes document, the
conclusion notice and the withdrawal of the papers come once it is held. The office (MANAGE) does all
of it. Each transition is an audit event "meeting.<action>".

Actions that keep the state and write rows of their own (a revision, opinions asked for) are in the
workflow too, so that what may be done in each state is one table; their services `require` them,
which checks them on the locked row as `apply` checks a transition.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from vanphong.core.access import Actor, can_change
from vanphong.core.models import Clearance
from vanphong.core.workflow import Transition, Workflow
from vanphong.meetings.models import Meeting, MeetingStatus, Submission, SubmissionStatus
from vanphong.meetings.permissions import APPRAISE, MANAGE, SUBMIT, is_appraiser

S = SubmissionStatus

# The fields an audit event keeps before and after a change of a submission.
SUBMISSION_FIELDS = ("title", "kind", "unit", "body", "secrecy", "status", "summary", "appraiser")

UNIT_OR_OFFICE = _("Only the submitting unit and the office can change this submission.")
APPRAISERS = _("Only the assigned appraiser or the office chief can do this.")


def _of_its_unit(actor: Actor, submission: Submission) -> bool:
    return can_change(actor, submission)


APPRAISAL = frozenset({S.UNDER_APPRAISAL})

SUBMISSIONS: Workflow[Submission] = Workflow(
    name="submission",
    model=Submission,
    snapshot=SUBMISSION_FIELDS,
    transitions=(
        Transition(
            "updated",
            _("Revise (new version)"),
            frozenset({S.DRAFT, S.RETURNED}),
            None,
            SUBMIT,
            _of_its_unit,
            UNIT_OR_OFFICE,
        ),
        Transition(
            "submit",
            _("Submit to the office"),
            frozenset({S.DRAFT, S.RETURNED}),
            S.SUBMITTED,
            SUBMIT,
            _of_its_unit,
            UNIT_OR_OFFICE,
        ),
        Transition(
            "start_appraisal", _("Start the appraisal"), frozenset({S.SUBMITTED}), S.UNDER_APPRAISAL, APPRAISE
        ),
        Transition(
            "opinions_requested",
            _("Ask units for their opinion"),
            APPRAISAL,
            None,
            rule=is_appraiser,
            refusal=APPRAISERS,
        ),
        Transition(
            "return", _("Return for revision"), APPRAISAL, S.RETURNED, rule=is_appraiser, refusal=APPRAISERS
        ),
        Transition(
            "ready", _("Find ready to present"), APPRAISAL, S.READY, rule=is_appraiser, refusal=APPRAISERS
        ),
        Transition(
            "decline",
            _("Find not in the body's competence"),
            APPRAISAL,
            S.DECLINED,
            rule=is_appraiser,
            refusal=APPRAISERS,
        ),
        Transition("schedule", _("Put on the agenda"), frozenset({S.READY}), S.SCHEDULED, MANAGE),
        Transition("unschedule", _("Take off the agenda"), frozenset({S.SCHEDULED}), S.READY, MANAGE),
        Transition("decide", _("Record as decided"), frozenset({S.SCHEDULED}), S.DECIDED, MANAGE),
        Transition(
            "withdraw",
            _("Withdraw"),
            frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED, S.READY}),
            S.WITHDRAWN,
            SUBMIT,
            _of_its_unit,
            UNIT_OR_OFFICE,
        ),
    ),
)


# The fields an audit event keeps before and after a change of a meeting.
MEETING_FIELDS = (
    "kind",
    "body",
    "extraordinary",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "chair",
    "status",
    "status_reason",
)

CLEARED_FOR_EVERY_ITEM = _("Your clearance does not allow handling documents of this secrecy level.")
ALREADY_WITHDRAWN = _("The papers are already withdrawn from the members' screens.")


def _cleared_for_every_item(actor: Actor, meeting: Meeting) -> bool:
    """The minutes may speak of every item: only those cleared for the most secret one write them."""
    secrecy = meeting.items.values_list("secrecy", flat=True)
    return actor.clearance >= max(secrecy, default=Clearance.NONE)


def _papers_on_screens(actor: Actor, meeting: Meeting) -> bool:
    return not meeting.papers_withdrawn


MS = MeetingStatus
PREPARING = frozenset({MS.PLANNED, MS.POSTPONED})
IN_SESSION = frozenset({MS.IN_SESSION})
HELD = frozenset({MS.HELD})

MEETINGS: Workflow[Meeting] = Workflow(
    name="meeting",
    model=Meeting,
    snapshot=MEETING_FIELDS,
    transitions=(
        Transition("opened", _("Open the session"), frozenset({MS.PLANNED}), MS.IN_SESSION, MANAGE),
        Transition(
            "held",
            _("Record the meeting as held"),
            IN_SESSION,
            MS.HELD,
            MANAGE,
            _cleared_for_every_item,
            CLEARED_FOR_EVERY_ITEM,
        ),
        Transition("postponed", _("Postpone"), frozenset({MS.PLANNED}), MS.POSTPONED, MANAGE),
        Transition("rescheduled", _("Reschedule"), frozenset({MS.POSTPONED}), MS.PLANNED, MANAGE),
        Transition("cancelled", _("Cancel the meeting"), PREPARING, MS.CANCELLED, MANAGE),
        # What may be done in each state, keeping it.
        Transition("updated", _("Edit"), PREPARING, None, MANAGE),
        Transition("item_added", _("Add an agenda item"), PREPARING, None, MANAGE),
        Transition("invited", _("Invite someone"), PREPARING, None, MANAGE),
        Transition("invitation", _("Make the invitation (giấy mời)"), PREPARING, None, MANAGE),
        Transition("attendance", _("Save attendance"), IN_SESSION, None, MANAGE),
        Transition("vote", _("Record a vote"), IN_SESSION, None, MANAGE),
        Transition("conclusion", _("Record a conclusion"), IN_SESSION, None, MANAGE),
        Transition("minutes", _("Make the minutes document (biên bản)"), HELD, None, MANAGE),
        Transition("notice", _("Make the conclusion notice (thông báo kết luận)"), HELD, None, MANAGE),
        Transition(
            "papers_withdrawn",
            _("Withdraw the papers from members' screens"),
            HELD,
            None,
            MANAGE,
            _papers_on_screens,
            ALREADY_WITHDRAWN,
        ),
    ),
)
