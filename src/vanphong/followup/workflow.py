"""How the follow-up's objects change state (core.workflow): tasks, progress reports, extension requests.

A task's `phase` is never typed: it is derived from the task's facts (`derive`, the one place a phase
is decided) and kept with the counts the roll-ups read (`tally`). A change of a task that may move its
phase is a transition of `TASK`, taken through `change_task`: the task is locked, the workflow checks
who may act and the phase *on the locked row*, the phase is derived again, the counts follow.

    not started / in progress / extended / series ─ cancelled ─→ cancelled
    not started / in progress / extended ─ progressed ─→ (derived: in progress, done on time, done late)
    not started / in progress / extended ─ extended ───→ extended
    done on time / done late ─ evaluated ─→ (kept)

A progress report waits for the office: pending ─ accepted / returned; an accepted report is the
task's progress (`progressed`). An extension request: pending ─ approved / refused; an approved one
moves the task's deadline (`extended`). The audit events are "<workflow>.<action>" (the task's
history is the audit events of the task, its reports and its extension requests, `selectors.history`).

Locks are taken in one order: a task's parents from the top, the task, then its report or request;
cancelling and re-weighting go from a task down to its sub-tasks (`lock_with_parents`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vanphong.core import audit
from vanphong.core.access import Actor
from vanphong.core.models import Clearance, Organisation
from vanphong.core.workflow import Transition, Workflow
from vanphong.followup import events
from vanphong.followup.models import (
    OPEN_PHASES,
    ExtensionRequest,
    ExtensionState,
    Phase,
    ProgressReport,
    ReportState,
    Task,
    TaskTally,
)
from vanphong.followup.permissions import MANAGE, in_office

# The fields an audit event of a task keeps before and after.
TASK_FIELDS = (
    "content",
    "expected_product",
    "lead_unit",
    "responsible",
    "secrecy",
    "weight",
    "assigned_on",
    "deadline",
    "original_deadline",
    "recurrence",
    "repeat_until",
    "progress",
    "phase",
    "done_on",
    "cancelled_on",
    "cancelled_reason",
    "evaluation",
    "evaluation_note",
)
OPEN = frozenset(OPEN_PHASES)
DONE = frozenset({Phase.DONE_ON_TIME, Phase.DONE_LATE})

TASK: Workflow[Task] = Workflow(
    name="followup.task",
    model=Task,
    state_field="phase",
    snapshot=TASK_FIELDS,
    transitions=(
        Transition(
            "cancelled", _("Cancel the task"), OPEN | {Phase.SERIES}, Phase.CANCELLED, MANAGE, in_office
        ),
        Transition("progressed", _("Record progress"), OPEN, None, MANAGE, in_office),
        Transition("extended", _("Extend the deadline"), OPEN, None, MANAGE, in_office),
        Transition("evaluated", _("Evaluate the result"), DONE, None, MANAGE, in_office),
    ),
)


def _acceptable(actor: Actor, report: ProgressReport) -> bool:
    """The office accepts a report while progress can be reported on its task."""
    return in_office(actor, report) and report_problem(report.task) is None


def _decidable(actor: Actor, request: ExtensionRequest) -> bool:
    """The office decides an extension while its task is open."""
    return in_office(actor, request) and not request.task.is_closed


PENDING_REPORT = frozenset({ReportState.PENDING})
REPORT: Workflow[ProgressReport] = Workflow(
    name="followup.report",
    model=ProgressReport,
    state_field="state",
    snapshot=("percent", "reported_on", "state", "review_note"),
    transitions=(
        Transition("accepted", _("Accept"), PENDING_REPORT, ReportState.ACCEPTED, MANAGE, _acceptable),
        Transition("returned", _("Return"), PENDING_REPORT, ReportState.RETURNED, MANAGE, in_office),
    ),
)
PENDING_REQUEST = frozenset({ExtensionState.PENDING})
EXTENSION: Workflow[ExtensionRequest] = Workflow(
    name="followup.extension",
    model=ExtensionRequest,
    state_field="state",
    snapshot=("requested_deadline", "previous_deadline", "state", "new_deadline", "decision_note"),
    transitions=(
        Transition("approved", _("Approve"), PENDING_REQUEST, ExtensionState.APPROVED, MANAGE, _decidable),
        Transition("refused", _("Refuse"), PENDING_REQUEST, ExtensionState.REFUSED, MANAGE, _decidable),
    ),
)


def derive(task: Task) -> None:
    """Set the phase from the task's facts. The only place a phase is decided."""
    if task.cancelled_on is not None:
        task.phase = Phase.CANCELLED
    elif task.recurrence:
        task.phase = Phase.SERIES
    elif task.done_on is not None:
        late = task.deadline is not None and task.done_on > task.deadline
        task.phase = Phase.DONE_LATE if late else Phase.DONE_ON_TIME
    elif task.original_deadline is not None:
        task.phase = Phase.EXTENDED
    elif task.progress > 0:
        task.phase = Phase.IN_PROGRESS
    else:
        task.phase = Phase.NOT_STARTED


def report_problem(task: Task) -> str | None:
    """Why no progress can be reported on the task now, if it cannot."""
    if task.is_closed:
        return gettext("This task is closed (%(status)s); nothing more can be reported on it.") % {
            "status": task.get_phase_display()
        }
    if task.recurrence:
        return gettext("Report on an occurrence of a recurring task, not on the series.")
    if task.subtasks.exclude(phase=Phase.CANCELLED).exists():
        return gettext("This task's progress is computed from its sub-tasks; report on them.")
    return None


