"""Who may do what in the follow-up of tasks, and which tasks each user may see.

Visibility (docs/followup.md, access):
- the office and the leaders (`followup.read_all`) see every task of their organisation within their
  clearance; so does the Inspection Committee reader (Quy chế 08-QC/TW gives Inspection Committees
  read access to the tracking system);
- everyone else sees the tasks they have a part in: their unit leads or supports it, they are the
  responsible committee member who monitors it, or they created it;
- a task above the actor's clearance is never visible;
- a Tuyệt mật task's content is seen only by the entitled: the standing leaders, the Inspection
  Committee reader, and those with a part in it (08-QC/TW: Tuyệt mật tasks are handled apart).
  Others who read the organisation's tasks see only that such tasks exist, as a number.
The filter is part of the query, so lists, dashboards, counts and exports agree.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from vanphong.core.access import Actor, Policy, declare_permissions, register_policy
from vanphong.core.models import Clearance
from vanphong.followup.models import (
    ExtensionRequest,
    Notification,
    ProgressReport,
    Reminder,
    ReportFile,
    Source,
    Task,
)
from vanphong.org.selectors import user_units

MANAGE = "followup.manage"
READ_ALL = "followup.read_all"
REPORT = "followup.report"

OFFICE = {"office_chief", "clerk", "standing_leader"}
TOP_SECRET_READERS = {"standing_leader", "inspection_reader"}
declare_permissions(
    (
        MANAGE,
        _("Assign and follow up tasks: accept reports, decide extensions, evaluate, urge"),
        OFFICE,
    ),
    (
        READ_ALL,
        _("Read every task of the organisation within one's clearance"),
        {*OFFICE, "inspection_reader"},
    ),
    (
        REPORT,
        _("Report progress on the tasks of one's unit"),
        {"office_chief", "clerk", "specialist", "committee_member", "standing_leader"},
    ),
)


def in_office(actor: Actor, obj: Any) -> bool:
    """The object is of the actor's organisation (the office acts on its own tasks only)."""
    return actor.organisation is not None and obj.organisation_id == actor.organisation.pk


def may_report(actor: Actor, task: Task) -> bool:
    """The lead unit reports on its tasks and asks for their extension; the office may do it for it."""
    if actor.system:
        return True
    if not in_office(actor, task):
        return False
    if actor.has_perm(MANAGE):
        return True
    return actor.has_perm(REPORT) and user_units(actor).filter(unit=task.lead_unit_id).exists()


def actions_for(actor: Actor, obj: Task | ProgressReport | ExtensionRequest) -> list[str]:
    """What the actor may do to a task, a report or an extension request now: the page shows exactly
    these forms and buttons, and the services refuse the rest.

    A task: "report", "extension" (ask for one), "subtask", "weights", and its workflow's "cancelled"
    and "evaluated"; a report: "accepted", "returned"; an extension request: "approved", "refused".
    """
    from vanphong.followup.workflow import EXTENSION, REPORT, TASK, extension_problem, report_problem

    if isinstance(obj, ProgressReport):
        return [t.action for t in REPORT.actions_for(actor, obj)]
    if isinstance(obj, ExtensionRequest):
        return [t.action for t in EXTENSION.actions_for(actor, obj)]
    actions: list[str] = []
    if may_report(actor, obj):
        actions += ["report"] if report_problem(obj) is None else []
        actions += ["extension"] if extension_problem(obj) is None else []
    manages = actor.has_perm(MANAGE) and in_office(actor, obj)
    if manages and not obj.is_closed and not obj.recurrence:
        actions.append("subtask")
        subtasks = obj.subtasks.all()
        if subtasks.exists() and not subtasks.exclude(pk__in=TaskPolicy().visible(actor, subtasks)).exists():
            actions.append("weights")
    return actions + [
        t.action for t in TASK.actions_for(actor, obj) if t.action in ("cancelled", "evaluated")
    ]


def part_in_task(actor: Actor) -> Q:
    """Tasks the actor has a part in: lead or supporting unit, responsible member, creator."""
    units = user_units(actor)
    supporting = Task.support_units.through.objects.filter(task=OuterRef("pk"), unit__in=units)
    return (
        Q(lead_unit__in=units)
        | Exists(supporting)
        | Q(responsible__user=actor.user)
        | Q(created_by=actor.user)
    )


def entitled_to_top_secret(actor: Actor) -> bool:
    return actor.system or (actor.cleared_for(Clearance.TUYET_MAT) and actor.has_role(*TOP_SECRET_READERS))


class TaskPolicy(Policy):
    change_permission = MANAGE

    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if not actor.is_member:
            return queryset.none()
        scoped = queryset.filter(organisation=actor.organisation, secrecy__lte=actor.clearance)
        if actor.system:
            return scoped
        if not actor.has_perm(READ_ALL):
            return scoped.filter(part_in_task(actor))
        if actor.cleared_for(Clearance.TUYET_MAT) and not entitled_to_top_secret(actor):
            return scoped.filter(Q(secrecy__lt=Clearance.TUYET_MAT) | part_in_task(actor))
        return scoped


class SourcePolicy(Policy):
    """A source is visible to readers of the organisation's tasks within their clearance; others see
    the non-secret ones and those of the tasks they have a part in."""

    change_permission = MANAGE

    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if not actor.is_member:
            return queryset.none()
        scoped = queryset.filter(organisation=actor.organisation, secrecy__lte=actor.clearance)
        if actor.system or (
            actor.has_perm(READ_ALL)
            and (entitled_to_top_secret(actor) or not actor.cleared_for(Clearance.TUYET_MAT))
        ):
            return scoped
        mine = TaskPolicy().visible(actor, Task.objects.filter(source=OuterRef("pk")))
        threshold = Clearance.TUYET_MAT if actor.has_perm(READ_ALL) else Clearance.MAT
        return scoped.filter(Q(secrecy__lt=threshold) | Q(created_by=actor.user) | Exists(mine))


class ByTaskPolicy(Policy):
    """Reports, their files, extension requests and reminders are visible exactly when their task is."""

    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        tasks = TaskPolicy().visible(actor, Task.objects.all()).values("pk")
        field = "report__task__in" if queryset.model is ReportFile else "task__in"
        return queryset.filter(**{field: tasks})


class NotificationPolicy(Policy):
    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if not actor.is_member or actor.user is None:
            return queryset.none()
        return queryset.filter(organisation=actor.organisation, user=actor.user)


register_policy(Source, SourcePolicy())
register_policy(Task, TaskPolicy())
for model in (ProgressReport, ReportFile, ExtensionRequest, Reminder):
    register_policy(model, ByTaskPolicy())
register_policy(Notification, NotificationPolicy())
