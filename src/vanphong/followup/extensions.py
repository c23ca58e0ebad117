"""Extensions of a task's deadline: the lead unit asks (with the reason and the deadline it needs), the
office approves (the deadline moves, the first one is kept) or refuses with a reason.

Deciding locks the task first, then the request (`followup.workflow`): two decisions at once on one
request are taken one after the other, and the second finds it decided, so the deadline moves once.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core.access import Actor, require
from vanphong.core.text import clean
from vanphong.followup import events
from vanphong.followup.models import ExtensionRequest, Task
from vanphong.followup.permissions import MANAGE, may_report
from vanphong.followup.workflow import EXTENSION, change_task, extension_problem, lock, record


@transaction.atomic(durable=True)
def request_extension(
    actor: Actor, task: Task, *, reason: str, requested_deadline: datetime.date | None
) -> ExtensionRequest:
    """The lead unit (or the office) asks for a later deadline, with the reason; one request at a time."""
    if not may_report(actor, task):
        raise PermissionDenied(_("Only the lead unit and the office ask for an extension of this task."))
    lock(task)
    errors: dict[str, str] = {}
    problem = extension_problem(task)
    if problem:
        errors["__all__"] = problem
    if not clean(reason):
        errors["reason"] = _("Give the reason for the extension.")
    if requested_deadline is None:
        errors["requested_deadline"] = _("Enter the deadline asked for.")
    elif task.deadline is not None and requested_deadline <= task.deadline:
        errors["requested_deadline"] = _(
            "The deadline asked for must be after the current one (%(date)s)."
        ) % {"date": task.deadline.strftime("%d/%m/%Y")}
    if errors or requested_deadline is None:
        raise ValidationError(errors)
    request = ExtensionRequest.objects.create(
        organisation=task.organisation,
        task=task,
        reason=clean(reason),
        requested_deadline=requested_deadline,
        previous_deadline=task.deadline,
        requested_by=actor.user,
    )
    record(actor, events.EXTENSION_REQUESTED, task, None, request=request.pk, reason=request.reason)
    return request


@transaction.atomic(durable=True)
def decide_extension(
    actor: Actor,
    request: ExtensionRequest,
    *,
    approve: bool,
    new_deadline: datetime.date | None = None,
    note: str = "",
) -> ExtensionRequest:
    """The office approves (with the new deadline, by default the one asked for) or refuses."""
    require(actor, MANAGE)
    note = clean(note)
    task = lock(Task.objects.select_related("parent").get(pk=request.task_id))
    if task.is_closed:
        raise ValidationError(
            _("This task is closed (%(status)s); its deadline can no longer be extended.")
            % {"status": task.get_phase_display()},
            code="state",
        )

    def decided(locked: ExtensionRequest) -> None:
        if not approve:
            if not note:
                raise ValidationError({"note": _("Say why the extension is refused.")})
            return
        deadline = new_deadline or locked.requested_deadline
        if task.deadline is not None and deadline <= task.deadline:
            raise ValidationError(
                {
                    "new_deadline": _("The new deadline must be after the current one (%(date)s).")
                    % {"date": task.deadline.strftime("%d/%m/%Y")}
                }
            )
        if task.parent is not None and task.parent.deadline and deadline > task.parent.deadline:
            raise ValidationError(
                {
                    "new_deadline": _("A sub-task's deadline cannot be after its task's deadline (%(date)s).")
                    % {"date": task.parent.deadline.strftime("%d/%m/%Y")}
                }
            )
        locked.new_deadline = deadline
        change_task(
            actor,
            task,
            "extended",
            original_deadline=task.original_deadline or task.deadline,
            deadline=deadline,
        )

    return EXTENSION.apply(
        actor,
        request,
        "approved" if approve else "refused",
        change=decided,
        about=[task],
        decided_by=actor.user,
        decided_at=timezone.now(),
        decision_note=note,
    )