def extension_problem(task: Task) -> str | None:
    """Why no extension of the task can be asked for now, if it cannot."""
    if task.is_closed or task.recurrence:
        return gettext("This task is closed (%(status)s); its deadline can no longer be extended.") % {
            "status": task.get_phase_display()
        }
    if task.extensions.filter(state=ExtensionState.PENDING).exists():
        return gettext("An extension of this task is already waiting for a decision.")
    return None


def lock(task: Task) -> Task:
    """Lock the task's row until the end of the transaction and read it again, in place."""
    task.refresh_from_db(from_queryset=Task.objects.select_for_update())
    return task


def lock_with_parents(task: Task) -> Task:
    """Lock the task's parents from the top down, then the task: the order of every writer of a tree
    (cancelling and re-weighting go from a task down to its sub-tasks; an accepted report rolls up from
    a sub-task to its parents, so it takes the parents' locks first)."""
    line: list[int] = []
    parent_id = task.parent_id
    while parent_id is not None:
        line.append(parent_id)
        parent_id = Task.objects.filter(pk=parent_id).values_list("parent_id", flat=True).get()
    for pk in reversed(line):
        Task.objects.select_for_update().only("pk").get(pk=pk)
    return lock(task)


def change_task(
    actor: Actor,
    task: Task,
    action: str,
    *,
    change: Callable[[Task], None] | None = None,
    about: Iterable[Any] = (),
    **fields: Any,
) -> Task:
    """Take a transition of the task on its locked row; the phase is derived again, the counts follow.
    `change` writes what goes with it once the transition is allowed (and may refuse it)."""
    before = audit.snapshot(lock(task), ["phase", "deadline", "secrecy"])

    def settle(locked: Task) -> None:
        if change is not None:
            change(locked)
        derive(locked)

    saved = TASK.apply(actor, task, action, change=settle, about=about, **fields)
    tally(saved, before)
    return saved


def record(actor: Actor, event: str, task: Task, before: dict[str, Any] | None, **extra: Any) -> None:
    """An audit event of the task that is not a transition (created, weight, rolled up, reported)."""
    audit.record(
        actor,
        event,
        organisation=task.organisation,
        obj=task,
        before=before,
        after={**audit.snapshot(task, list(TASK_FIELDS)), **extra},
    )


def roll_up(actor: Actor, parent: Task | None) -> None:
    """Weighted progress of sub-tasks up the tree (like Decidim's accountability module), each parent
    on its locked row: two reports on two sub-tasks at once are added one after the other.

    A parent's progress is the weighted mean of its open and done sub-tasks' progress; it is done
    when all of them are, on the day the last one was.
    """
    while parent is not None:
        parent = Task.objects.select_for_update().get(pk=parent.pk)
        children = list(
            parent.subtasks.exclude(phase=Phase.CANCELLED).values("weight", "progress", "done_on")
        )
        if not children:
            return
        before = audit.snapshot(parent, list(TASK_FIELDS))
        total = sum(c["weight"] for c in children)
        parent.progress = round(sum(c["weight"] * c["progress"] for c in children) / total)
        finished = [c["done_on"] for c in children]
        if parent.cancelled_on is None:
            parent.done_on = max(finished) if all(finished) else None  # type: ignore[type-var]
        derive(parent)
        if audit.snapshot(parent, list(TASK_FIELDS)) == before:
            return
        parent.save()
        tally(parent, before)
        record(actor, events.TASK_ROLLED_UP, parent, before)
        parent = parent.parent


# -- the counts the roll-ups read -----------------------------------------------------------------


def _tally_key(snapshot: dict[str, Any]) -> tuple[datetime.date | None, str, bool]:
    deadline = snapshot["deadline"]
    month = datetime.date.fromisoformat(str(deadline)).replace(day=1) if deadline else None
    return month, snapshot["phase"], snapshot["secrecy"] == Clearance.TUYET_MAT


def tally(task: Task, before: dict[str, Any] | None) -> None:
    """Keep TaskTally in step with a task just saved (`before`: its snapshot, None for a new task)."""
    new = _tally_key(audit.snapshot(task, ["phase", "deadline", "secrecy"]))
    old = _tally_key(before) if before is not None else None
    if old == new:
        return
    for key, delta in ((old, -1), (new, 1)):
        if key is None:
            continue
        month, phase, restricted = key
        rows = TaskTally.objects.filter(
            organisation_id=task.organisation_id, month=month, phase=phase, restricted=restricted
        )
        if rows.update(count=F("count") + delta):
            continue
        try:  # the first task of its kind: another transaction may be creating the same row
            with transaction.atomic():
                TaskTally.objects.create(
                    organisation_id=task.organisation_id,
                    month=month,
                    phase=phase,
                    restricted=restricted,
                    count=delta,
                )
        except IntegrityError:
            rows.update(count=F("count") + delta)


def recount(organisation: Organisation | None = None) -> int:
    """Rebuild the task counts (of one organisation, or all) from the tasks; the rows written."""
    tasks = Task.objects.all() if organisation is None else Task.objects.filter(organisation=organisation)
    rows = (
        tasks.order_by()
        .annotate(
            month=TruncMonth("deadline"),
            restricted=ExpressionWrapper(Q(secrecy=Clearance.TUYET_MAT), output_field=BooleanField()),
        )
        .values("organisation_id", "month", "phase", "restricted")
        .annotate(count=Count("*"))
    )
    with transaction.atomic():
        stale = (
            TaskTally.objects.all()
            if organisation is None
            else TaskTally.objects.filter(organisation=organisation)
        )
        stale.delete()
        made = TaskTally.objects.bulk_create([TaskTally(**row) for row in rows], batch_size=5000)
    return len(made)
