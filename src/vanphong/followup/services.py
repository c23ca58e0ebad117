"""Writes of the follow-up of tasks: sources, tasks, reports, extensions, evaluation, cancelling.

Every function checks permission, validates before writing (a `ValidationError` with a message per
field, nothing saved), writes in one transaction and records an audit event on the task, so that a
task's history is its audit events. The derived columns (`phase`, `progress`, `done_on`) are kept
here and only here (`_derive`), and a change of phase is part of the audited before/after.

Other modules (meetings) call `create_source` and `create_task`; see docs/followup.md.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vanphong.core import audit
from vanphong.core.access import Actor, require, visible
from vanphong.core.calendar import WorkingCalendar
from vanphong.core.deadlines import deadline_from
from vanphong.core.files import StoredFile, UploadInfo, delete_file, store_file, validate_upload
from vanphong.core.models import Clearance, Organisation
from vanphong.core.text import clean
from vanphong.followup import events
from vanphong.followup.models import (
    CLOSED_PHASES,
    Evaluation,
    ExtensionRequest,
    ExtensionState,
    FollowupSettings,
    Phase,
    ProgressReport,
    Recurrence,
    ReportFile,
    ReportState,
    Source,
    SourceKind,
    Task,
    TaskTally,
)
from vanphong.followup.permissions import MANAGE, REPORT, actor_units
from vanphong.org.models import Person, Term, Unit

UploadedFile = tuple[str, bytes]  # (original name, content)

TASK_FIELDS = [
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
]
SOURCE_FIELDS = ["kind", "title", "reference", "issued_on", "year", "term", "secrecy", "outgoing", "incoming"]
RECURRENCE_MONTHS = {Recurrence.MONTHLY: 1, Recurrence.QUARTERLY: 3, Recurrence.YEARLY: 12}


def settings_for(organisation: Organisation) -> FollowupSettings:
    """The organisation's settings, or the defaults (not saved) when it has none."""
    found = FollowupSettings.objects.filter(organisation=organisation).first()
    return found or FollowupSettings(organisation=organisation)


def _today() -> datetime.date:
    return timezone.localdate()


def _org(actor: Actor) -> Organisation:
    if actor.organisation is None:
        raise PermissionDenied(_("You do not have permission to do this."))
    return actor.organisation


def _record(actor: Actor, action: str, task: Task, before: dict[str, Any] | None, **extra: Any) -> None:
    audit.record(
        actor,
        f"followup.{action}",
        organisation=task.organisation,
        obj=task,
        before=before,
        after={**audit.snapshot(task, TASK_FIELDS), **extra},
    )


def _tally_key(snapshot: dict[str, Any]) -> tuple[datetime.date | None, str, bool]:
    deadline = snapshot["deadline"]
    month = datetime.date.fromisoformat(str(deadline)).replace(day=1) if deadline else None
    return month, snapshot["phase"], snapshot["secrecy"] == Clearance.TUYET_MAT


def _tally(task: Task, before: dict[str, Any] | None) -> None:
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


def _fresh(task: Task) -> Task:
    """The task as stored now: a caller's copy may predate a change made by another service."""
    return Task.objects.select_related("organisation", "parent").get(pk=task.pk)


def _check_secrecy(actor: Actor, secrecy: int, errors: dict[str, str]) -> None:
    if secrecy not in Clearance.values:
        errors["secrecy"] = _("Unknown secrecy level.")
    elif secrecy > actor.clearance:
        errors["secrecy"] = _("Your clearance does not allow handling tasks of this secrecy level.")


# -- sources --------------------------------------------------------------------------------------


