"""What waits for an actor in the follow-up of tasks (core.worklist): tasks their unit leads or they
answer for, and, for the office, progress reports and extension requests to decide."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from vanphong.core.access import Actor, visible
from vanphong.core.worklist import WorkItem
from vanphong.followup.models import (
    OPEN_PHASES,
    ExtensionRequest,
    ExtensionState,
    ProgressReport,
    ReportState,
    Task,
)
from vanphong.followup.permissions import MANAGE, REPORT
from vanphong.org.selectors import user_units

LIMIT = 50


def _task(task: Task, action: str, due: datetime.date | None) -> WorkItem:
    return WorkItem(
        kind=_("Task"),
        title=Truncator(task.content).chars(160),
        action=action,
        url=reverse("followup:task", args=[task.pk]),
        due=due,
    )


def waiting_for(actor: Actor, today: datetime.date) -> Iterator[WorkItem]:
    if actor.user is None:
        return
    tasks = visible(actor, Task)
    theirs = Q(responsible__user=actor.user)
    if actor.has_perm(REPORT):
        theirs |= Q(lead_unit__in=user_units(actor))
    for task in tasks.filter(theirs, phase__in=OPEN_PHASES).order_by("deadline")[:LIMIT]:
        yield _task(task, _("Report progress"), task.deadline)
    if actor.has_perm(MANAGE):
        reports = visible(actor, ProgressReport).filter(state=ReportState.PENDING).select_related("task")
        for report in reports.order_by("pk")[:LIMIT]:
            yield _task(report.task, _("Review the progress report"), report.task.deadline)
        requests = (
            visible(actor, ExtensionRequest).filter(state=ExtensionState.PENDING).select_related("task")
        )
        for request in requests.order_by("pk")[:LIMIT]:
            yield _task(request.task, _("Decide the extension request"), request.task.deadline)
