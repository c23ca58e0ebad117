"""Progress of tasks: the lead unit's reports with their products, the office's acceptance (the task's
progress and phase follow, and roll up to its parent), the evaluation of a completed task.

A report waits for the office (`review_report`) unless the office records it itself. Accepting locks
the task first, then the report (`followup.workflow`), so a report accepted while the task is
cancelled, or while another report on it is accepted, acts on what the other left.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.access import Actor, require
from vanphong.core.files import StoredFile, UploadInfo, delete_file, store_file, validate_upload
from vanphong.core.models import Clearance
from vanphong.core.text import clean
from vanphong.followup import events
from vanphong.followup.models import Evaluation, ProgressReport, ReportFile, Task
from vanphong.followup.permissions import MANAGE, may_report
from vanphong.followup.workflow import REPORT, change_task, lock_with_parents, record, report_problem, roll_up

UploadedFile = tuple[str, bytes]  # (original name, content)


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
    # Locked before the report refers to it, so that two reports accepted at once queue here.
    task = lock_with_parents(Task.objects.select_related("organisation", "parent").get(pk=task.pk))
    errors = check_report(task, text, percent)
    day = reported_on or timezone.localdate()
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
    require(actor, MANAGE)
    task = lock_with_parents(Task.objects.get(pk=report.task_id))
    problem = report_problem(task) if action == "accepted" else None
    if problem:
        raise ValidationError(problem, code="state")

    def returned(locked: ProgressReport) -> None:
        if not locked.review_note:
            raise ValidationError({"note": _("Say why the report is returned.")})

    def progressed(locked: ProgressReport) -> None:
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


# -- evaluation -----------------------------------------------------------------------------------


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