def create_source(
    actor: Actor,
    *,
    kind: str,
    title: str,
    reference: str = "",
    issued_on: datetime.date | None = None,
    outgoing: Any = None,
    incoming: Any = None,
    year: int | None = None,
    term: Term | None = None,
    secrecy: int = Clearance.NONE,
) -> Source:
    """A document, meeting conclusion or work programme that assigns tasks."""
    require(actor, MANAGE)
    organisation = _org(actor)
    source = Source(
        organisation=organisation,
        kind=kind,
        title=clean(title),
        reference=clean(reference),
        issued_on=issued_on,
        year=year,
        term=term,
        secrecy=secrecy,
        outgoing=outgoing,
        incoming=incoming,
        created_by=actor.user,
    )
    errors: dict[str, str] = {}
    if kind not in SourceKind.values:
        errors["kind"] = _("Unknown kind of source.")
    if not source.title:
        errors["title"] = _("Enter the title.")
    _check_secrecy(actor, secrecy, errors)
    for field, linked in (("outgoing", outgoing), ("incoming", incoming), ("term", term)):
        if linked is not None and linked.organisation_id != organisation.pk:
            errors[field] = _("The selected item does not exist.")
    if kind == SourceKind.WORK_PROGRAMME:
        if year is None:
            errors["year"] = _("Enter the year the work programme covers.")
    elif year is None and issued_on is not None:
        source.year = issued_on.year
    if year is not None and not 1930 <= year <= 2200:
        errors["year"] = _("Enter a valid year.")
    if term is None and (source.issued_on or source.year) and not errors:
        day = source.issued_on or datetime.date(source.year or 1, 1, 1)
        source.term = (
            Term.objects.filter(organisation=organisation, start_date__lte=day)
            .exclude(end_date__lt=day)
            .first()
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        source.save()
        audit.record(
            actor,
            events.FOLLOWUP_SOURCE_CREATED,
            organisation=organisation,
            obj=source,
            after=audit.snapshot(source, SOURCE_FIELDS),
        )
    return source


# -- tasks ----------------------------------------------------------------------------------------


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


def _derive(task: Task) -> None:
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


def _same_org(organisation: Organisation, errors: dict[str, str], **objects: Any) -> None:
    for field, obj in objects.items():
        if obj is not None and obj.organisation_id != organisation.pk:
            errors[field] = _("The selected item does not exist.")


def _weights_message(total: int) -> str:
    return _("The weights of the sub-tasks add up to %(total)s%%; they must add up to 100%%.") % {
        "total": total
    }


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
    organisation = _org(actor)
    cal = WorkingCalendar(organisation)
    units = list(support_units)
    programme_start = datetime.date(source.year, 1, 1) if source.year else None
    assigned = assigned_on or source.issued_on or programme_start or _today()
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
    _check_secrecy(actor, secrecy, errors)
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
    _derive(task)
    with transaction.atomic():
        task.save()
        task.support_units.set(units)
        _tally(task, None)
        _record(actor, "task.created", task, None, support_units=[u.pk for u in units])
        if parent is not None:
            _roll_up(actor, parent)
        if recurrence:
            _generate(actor, task, _today())
    return task


def set_weights(actor: Actor, parent: Task, weights: dict[int, int]) -> Task:
    """Share a task among its open sub-tasks: {sub-task id: weight}; the weights must add up to 100."""
    require(actor, MANAGE)
    subtasks = {t.pk: t for t in parent.subtasks.exclude(phase=Phase.CANCELLED)}
    if set(weights) != set(subtasks):
        raise ValidationError(_("Give a weight for every sub-task of this task."))
    if any(not 1 <= w <= 100 for w in weights.values()):
        raise ValidationError(_("Enter a weight from 1 to 100%."))
    total = sum(weights.values())
    if total != 100:
        raise ValidationError(_weights_message(total))
    with transaction.atomic():
        for pk, weight in weights.items():
            task = subtasks[pk]
            if task.weight != weight:
                before = audit.snapshot(task, TASK_FIELDS)
                task.weight = weight
                task.save(update_fields=["weight"])
                _record(actor, "task.weight", task, before)
        _roll_up(actor, parent)
    return parent


def weights_total(task: Task) -> int | None:
    """The sum of the open sub-tasks' weights, or None for a task without sub-tasks."""
    weights = list(task.subtasks.exclude(phase=Phase.CANCELLED).values_list("weight", flat=True))
    return sum(weights) if weights else None


def _roll_up(actor: Actor, parent: Task | None) -> None:
    """Weighted progress of sub-tasks up the tree (like Decidim's accountability module).

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
        before = audit.snapshot(parent, TASK_FIELDS)
        total = sum(c["weight"] for c in children)
        parent.progress = round(sum(c["weight"] * c["progress"] for c in children) / total)
        finished = [c["done_on"] for c in children]
        if parent.cancelled_on is None:
            parent.done_on = max(finished) if all(finished) else None  # type: ignore[type-var]
        _derive(parent)
        if audit.snapshot(parent, TASK_FIELDS) == before:
            return
        parent.save()
        _tally(parent, before)
        _record(actor, "task.rolled_up", parent, before)
        parent = parent.parent


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
        _derive(occurrence)
        occurrence.save()
        occurrence.support_units.set(series.support_units.all())
        _tally(occurrence, None)
        _record(actor, "task.occurrence", occurrence, None, series=series.pk)
        made += 1
        index += 1


def generate_occurrences(today: datetime.date | None = None) -> int:
    """For every active series, the occurrences due up to one period ahead (daily job)."""
    today = today or _today()
    made = 0
    for series in Task.objects.filter(phase=Phase.SERIES).select_related("organisation"):
        with transaction.atomic():
            made += _generate(Actor.system_for(series.organisation), series, today)
    return made


# -- progress -------------------------------------------------------------------------------------


def can_report(actor: Actor, task: Task) -> bool:
    """The lead unit reports on its tasks; the office may record a report for it."""
    if actor.system or actor.has_perm(MANAGE):
        return True
    return actor.has_perm(REPORT) and actor_units(actor).filter(unit=task.lead_unit_id).exists()


def report_problems(task: Task) -> str | None:
    if task.is_closed:
        return _("This task is closed (%(status)s); nothing more can be reported on it.") % {
            "status": task.get_phase_display()
        }
    if task.recurrence:
        return _("Report on an occurrence of a recurring task, not on the series.")
    if task.subtasks.exclude(phase=Phase.CANCELLED).exists():
        return _("This task's progress is computed from its sub-tasks; report on them.")
    return None


@contextmanager
def _stored(
    files: Sequence[tuple[UploadInfo, bytes]], encrypt: bool
) -> Iterator[list[tuple[UploadInfo, StoredFile]]]:
    """Store files for the transaction that follows; remove them again if it fails."""
    stored = [(info, store_file(data, encrypt=encrypt)) for info, data in files]
    try:
        yield stored
    except BaseException:
        for _info, file in stored:
            delete_file(file.path)
        raise


def check_report(task: Task, text: str, percent: Any) -> dict[str, str]:
    """The problems of a progress report, by field (also used by the spreadsheet import's dry run)."""
    errors: dict[str, str] = {}
    problem = report_problems(task)
    if problem:
        errors["__all__"] = problem
    if not clean(text):
        errors["text"] = _("Write what has been done.")
    if not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent <= 100:
        errors["percent"] = _("Progress is a percentage from 0 to 100; %(value)s is not.") % {
            "value": percent
        }
    return errors


def submit_report(
    actor: Actor,
    task: Task,
    *,
    text: str,
    percent: int,
    files: Iterable[UploadedFile] = (),
    reported_on: datetime.date | None = None,
) -> ProgressReport:
    """The lead unit reports progress, with its products attached. A report recorded by the office
    itself is accepted at once; a unit's report waits for the office (`review_report`)."""
    if not can_report(actor, task):
        raise PermissionDenied(_("Only the lead unit and the office report on this task."))
    task = _fresh(task)
    errors = check_report(task, text, percent)
    day = reported_on or _today()
    if day < task.assigned_on:
        errors["reported_on"] = _("The report is dated before the task was assigned.")
    if errors:
        raise ValidationError(errors)
    checked = [(validate_upload(name, data), data) for name, data in files]
    with _stored(checked, encrypt=task.secrecy > Clearance.NONE) as stored, transaction.atomic():
        report = ProgressReport.objects.create(
            organisation=task.organisation,
            task=task,
            text=clean(text),
            percent=percent,
            reported_on=day,
            reported_by=actor.user,
        )
        for info, file in stored:
            product = ReportFile(organisation=task.organisation, report=report, uploaded_by=actor.user)
            product.set_stored(info, file)
            product.save()
        _record(
            actor,
            "report.submitted",
            task,
            None,
            report=report.pk,
            percent=percent,
            files=[info.original_name for info, _file in stored],
        )
        if actor.system or actor.has_perm(MANAGE):
            _accept(actor, report, "")
    return report


def _accept(actor: Actor, report: ProgressReport, note: str) -> None:
    task = Task.objects.select_for_update().get(pk=report.task_id)
    problem = report_problems(task)
    if problem:
        raise ValidationError(problem)
    before = audit.snapshot(task, TASK_FIELDS)
    report.state = ReportState.ACCEPTED
    report.reviewed_by = actor.user
    report.reviewed_at = timezone.now()
    report.review_note = clean(note)
    report.save()
    task.progress = report.percent
    task.done_on = report.reported_on if report.percent == 100 else None
    _derive(task)
    task.save()
    _tally(task, before)
    _record(actor, "report.accepted", task, before, report=report.pk)
    _roll_up(actor, task.parent)


def review_report(actor: Actor, report: ProgressReport, *, accept: bool, note: str = "") -> ProgressReport:
    """The office accepts a report (the task's progress becomes the reported one) or returns it."""
    require(actor, MANAGE)
    if report.organisation_id != _org(actor).pk:
        raise PermissionDenied(_("You do not have permission to do this."))
    if report.state != ReportState.PENDING:
        raise ValidationError(_("This report has already been reviewed."))
    if not accept and not clean(note):
        raise ValidationError({"note": _("Say why the report is returned.")})
    with transaction.atomic():
        if accept:
            _accept(actor, report, note)
        else:
            report.state = ReportState.RETURNED
            report.reviewed_by = actor.user
            report.reviewed_at = timezone.now()
            report.review_note = clean(note)
            report.save()
            _record(actor, "report.returned", report.task, None, report=report.pk, note=report.review_note)
    return report


def open_report_file(actor: Actor, file: ReportFile) -> bytes:
    """The file's bytes (decrypted when secret); opening a secret task's file is audited."""
    data = file.read()
    if file.encrypted:
        with transaction.atomic():
            audit.record(
                actor,
                events.FOLLOWUP_FILE_OPENED,
                organisation=file.organisation,
                obj=file,
                after={"task": file.report.task_id, "file": file.original_name},
            )
    return data


# -- extensions -----------------------------------------------------------------------------------


def request_extension(
    actor: Actor, task: Task, *, reason: str, requested_deadline: datetime.date | None
) -> ExtensionRequest:
    if not can_report(actor, task):
        raise PermissionDenied(_("Only the lead unit and the office ask for an extension of this task."))
    task = _fresh(task)
    errors: dict[str, str] = {}
    if task.is_closed or task.recurrence:
        errors["__all__"] = _("This task is closed (%(status)s); its deadline can no longer be extended.") % {
            "status": task.get_phase_display()
        }
    elif task.extensions.filter(state=ExtensionState.PENDING).exists():
        errors["__all__"] = _("An extension of this task is already waiting for a decision.")
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
    with transaction.atomic():
        request = ExtensionRequest.objects.create(
            organisation=task.organisation,
            task=task,
            reason=clean(reason),
            requested_deadline=requested_deadline,
            previous_deadline=task.deadline,
            requested_by=actor.user,
        )
        _record(actor, "extension.requested", task, None, request=request.pk, reason=request.reason)
    return request


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
    if request.organisation_id != _org(actor).pk:
        raise PermissionDenied(_("You do not have permission to do this."))
    if request.state != ExtensionState.PENDING:
        raise ValidationError(_("This request has already been decided."))
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=request.task_id)
        if task.is_closed:
            raise ValidationError(
                _("This task is closed (%(status)s); its deadline can no longer be extended.")
                % {"status": task.get_phase_display()}
            )
        before = audit.snapshot(task, TASK_FIELDS)
        request.decided_by = actor.user
        request.decided_at = timezone.now()
        request.decision_note = clean(note)
        if approve:
            deadline = new_deadline or request.requested_deadline
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
                        "new_deadline": _(
                            "A sub-task's deadline cannot be after its task's deadline (%(date)s)."
                        )
                        % {"date": task.parent.deadline.strftime("%d/%m/%Y")}
                    }
                )
            request.state = ExtensionState.APPROVED
            request.new_deadline = deadline
            task.original_deadline = task.original_deadline or task.deadline
            task.deadline = deadline
            _derive(task)
            task.save()
            _tally(task, before)
        else:
            if not request.decision_note:
                raise ValidationError({"note": _("Say why the extension is refused.")})
            request.state = ExtensionState.REFUSED
        request.save()
        _record(
            actor,
            "extension.approved" if approve else "extension.refused",
            task,
            before,
            request=request.pk,
            note=request.decision_note,
        )
    return request


