"""Writes of the follow-up of tasks: sources, tasks, reports, extensions, evaluation, cancelling.

Every function checks permission, validates before writing (a `ValidationError` with a message per
field, nothing saved), writes in one transaction and records an audit event. A change of a task's
state is a transition of `followup.workflow` (on the locked row); the derived columns (`phase`,
`progress`, `done_on`) are derived there. The entry points are durable transactions; `create_source`
and `create_task` run in the caller's (meetings make tasks from conclusions in theirs).

Other modules (meetings) call `create_source` and `create_task`; see docs/followup.md.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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
    FollowupSettings,
    Phase,
    ProgressReport,
    Recurrence,
    ReportFile,
    Source,
    SourceKind,
    Task,
)
from vanphong.followup.permissions import MANAGE, may_report
from vanphong.followup.workflow import (
    EXTENSION,
    REPORT,
    TASK_FIELDS,
    change_task,
    derive,
    extension_problem,
    lock,
    record,
    report_problem,
    roll_up,
    tally,
)
from vanphong.org.models import Person, Term, Unit

UploadedFile = tuple[str, bytes]  # (original name, content)

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
    derive(task)
    with transaction.atomic():
        task.save()
        task.support_units.set(units)
        tally(task, None)
        record(actor, events.TASK_CREATED, task, None, support_units=[u.pk for u in units])
        if parent is not None:
            roll_up(actor, parent)
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
    today = today or _today()
    made = 0
    for series in Task.objects.filter(phase=Phase.SERIES).select_related("organisation"):
        with transaction.atomic():
            made += _generate(Actor.system_for(series.organisation), series, today)
    return made


# -- progress -------------------------------------------------------------------------------------


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
    problem = report_problem(task)
    if problem:
        errors["__all__"] = problem
    if not clean(text):
        errors["text"] = _("Write what has been done.")
    if not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent <= 100:
        errors["percent"] = _("Progress is a percentage from 0 to 100; %(value)s is not.") % {
            "value": percent
        }
    return errors


@transaction.atomic(durable=True)
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
    return record_report(actor, task, text=text, percent=percent, files=files, reported_on=reported_on)


def record_report(
    actor: Actor,
    task: Task,
    *,
    text: str,
    percent: int,
    files: Iterable[UploadedFile] = (),
    reported_on: datetime.date | None = None,
) -> ProgressReport:
    """`submit_report` in the caller's transaction (the spreadsheet import records all rows or none)."""
    if not may_report(actor, task):
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
        record(
            actor,
            events.REPORT_SUBMITTED,
            task,
            None,
            report=report.pk,
            percent=percent,
            files=[info.original_name for info, _file in stored],
        )
        if actor.system or actor.has_perm(MANAGE):
            _review(actor, report, "accepted", "")
    return report


def _review(actor: Actor, report: ProgressReport, action: str, note: str) -> ProgressReport:
    """Accept or return the report on its locked row, its task locked first; an accepted report's
    percentage becomes the task's progress (done at 100%, on the report's date) and rolls up."""
    task = lock(Task.objects.get(pk=report.task_id))

    def returned(locked: ProgressReport) -> None:
        if not locked.review_note:
            raise ValidationError({"note": _("Say why the report is returned.")})

    def progressed(locked: ProgressReport) -> None:
        problem = report_problem(task)
        if problem:
            raise ValidationError(problem, code="state")
        change_task(
            actor,
            task,
            "progressed",
            progress=locked.percent,
            done_on=locked.reported_on if locked.percent == 100 else None,
        )
        roll_up(actor, task.parent)

    return REPORT.apply(
        actor,
        report,
        action,
        change=progressed if action == "accepted" else returned,
        about=[task],
        reviewed_by=actor.user,
        reviewed_at=timezone.now(),
        review_note=clean(note),
    )


@transaction.atomic(durable=True)
def review_report(actor: Actor, report: ProgressReport, *, accept: bool, note: str = "") -> ProgressReport:
    """The office accepts a report (the task's progress becomes the reported one) or returns it."""
    return _review(actor, report, "accepted" if accept else "returned", note)


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


@transaction.atomic(durable=True)
def request_extension(
    actor: Actor, task: Task, *, reason: str, requested_deadline: datetime.date | None
) -> ExtensionRequest:
    if not may_report(actor, task):
        raise PermissionDenied(_("Only the lead unit and the office ask for an extension of this task."))
    task = lock(_fresh(task))
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
    note = clean(note)
    task = lock(Task.objects.select_related("parent").get(pk=request.task_id))

    def decided(locked: ExtensionRequest) -> None:
        if task.is_closed:
            raise ValidationError(
                _("This task is closed (%(status)s); its deadline can no longer be extended.")
                % {"status": task.get_phase_display()},
                code="state",
            )
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


# -- closing --------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def evaluate(actor: Actor, task: Task, *, evaluation: str, note: str = "") -> Task:
    """The office evaluates a completed task (08-QC/TW: results are evaluated, not only counted)."""

    def check(locked: Task) -> None:
        if evaluation not in Evaluation.values:
            raise ValidationError({"evaluation": _("Choose an evaluation.")})

    return change_task(
        actor,
        task,
        "evaluated",
        change=check,
        evaluation=evaluation,
        evaluation_note=clean(note),
        evaluated_by=actor.user,
    )


@transaction.atomic(durable=True)
def cancel_task(actor: Actor, task: Task, *, reason: str, today: datetime.date | None = None) -> Task:
    """Cancel a task that is no longer needed (with its open sub-tasks); the reason is kept."""
    require(actor, MANAGE)
    task = lock(_fresh(task))
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
    _cancel(actor, task, clean(reason)[:255], today or _today())
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
