"""The one way an object changes state: workflows as data, transitions applied on the locked row.

A `Workflow` names its model, the field holding the state, the fields its audit snapshots keep, and
its `Transition`s: from which states, to which (or none: an action that keeps the state, such as an
extension), the permission it needs and, where a role is not enough, a rule about the actor and the
object (the drafter, the signer, the named handlers).

- `actions_for(actor, obj)` answers which actions the actor may take on the object now: the views
  show exactly these, and `apply` enforces the same answer.
- `require(actor, obj, action)`, for an action that keeps the state and writes rows of its own (a
  vote, an opinion), locks the row and makes the same checks, and returns the locked row.
- `apply(actor, obj, action, **fields)` locks the row (`select_for_update`; SQLite's writers queue on
  BEGIN IMMEDIATE), then checks the permission, the rule and the state *on the locked row*, so two
  people acting at once cannot both pass; it sets the fields and the new state, writes the history
  step (a workflow's `history` hook, given `step=`) and the audit event, in the caller's transaction.

Refusals: `PermissionDenied` for who may not, `ValidationError` (code "state") for what may not be
done in the object's state now, with the state named.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanphong.core import audit, events
from vanphong.core.access import Actor

M = TypeVar("M", bound=models.Model)
Rule = Callable[[Actor, Any], bool]
# Writes a workflow's own history row: (actor, object as saved, transition, state before, step data).
History = Callable[[Actor, Any, "Transition", str, dict[str, Any]], None]


NOT_PERMITTED = gettext_lazy("You do not have permission to do this.")


@dataclass(frozen=True)
class Transition:
    action: str
    label: str | Promise
    sources: frozenset[str]
    target: str | None  # None: the action keeps the state
    permission: str | None = None
    rule: Rule | None = None  # beyond the permission: who, of those holding it, may act on this object
    refusal: str | Promise = NOT_PERMITTED

    def permits(self, actor: Actor, obj: Any) -> bool:
        if actor.system:
            return True
        if self.permission is not None and not actor.has_perm(self.permission):
            return False
        return self.rule is None or self.rule(actor, obj)


@dataclass(frozen=True)
class Workflow(Generic[M]):
    name: str  # the audit events are "<name>.<action>"
    model: type[M]
    transitions: tuple[Transition, ...]
    state_field: str = "status"
    snapshot: tuple[str, ...] = ()  # fields kept before and after in the audit event
    history: History | None = None
    _by_action: dict[str, Transition] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_action", {t.action: t for t in self.transitions})
        for transition in self.transitions:
            events.declare(f"{self.name}.{transition.action}")

    def transition(self, action: str) -> Transition:
        try:
            return self._by_action[action]
        except KeyError as exc:
            raise LookupError(f"{self.name} has no action {action!r}") from exc

    def state_of(self, obj: M) -> str:
        return str(getattr(obj, self.state_field))

    def actions_for(self, actor: Actor, obj: M) -> list[Transition]:
        """What the actor may do to the object now, in the workflow's order."""
        state = self.state_of(obj)
        return [t for t in self.transitions if state in t.sources and t.permits(actor, obj)]

    def allows(self, actor: Actor, obj: M, action: str) -> bool:
        return any(t.action == action for t in self.actions_for(actor, obj))

    def require(self, actor: Actor, obj: M, action: str) -> M:
        """Lock the object's row until the end of the caller's transaction and check, on the row as it
        is now, who may act and whether its state allows the action. Returns the locked row as stored
        (the object given may hold changes not saved yet)."""
        transition = self.transition(action)
        locked = self.model._default_manager.select_for_update().get(pk=obj.pk)
        if not transition.permits(actor, locked):
            raise PermissionDenied(transition.refusal)
        if self.state_of(locked) not in transition.sources:
            raise ValidationError(
                _("“%(action)s” is not possible while it is “%(state)s”."),
                params={"action": transition.label, "state": _state_label(locked, self.state_field)},
                code="state",
            )
        return locked

    def apply(
        self,
        actor: Actor,
        obj: M,
        action: str,
        *,
        change: Callable[[M], None] | None = None,
        about: Iterable[Any] = (),
        step: dict[str, Any] | None = None,
        **fields: Any,
    ) -> M:
        """Take one transition on the locked row; returns the row as saved (`obj` is refreshed too)."""
        transition = self.transition(action)
        with transaction.atomic():
            locked = self.require(actor, obj, action)
            state = self.state_of(locked)
            before = audit.snapshot(locked, list(self.snapshot)) if self.snapshot else None
            for name, value in fields.items():
                setattr(locked, name, value)
            if transition.target is not None:
                setattr(locked, self.state_field, transition.target)
            if change is not None:
                change(locked)
            locked.save()
            if self.history is not None:
                self.history(actor, locked, transition, state, step or {})
            audit.record(
                actor,
                f"{self.name}.{action}",
                locked,
                organisation=getattr(locked, "organisation", None),
                before=before,
                after=audit.snapshot(locked, list(self.snapshot)) if self.snapshot else None,
                about=about,
            )
        obj.refresh_from_db()
        return locked


def _state_label(obj: models.Model, state_field: str) -> str:
    display = getattr(obj, f"get_{state_field}_display", None)
    return str(display()) if callable(display) else str(getattr(obj, state_field))
