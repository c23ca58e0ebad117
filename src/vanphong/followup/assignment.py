"""Assignment of tasks: a task from its source, to a lead unit (with supporting units) and a responsible
member, by a deadline (a date or N working days, `core.deadlines`); sub-tasks and their weights;
recurring tasks and their occurrences; cancelling.

Other apps make tasks through this module: `create_source` and `create_task` (meetings, from a
meeting's conclusions, in their own transaction: neither is a durable entry point).
"""

from __future__ import annotations

import calendar as pycalendar
import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vanphong.core import audit
from vanphong.core.access import Actor, require, visible
from vanphong.core.calendar import WorkingCalendar
from vanphong.core.deadlines import deadline_from
from vanphong.core.models import Clearance, Organisation
from vanphong.core.text import clean
from vanphong.followup import events
from vanphong.followup.models import CLOSED_PHASES, Phase, Recurrence, Source, SourceKind, Task
from vanphong.followup.permissions import MANAGE
from vanphong.followup.sources import acting_organisation, check_secrecy, create_source
from vanphong.followup.workflow import (
    TASK_FIELDS,
    change_task,
    derive,
    lock_with_parents,
    record,
    roll_up,
    tally,
)
from vanphong.org.models import Person, Unit

__all__ = [
    "add_months",
    "cancel_task",
    "create_source",
    "create_task",
    "generate_occurrences",
    "period_end",
    "set_weights",
    "weights_total",
]

RECURRENCE_MONTHS = {Recurrence.MONTHLY: 1, Recurrence.QUARTERLY: 3, Recurrence.YEARLY: 12}


def _last_working_day(cal: WorkingCalendar, day: datetime.date) -> datetime.date:
    while not cal.is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def period_end(year: int, quarter: int | None, month: int | None) -> datetime.date:
    """Last day of a work programme's month or quarter (or of the year)."""
    last_month = month or (quarter * 3 if quarter else 12)
    return datetime.date(year, last_month, pycalendar.monthrange(year, last_month)[1])


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, pycalendar.monthrange(year, month)[1]))


def _same_org(organisation: Organisation, errors: dict[str, str], **objects: Any) -> None:
    for field, obj in objects.items():
        if obj is not None and obj.organisation_id != organisation.pk:
            errors[field] = _("The selected item does not exist.")


def _weights_message(total: int) -> str:
    return _("The weights of the sub-tasks add up to %(total)s%%; they must add up to 100%%.") % {
        "total": total
    }