# -- closing --------------------------------------------------------------------------------------


def evaluate(actor: Actor, task: Task, *, evaluation: str, note: str = "") -> Task:
    """The office evaluates a completed task (08-QC/TW: results are evaluated, not only counted)."""
    require(actor, MANAGE)
    if task.organisation_id != _org(actor).pk:
        raise PermissionDenied(_("You do not have permission to do this."))
    task = _fresh(task)
    errors: dict[str, str] = {}
    if task.phase not in (Phase.DONE_ON_TIME, Phase.DONE_LATE):
        errors["__all__"] = _("Only a completed task is evaluated.")
    if evaluation not in Evaluation.values:
        errors["evaluation"] = _("Choose an evaluation.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = audit.snapshot(task, TASK_FIELDS)
        task.evaluation = evaluation
        task.evaluation_note = clean(note)
        task.evaluated_by = actor.user
        task.save()
        _record(actor, "task.evaluated", task, before)
    return task


def cancel_task(actor: Actor, task: Task, *, reason: str, today: datetime.date | None = None) -> Task:
    """Cancel a task that is no longer needed (with its open sub-tasks); the reason is kept."""
    require(actor, MANAGE)
    if task.organisation_id != _org(actor).pk:
        raise PermissionDenied(_("You do not have permission to do this."))
    task = _fresh(task)
    if task.is_closed:
        raise ValidationError(
            _("This task is already closed (%(status)s).") % {"status": task.get_phase_display()}
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
    with transaction.atomic():
        _cancel(actor, task, clean(reason), today or _today())
        _roll_up(actor, task.parent)
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
    before = audit.snapshot(task, TASK_FIELDS)
    task.cancelled_on = day
    task.cancelled_reason = reason[:255]
    _derive(task)
    task.save()
    _tally(task, before)
    _record(actor, "task.cancelled", task, before)
    for child in task.subtasks.exclude(phase__in=CLOSED_PHASES):
        _cancel(actor, child, reason, day)
