"""The follow-up part of the JSON API: tasks with their derived status, the figures, progress reports.

Same rules as the pages (followup.permissions): a token sees the tasks its user may see; a task
it may not see is a 404 like a missing one; a progress report is accepted from the lead unit or the
office, with the same checks (0–100%, not on a closed task), and waits for the office unless the
office itself sends it.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja import Status as Created
from pydantic import Field

from vanphong.core.access import Actor, access_object
from vanphong.core.paging import Page, Paging, page_of
from vanphong.core.schemas import Bounded, Input, id_of
from vanphong.core.tenancy import actor_of
from vanphong.followup import progress, selectors
from vanphong.followup.models import Phase, Source, Status, Task
from vanphong.org.models import Person, Unit

router = Router(tags=["follow-up"])


class TaskOut(Schema):
    """A task read from its row (`from_orm`), with its status (selectors.with_status)."""

    id: int
    source: int = id_of("source")
    source_title: str
    parent: int | None = id_of("parent")
    content: str
    expected_product: str
    lead_unit: str
    responsible: str | None
    secrecy: int
    assigned_on: datetime.date
    deadline: datetime.date | None
    original_deadline: datetime.date | None
    progress: int
    # A recurring series (never in lists, only read by its id) has the phase "series".
    status: Status | Literal[Phase.SERIES]
    done_on: datetime.date | None

    # Each resolver reads the row, or the schema already made from it.
    @staticmethod
    def resolve_source_title(task: Task | TaskOut) -> str:
        return str(task.source) if isinstance(task, Task) else task.source_title

    @staticmethod
    def resolve_lead_unit(task: Task | TaskOut) -> str:
        return task.lead_unit.name if isinstance(task, Task) else task.lead_unit

    @staticmethod
    def resolve_responsible(task: Task | TaskOut) -> str | None:
        if not isinstance(task, Task):
            return task.responsible
        return str(task.responsible) if task.responsible else None


class Filters(Bounded):
    status: Status | None = None
    unit: int | None = Field(None, description="Lead unit id")
    person: int | None = Field(None, description="Responsible member (person) id")
    source: int | None = None
    year: int | None = Field(None, ge=1945, le=2100, description="Year of the deadline")
    quarter: int | None = Field(None, ge=1, le=4)
    month: int | None = Field(None, ge=1, le=12)


class ListFilters(Filters, Paging):
    pass


class Summary(Schema):
    counts: dict[str, int]
    total: int
    on_time_rate: float | None = Field(description="Done on time / done, in percent")
    restricted: int | None = Field(description="Tasks of the organisation the token may not read")


class ReportIn(Input):
    text: str
    percent: int


class ReportOut(Schema):
    id: int
    task: int = id_of("task")
    percent: int
    reported_on: datetime.date
    state: str


def _criteria(actor: Actor, filters: Filters) -> selectors.Criteria:
    """Ids of units, people and sources are looked up through the access rules (404 otherwise)."""
    return selectors.Criteria(
        unit=access_object(actor, Unit, filters.unit) if filters.unit else None,
        person=access_object(actor, Person, filters.person) if filters.person else None,
        source=access_object(actor, Source, filters.source) if filters.source else None,
        year=filters.year,
        quarter=filters.quarter,
        month=filters.month,
        status=filters.status or "",
    )


@router.get("/tasks", response=Page[TaskOut], url_name="followup_tasks")
def task_list(request: HttpRequest, filters: Query[ListFilters]) -> Page[TaskOut]:
    """The tasks the token's user may see, by deadline, with their status worked out for today."""
    actor = actor_of(request)
    rows = selectors.task_list(actor, _criteria(actor, filters)).order_by("deadline", "id")
    return page_of(rows, filters, TaskOut.from_orm)


@router.get("/tasks/{task_id}", response=TaskOut, url_name="followup_task")
def task_detail(request: HttpRequest, task_id: int) -> TaskOut:
    actor = actor_of(request)
    assert actor.organisation is not None
    today = timezone.localdate()
    rows = selectors.with_status(
        Task.objects.select_related("source", "lead_unit", "responsible"),
        today,
        selectors.due_soon_until(actor.organisation, today),
    )
    return TaskOut.from_orm(access_object(actor, rows, task_id))


@router.get("/summary", response=Summary, url_name="followup_summary")
def summary(request: HttpRequest, filters: Query[Filters]) -> Summary:
    """Counts by status and the on-time rate, for the organisation or a unit, member or source."""
    actor = actor_of(request)
    criteria = _criteria(actor, filters)
    figures = selectors.figures(actor, criteria)
    return Summary(
        counts=figures.counts,
        total=figures.total,
        on_time_rate=figures.on_time_rate,
        restricted=selectors.restricted_count(actor, criteria),
    )


@router.post("/tasks/{task_id}/reports", response={201: ReportOut}, url_name="followup_report")
def report(request: HttpRequest, task_id: int, payload: ReportIn) -> Created[ReportOut]:
    """A progress report from the lead unit (or the office), as on the task's page, without files."""
    actor = actor_of(request)
    task = access_object(actor, Task, task_id)
    made = progress.submit_report(actor, task, text=payload.text, percent=payload.percent)
    return Created(201, ReportOut.from_orm(made))