@transaction.atomic
def create_task(
    actor: Actor,
    source: Source,
    *,
    content: str,
    lead_unit: Unit,
    responsible: Person | None = None,
    deadline: datetime.date | None = None,
    deadline_days: int | None = None,
    expected_product: str = "",
    support_units: Iterable[Unit] = (),
    secrecy: int = Clearance.NONE,
    parent: Task | None = None,
    weight: int = 100,
    assigned_on: datetime.date | None = None,
    recurrence: str = Recurrence.NONE,
    repeat_until: datetime.date | None = None,
    period_quarter: int | None = None,
    period_month: int | None = None,
) -> Task:
    """Assign a task from a source (a sub-task when `parent` is given).

    The deadline is a date, or `deadline_days` working days after the assignment date (the source's
    date, the first day of a programme's year, or today) through the organisation's working-day
    calendar. A work programme item without a deadline is due on the last working day of its month
    or quarter. A recurring task (monthly, quarterly, yearly) is a series: its first deadline is
    `deadline`, and it generates one task per period (`generate_occurrences`).
    """
    require(actor, MANAGE)
    organisation = acting_organisation(actor)
    if parent is not None and parent.organisation_id == organisation.pk:
        # No other sub-task is added to it while its sub-tasks' weights are checked and rolled up.
        lock_with_parents(parent)
    cal = WorkingCalendar(organisation)
    units = list(support_units)
    programme_start = datetime.date(source.year, 1, 1) if source.year else None
    assigned = assigned_on or source.issued_on or programme_start or timezone.localdate()
    errors: dict[str, str] = {}
    content = clean(content)
    if not content:
        errors["content"] = _("Enter what must be done.")
    _same_org(
        organisation, errors, source=source, lead_unit=lead_unit, responsible=responsible, parent=parent
    )
    if any(unit.organisation_id != organisation.pk for unit in units):
        errors["support_units"] = _("The selected item does not exist.")
    elif lead_unit in units:
        errors["support_units"] = _("The lead unit is not also a supporting unit.")
    check_secrecy(actor, secrecy, errors)
    if "secrecy" not in errors and secrecy < source.secrecy:
        errors["secrecy"] = _("A task cannot be less secret than its source.")
    try:
        deadline = deadline_from(organisation, assigned, date=deadline, working_days=deadline_days)
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    if period_month is not None and not 1 <= period_month <= 12:
        errors["period_month"] = _("Enter a month from 1 to 12.")
    if period_quarter is not None and not 1 <= period_quarter <= 4:
        errors["period_quarter"] = _("Enter a quarter from 1 to 4.")
    if (period_month or period_quarter) and source.kind != SourceKind.WORK_PROGRAMME:
        errors["period_month"] = _("Only the items of a work programme are placed in a month or quarter.")
    if period_month and period_quarter and (period_month - 1) // 3 + 1 != period_quarter:
        errors["period_month"] = _("This month is not in the chosen quarter.")
    if source.kind == SourceKind.WORK_PROGRAMME and deadline is None and source.year and not errors:
        deadline = _last_working_day(cal, period_end(source.year, period_quarter, period_month))
    if deadline is not None and deadline < assigned:
        errors["deadline"] = _(
            "The deadline (%(deadline)s) is before the assignment date (%(assigned)s)."
        ) % {
            "deadline": deadline.strftime("%d/%m/%Y"),
            "assigned": assigned.strftime("%d/%m/%Y"),
        }
    if recurrence not in Recurrence.values:
        errors["recurrence"] = _("Unknown repetition.")
    elif recurrence:
        if deadline is None:
            errors["deadline"] = _("A recurring task needs the deadline of its first occurrence.")
        if parent is not None:
            errors["recurrence"] = _("A sub-task cannot repeat.")
        if repeat_until is not None and deadline is not None and repeat_until < deadline:
            errors["repeat_until"] = _("The repetition ends before the first deadline.")
    if not 1 <= weight <= 100:
        errors["weight"] = _("Enter a weight from 1 to 100%.")
    if parent is not None and "parent" not in errors:
        if parent.source_id != source.pk:
            errors["parent"] = _("A sub-task belongs to the source of its task.")
        if parent.is_closed or parent.recurrence:
            errors["parent"] = _("Sub-tasks cannot be added to a closed or recurring task.")
        if secrecy < parent.secrecy:
            errors["secrecy"] = _("A sub-task cannot be less secret than its task.")
        if deadline is not None and parent.deadline is not None and deadline > parent.deadline:
            errors["deadline"] = _(
                "A sub-task's deadline cannot be after its task's deadline (%(date)s)."
            ) % {"date": parent.deadline.strftime("%d/%m/%Y")}
        if parent.reports.exists() and not parent.subtasks.exists():
            errors["parent"] = _("Progress has been reported on this task itself; it cannot be split now.")
        siblings = sum(parent.subtasks.exclude(phase=Phase.CANCELLED).values_list("weight", flat=True))
        if siblings + weight > 100:
            errors["weight"] = _weights_message(siblings + weight)
    if errors:
        raise ValidationError(errors)
    task = Task(
        organisation=organisation,
        source=source,
        parent=parent,
        content=content,
        expected_product=clean(expected_product),
        lead_unit=lead_unit,
        responsible=responsible,
        secrecy=secrecy,
        weight=weight,
        assigned_on=assigned,
        deadline=deadline,
        deadline_days=deadline_days,
        recurrence=recurrence,
        repeat_until=repeat_until,
        period_quarter=period_quarter or ((period_month - 1) // 3 + 1 if period_month else None),
        period_month=period_month,
        created_by=actor.user,
    )
    derive(task)
    task.save()
    task.support_units.set(units)
    tally(task, None)
    record(actor, events.TASK_CREATED, task, None, support_units=[u.pk for u in units])
    if parent is not None:
        roll_up(actor, parent)
    if recurrence:
        _generate(actor, task, timezone.localdate())
    return task


@transaction.atomic(durable=True)
def set_weights(actor: Actor, parent: Task, weights: dict[int, int]) -> Task:
    """Share a task among its open sub-tasks: {sub-task id: weight}; the weights must add up to 100.
    The parent is locked first, so a report on a sub-task rolls up after the new weights or before."""
    require(actor, MANAGE)
    lock_with_parents(parent)
    subtasks = {t.pk: t for t in parent.subtasks.exclude(phase=Phase.CANCELLED)}
    if set(weights) != set(subtasks):
        raise ValidationError(_("Give a weight for every sub-task of this task."))
    if any(not 1 <= w <= 100 for w in weights.values()):
        raise ValidationError(_("Enter a weight from 1 to 100%."))
    total = sum(weights.values())
    if total != 100:
        raise ValidationError(_weights_message(total))
    for pk, weight in weights.items():
        task = subtasks[pk]
        if task.weight != weight:
            before = audit.snapshot(task, list(TASK_FIELDS))
            task.weight = weight
            task.save(update_fields=["weight"])
            record(actor, events.TASK_WEIGHT, task, before)
    roll_up(actor, parent)
    return parent


def weights_total(task: Task) -> int | None:
    """The sum of the open sub-tasks' weights, or None for a task without sub-tasks."""
    weights = list(task.subtasks.exclude(phase=Phase.CANCELLED).values_list("weight", flat=True))
    return sum(weights) if weights else None


# -- recurring tasks ------------------------------------------------------------------------------


def _generate(actor: Actor, series: Task, today: datetime.date) -> int:
    """Create the occurrences of a series due up to one period ahead of today."""
    assert series.deadline is not None
    months = RECURRENCE_MONTHS[Recurrence(series.recurrence)]
    cal = WorkingCalendar(series.organisation)
    horizon = add_months(today, months)
    made = 0
    index = series.occurrences.count()
    while True:
        nominal = add_months(series.deadline, months * index)
        if nominal > horizon or (series.repeat_until is not None and nominal > series.repeat_until):
            return made
        deadline = cal.working_days_after(nominal, 0)
        occurrence = Task(
            organisation=series.organisation,
            source=series.source,
            series=series,
            content=series.content,
            expected_product=series.expected_product,
            lead_unit=series.lead_unit,
            responsible=series.responsible,
            secrecy=series.secrecy,
            assigned_on=max(series.assigned_on, add_months(nominal, -months)),
            deadline=deadline,
            created_by=series.created_by,
        )
        derive(occurrence)
        occurrence.save()
        occurrence.support_units.set(series.support_units.all())
        tally(occurrence, None)
        record(actor, events.TASK_OCCURRENCE, occurrence, None, series=series.pk)
        made += 1
        index += 1


def generate_occurrences(today: datetime.date | None = None) -> int:
    """For every active series, the occurrences due up to one period ahead (daily job)."""
    today = today or timezone.localdate()
    made = 0
    for series in Task.objects.filter(phase=Phase.SERIES).select_related("organisation"):
        with transaction.atomic():
            made += _generate(Actor.system_for(series.organisation), series, today)
    return made


# -- cancelling -----------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def cancel_task(actor: Actor, task: Task, *, reason: str, today: datetime.date | None = None) -> Task:
    """Cancel a task that is no longer needed (with its open sub-tasks); the reason is kept."""
    require(actor, MANAGE)
    lock_with_parents(task)
    if task.is_closed:
        raise ValidationError(
            _("This task is already closed (%(status)s).") % {"status": task.get_phase_display()},
            code="state",
        )
    if not clean(reason):
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    hidden = _open_descendants(task).exclude(pk__in=visible(actor, Task).values("pk")).count()
    if hidden:
        # Cancelling would close sub-tasks the actor may not see (Tuyệt mật): their readers decide.
        raise ValidationError(
            ngettext(
                "%(count)s open sub-task is restricted to its readers, who must close it first.",
                "%(count)s open sub-tasks are restricted to their readers, who must close them first.",
                hidden,
            )
            % {"count": hidden}
        )
    _cancel(actor, task, clean(reason)[:255], today or timezone.localdate())
    roll_up(actor, task.parent)
    return task


def _open_descendants(task: Task) -> Any:
    """The open sub-tasks of a task, at every depth, as a queryset."""
    ids: list[int] = []
    level = list(task.subtasks.exclude(phase__in=CLOSED_PHASES).values_list("pk", flat=True))
    while level:
        ids += level
        level = list(
            Task.objects.filter(parent__in=level)
            .exclude(phase__in=CLOSED_PHASES)
            .values_list("pk", flat=True)
        )
    return Task.objects.filter(pk__in=ids)


def _cancel(actor: Actor, task: Task, reason: str, day: datetime.date) -> None:
    change_task(actor, task, "cancelled", cancelled_on=day, cancelled_reason=reason)
    for child in task.subtasks.exclude(phase__in=CLOSED_PHASES):
        _cancel(actor, child, reason, day)
