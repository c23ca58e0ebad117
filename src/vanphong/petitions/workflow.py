"""The petition workflow as data: states (models.State) and the transitions allowed between them.

received ─ transfer ─→ transferred (closed: a transfer or guidance letter drafted)
         ─ file ─────→ filed (closed: not accepted, e.g. anonymous, or a repeat already answered)
         ─ accept ───→ accepted ─ assign ─→ verifying ─ conclude ─→ concluded ─ answer ─→ answered
Extensions, and changes of the case's complexity or area (which recompute its deadline), are recorded
while the case is accepted or being verified and keep its state.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vanphong.petitions.models import State
from vanphong.petitions.permissions import ASSIGN, PROCESS


@dataclass(frozen=True)
class Transition:
    action: str
    label: str | Promise
    sources: frozenset[str]
    target: str | None  # None: the state does not change
    permission: str
    # Only the named handlers and the office chief (after acceptance the case is theirs).
    handlers_only: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "transfer", _("Transfer or guide"), frozenset({State.RECEIVED}), State.TRANSFERRED, PROCESS
        ),
        Transition("file", _("Do not accept, file"), frozenset({State.RECEIVED}), State.FILED, PROCESS),
        Transition("accept", _("Accept (thụ lý)"), frozenset({State.RECEIVED}), State.ACCEPTED, PROCESS),
        Transition(
            "assign",
            _("Name the handlers"),
            frozenset({State.ACCEPTED, State.VERIFYING}),
            State.VERIFYING,
            ASSIGN,
        ),
        Transition(
            "classify",
            _("Change the complexity or the area"),
            frozenset({State.ACCEPTED, State.VERIFYING}),
            None,
            PROCESS,
            handlers_only=True,
        ),
        Transition(
            "extend",
            _("Record an extension decision"),
            frozenset({State.ACCEPTED, State.VERIFYING}),
            None,
            PROCESS,
            handlers_only=True,
        ),
        Transition(
            "conclude",
            _("Conclude"),
            frozenset({State.VERIFYING}),
            State.CONCLUDED,
            PROCESS,
            handlers_only=True,
        ),
        Transition(
            "answer", _("Answer"), frozenset({State.CONCLUDED}), State.ANSWERED, PROCESS, handlers_only=True
        ),
    )
}


def allowed_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]
