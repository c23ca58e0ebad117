"""The petition workflow as data (core.workflow): states (models.State) and the transitions between them.

received ─ transfer ─→ transferred (closed: a transfer or guidance letter drafted)
         ─ file ─────→ filed (closed: not accepted, e.g. anonymous, or a repeat already answered)
         ─ accept ───→ accepted ─ assign ─→ verifying ─ conclude ─→ concluded ─ answer ─→ answered
Extensions, and changes of the case's complexity or area (which recompute its deadline), are recorded
while the case is accepted or being verified and keep its state. Each transition is a `Step` of the
petition's history and an audit event "petition.<action>".

The services (`petitions.intake`, `petitions.handling`) that check or compute something from the
petition (its dates, its complexity, its extensions) first `lock` it, so that what they check is what
they change; each then takes the `transition`, which checks who may act, and whether the petition's
state allows it, on the locked row.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vanphong.core.access import Actor
from vanphong.core.workflow import Transition, Workflow
from vanphong.petitions.models import Petition, State, Step
from vanphong.petitions.permissions import ASSIGN, PROCESS, may_handle

# The fields an audit event keeps before and after a change of a petition.
PETITION_FIELDS = [
    "year",
    "number",
    "received_on",
    "channel",
    "transferred_from",
    "visit",
    "sender_kind",
    "sender_body",
    "delegation_size",
    "kind",
    "subject",
    "summary",
    "concerns",
    "competence",
    "competent_body",
    "instance",
    "is_complex",
    "is_especially_complex",
    "remote_area",
    "state",
    "acceptance_deadline",
    "accepted_on",
    "resolution_deadline",
    "concluded_on",
    "conclusion",
    "answered_on",
    "answer",
    "closed_reason",
    "transfer_letter",
    "similar_to",
    "is_repeat",
]

HANDLERS = _("Only the named handlers and the office chief can do this.")


def _extendable(actor: Actor, petition: Petition) -> bool:
    """The named handlers, for a case whose statutory rule allows an extension."""
    rule = petition.resolution_rule
    return may_handle(actor, petition) and rule is not None and bool(rule.extension_days)


def _step(
    actor: Actor, petition: Petition, transition: Transition, before: str, data: dict[str, Any]
) -> None:
    Step.objects.create(
        organisation=petition.organisation,
        petition=petition,
        action=transition.action,
        from_state=before,
        to_state=petition.state,
        on=data["on"],
        note=data.get("note", ""),
        by=actor.user,
    )


OPEN = frozenset({State.ACCEPTED, State.VERIFYING})

WORKFLOW: Workflow[Petition] = Workflow(
    name="petition",
    model=Petition,
    state_field="state",
    snapshot=tuple(PETITION_FIELDS),
    history=_step,
    transitions=(
        Transition(
            "transfer", _("Transfer or guide"), frozenset({State.RECEIVED}), State.TRANSFERRED, PROCESS
        ),
        Transition("file", _("Do not accept, file"), frozenset({State.RECEIVED}), State.FILED, PROCESS),
        Transition("accept", _("Accept (thụ lý)"), frozenset({State.RECEIVED}), State.ACCEPTED, PROCESS),
        Transition("assign", _("Name the handlers"), OPEN, State.VERIFYING, ASSIGN),
        Transition(
            "classify", _("Change the complexity or the area"), OPEN, None, PROCESS, may_handle, HANDLERS
        ),
        Transition("extend", _("Record an extension decision"), OPEN, None, PROCESS, _extendable, HANDLERS),
        Transition(
            "conclude",
            _("Conclude"),
            frozenset({State.VERIFYING}),
            State.CONCLUDED,
            PROCESS,
            may_handle,
            HANDLERS,
        ),
        Transition(
            "answer", _("Answer"), frozenset({State.CONCLUDED}), State.ANSWERED, PROCESS, may_handle, HANDLERS
        ),
    ),
)


def lock(petition: Petition) -> None:
    """Lock the petition's row until the end of the transaction and read it again, in place.

    Two officers acting at once on one petition then act one after the other, the second on what the
    first left (on SQLite the writers already queue on BEGIN IMMEDIATE; the lock is for PostgreSQL).
    """
    petition.refresh_from_db(from_queryset=Petition.objects.select_for_update())


def transition(
    actor: Actor,
    petition: Petition,
    action: str,
    *,
    on: datetime.date,
    note: str = "",
    change: Callable[[Petition], None] | None = None,
    **fields: Any,
) -> Petition:
    """Take one transition of the workflow: a step of the history dated `on`, and its audit event.
    `change` writes what goes with it (the handlers named), once the transition is allowed."""
    return WORKFLOW.apply(actor, petition, action, change=change, step={"on": on, "note": note}, **fields)


def check_step_date(on: datetime.date, field: str, errors: dict[str, str]) -> None:
    """A step (a decision, a conclusion, an answer) is dated today at the latest."""
    if on > timezone.localdate():
        errors[field] = gettext("The date is in the future.")
