"""Reads of the follow-up: tasks the actor may see, their status, dashboard figures and roll-ups.

A task's status is computed in SQL from columns the services keep (`phase`, `deadline`): the
organisation's dashboard counts every status in one aggregate over the index
(organisation, phase, deadline, secrecy), and the province roll-up does the same grouped by child
organisation, without reading the tasks themselves.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from vanphong.core import deadlines
from vanphong.core.access import Actor, visible
from vanphong.core.models import AuditEvent, Clearance, Organisation
from vanphong.followup.assignment import period_end
from vanphong.followup.models import (
    CLOSED_PHASES,
    OPEN_PHASES,
    ExtensionRequest,
    FollowupSettings,
    Phase,
    ProgressReport,
    Source,
    Status,
    Task,
    TaskTally,
)
from vanphong.followup.permissions import READ_ALL
from vanphong.org.models import Person, Term, Unit

OPEN = Q(phase__in=OPEN_PHASES)


def settings_for(organisation: Organisation) -> FollowupSettings:
    """The organisation's settings, or the defaults (not saved) when it has none."""
    found = FollowupSettings.objects.filter(organisation=organisation).first()
    return found or FollowupSettings(organisation=organisation)


def due_soon_until(organisation: Organisation, today: datetime.date) -> datetime.date:
    """The last deadline that counts as due soon: N working days ahead (the organisation's setting)."""
    return deadlines.due_soon_until(organisation, today, settings_for(organisation).due_soon_working_days)


def status_conditions(today: datetime.date, soon: datetime.date) -> dict[str, Q]:
    """One condition per status over `phase` and `deadline` only, so that counts use the index."""
    overdue = OPEN & Q(deadline__lt=today)
    due_soon = OPEN & Q(deadline__gte=today, deadline__lte=soon)
    timely = ~Q(deadline__lte=soon) | Q(deadline__isnull=True)
    return {
        Status.NOT_STARTED: Q(phase=Phase.NOT_STARTED) & timely,
        Status.IN_PROGRESS: Q(phase=Phase.IN_PROGRESS) & timely,
        Status.DUE_SOON: due_soon,
        Status.OVERDUE: overdue,
        Status.EXTENDED: Q(phase=Phase.EXTENDED) & timely,
        Status.DONE_ON_TIME: Q(phase=Phase.DONE_ON_TIME),
        Status.DONE_LATE: Q(phase=Phase.DONE_LATE),
        Status.CANCELLED: Q(phase=Phase.CANCELLED),
    }


def with_status(tasks: QuerySet[Task], today: datetime.date, soon: datetime.date) -> QuerySet[Task]:
    """Annotate `status` (a Status value)."""
    late = (deadlines.DeadlineState.OVERDUE, deadlines.DeadlineState.DUE_SOON)
    return tasks.alias(deadline_state=deadlines.deadline_state("deadline", today, soon, OPEN)).annotate(
        status=Case(
            When(deadline_state__in=late, then=F("deadline_state")),
            default=F("phase"),
            output_field=CharField(),
        )
    )


@dataclass(frozen=True)
class Criteria:
    """What a dashboard or list is about, and the period: tasks are placed in time by deadline."""

    unit: Unit | None = None
    person: Person | None = None
    source: Source | None = None
    term: Term | None = None
    year: int | None = None
    quarter: int | None = None
    month: int | None = None
    status: str = ""

    def deadline_range(self) -> tuple[datetime.date, datetime.date] | None:
        if self.year:
            if self.month:
                start = datetime.date(self.year, self.month, 1)
                return start, period_end(self.year, None, self.month)
            if self.quarter:
                start = datetime.date(self.year, self.quarter * 3 - 2, 1)
                return start, period_end(self.year, self.quarter, None)
            return datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)
        if self.term:
            return self.term.start_date, self.term.end_date or datetime.date.max
        return None


def _filtered(tasks: QuerySet[Task], criteria: Criteria) -> QuerySet[Task]:
    tasks = tasks.exclude(phase=Phase.SERIES)
    if criteria.unit is not None:
        tasks = tasks.filter(lead_unit=criteria.unit)
    if criteria.person is not None:
        tasks = tasks.filter(responsible=criteria.person)
    if criteria.source is not None:
        tasks = tasks.filter(source=criteria.source)
    span = criteria.deadline_range()
    if span is not None:
        tasks = tasks.filter(deadline__gte=span[0], deadline__lte=span[1])
    return tasks


def tasks(actor: Actor, criteria: Criteria = Criteria()) -> QuerySet[Task]:
    """The tasks the actor may see that match the criteria (recurring series left out)."""
    return _filtered(visible(actor, Task), criteria)


def task_list(actor: Actor, criteria: Criteria, today: datetime.date | None = None) -> QuerySet[Task]:
    today = today or timezone.localdate()
    assert actor.organisation is not None
    soon = due_soon_until(actor.organisation, today)
    found = tasks(actor, criteria)
    if criteria.status in Status.values:
        found = found.filter(status_conditions(today, soon)[criteria.status])
    return with_status(found, today, soon).select_related("lead_unit", "responsible", "source")


def status_counts(found: QuerySet[Task], today: datetime.date, soon: datetime.date) -> dict[str, int]:
    """Tasks per status, in one query. It counts `phase` (never null), not the id: the id is not in
    the status indexes, and PostgreSQL would read the table instead of the index alone."""
    conditions = status_conditions(today, soon)
    return found.order_by().aggregate(
        **{status: Count("phase", filter=q) for status, q in conditions.items()}
    )


@dataclass(frozen=True)
class Figures:
    counts: dict[str, int]
    total: int
    done: int
    on_time_rate: float | None  # done on time / done, in percent

    @classmethod
    def of(cls, counts: dict[str, int]) -> Figures:
        done = counts[Status.DONE_ON_TIME] + counts[Status.DONE_LATE]
        total = sum(counts.values())
        rate = round(100 * counts[Status.DONE_ON_TIME] / done, 1) if done else None
        return cls(counts, total, done, rate)

    def rows(self) -> list[tuple[str, str, int]]:
        return [(status.value, str(status.label), self.counts[status]) for status in Status]

    def cells(self) -> list[tuple[str, int]]:
        """The counts in the order of `rows`, without labels (a roll-up row)."""
        return [(status, self.counts[status]) for status in Status.values]


def figures(actor: Actor, criteria: Criteria, today: datetime.date | None = None) -> Figures:
    today = today or timezone.localdate()
    assert actor.organisation is not None
    return Figures.of(status_counts(tasks(actor, criteria), today, due_soon_until(actor.organisation, today)))


def breakdown(
    actor: Actor, criteria: Criteria, by: str, today: datetime.date | None = None
) -> list[tuple[Any, Figures]]:
    """Figures per lead unit (`by="lead_unit"`) or per responsible member (`by="responsible"`), in
    one grouped query over the tasks the actor may see."""
    today = today or timezone.localdate()
    assert actor.organisation is not None
    conditions = status_conditions(today, due_soon_until(actor.organisation, today))
    rows = (
        tasks(actor, criteria)
        .filter(**{f"{by}__isnull": False})
        .order_by()
        .values(by)
        .annotate(**{status: Count("phase", filter=q) for status, q in conditions.items()})
    )
    figures = {row[by]: Figures.of({status: row[status] for status in Status.values}) for row in rows}
    model = Unit if by == "lead_unit" else Person
    named = model.objects.filter(pk__in=figures).order_by(*(model._meta.ordering or ["pk"]))
    return [(obj, figures[obj.pk]) for obj in named]


def restricted_count(actor: Actor, criteria: Criteria) -> int | None:
    """How many of the organisation's tasks matching the criteria the actor may not read.

    Only for those who read the organisation's tasks: they may know that restricted tasks exist (a
    number, nothing more); for others the question does not arise (None).
    """
    if not actor.has_perm(READ_ALL) or actor.system:
        return None
    everything = _filtered(Task.objects.filter(organisation=actor.organisation), criteria)
    return everything.count() - tasks(actor, criteria).count()


def overdue(actor: Actor, criteria: Criteria, today: datetime.date | None = None) -> QuerySet[Task]:
    today = today or timezone.localdate()
    return (
        tasks(actor, criteria)
        .filter(OPEN, deadline__lt=today)
        .select_related("lead_unit", "responsible", "source")
        .order_by("deadline", "id")
    )


def timeline(actor: Actor, criteria: Criteria, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """Per month of deadline in the period (the year by default): done, overdue, open, cancelled."""
    today = today or timezone.localdate()
    year = criteria.year or (
        criteria.term.start_date.year if criteria.term and not criteria.year else today.year
    )
    span = criteria.deadline_range() or (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    found = tasks(actor, criteria).filter(deadline__gte=span[0], deadline__lte=span[1])
    rows = found.order_by().values_list("deadline", "phase")
    months: dict[tuple[int, int], dict[str, int]] = {}
    start = span[0].replace(day=1)
    end = min(span[1], datetime.date(span[0].year + 5, 12, 31))
    day = start
    while day <= end:
        months[(day.year, day.month)] = {"done": 0, "late": 0, "overdue": 0, "open": 0, "cancelled": 0}
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    for deadline, phase in rows.iterator(chunk_size=5000):
        assert deadline is not None
        bucket = months.get((deadline.year, deadline.month))
        if bucket is None:
            continue
        if phase == Phase.DONE_ON_TIME:
            bucket["done"] += 1
        elif phase == Phase.DONE_LATE:
            bucket["late"] += 1
        elif phase == Phase.CANCELLED:
            bucket["cancelled"] += 1
        elif deadline < today:
            bucket["overdue"] += 1
        else:
            bucket["open"] += 1
    peak = max((sum(b.values()) for b in months.values()), default=0) or 1
    return [
        {
            "year": y,
            "month": m,
            "parts": [(key, count) for key, count in bucket.items() if count],
            "total": sum(bucket.values()),
            "width": round(100 * sum(bucket.values()) / peak),
        }
        for (y, m), bucket in months.items()
    ]


@dataclass(frozen=True)
class RollupRow:
    organisation: Organisation
    figures: Figures
    restricted: int  # Tuyệt mật tasks: counted, never classified


def rollup(actor: Actor, criteria: Criteria, today: datetime.date | None = None) -> list[RollupRow]:
    """Figures of the child organisations (a province's communes): numbers only, no contents.

    For those who read their own organisation's tasks. Tuyệt mật tasks are counted apart, without
    their status. Read from TaskTally (tasks per month of deadline and phase): closed phases as they
    are, open tasks of past months as overdue, of later months by phase; only the open tasks due
    from the start of this month to the end of the due-soon window are read from the tasks, to split
    them into overdue, due soon and the rest. Each child's due-soon window is the parent's.
    """
    if not actor.has_perm(READ_ALL) or actor.organisation is None:
        return []
    today = today or timezone.localdate()
    children = list(Organisation.objects.filter(parent=actor.organisation).order_by("name"))
    if not children:
        return []
    soon = due_soon_until(actor.organisation, today)
    live_from, live_to = today.replace(day=1), period_end(soon.year, None, soon.month)
    span = Criteria(year=criteria.year, quarter=criteria.quarter, month=criteria.month).deadline_range()
    counts: dict[int, dict[str, int]] = {child.pk: dict.fromkeys(Status.values, 0) for child in children}
    restricted: dict[int, int] = dict.fromkeys(counts, 0)
    tallies = TaskTally.objects.filter(organisation__in=children)
    if span is not None:
        tallies = tallies.filter(month__gte=span[0].replace(day=1), month__lte=span[1])
    # Closed phases as they are; open tasks of past months are overdue, of months after the
    # due-soon window keep their phase, and those in between are counted from the tasks below.
    closed = tallies.filter(phase__in=CLOSED_PHASES).values("organisation_id", "phase", "restricted")
    opened = (
        tallies.filter(phase__in=OPEN_PHASES)
        .annotate(
            bucket=Case(
                When(month__isnull=True, then=F("phase")),
                When(month__lt=live_from, then=Value(Status.OVERDUE)),
                When(month__lte=live_to, then=Value("live")),
                default=F("phase"),
                output_field=CharField(),
            )
        )
        .values("organisation_id", "bucket", "restricted")
    )
    for rows, key in ((closed, "phase"), (opened, "bucket")):
        for summed in rows.annotate(n=Sum("count")).order_by():
            row: dict[str, Any] = dict(summed)
            if row["restricted"]:
                restricted[row["organisation_id"]] += row["n"]
            elif row[key] != "live":
                counts[row["organisation_id"]][row[key]] += row["n"]
    live = Task.objects.filter(
        organisation__in=children,
        phase__in=OPEN_PHASES,
        deadline__gte=max(live_from, span[0]) if span else live_from,
        deadline__lte=min(live_to, span[1]) if span else live_to,
    ).exclude(secrecy=Clearance.TUYET_MAT)
    conditions = status_conditions(today, soon)
    live_rows = (
        live.order_by()
        .values("organisation_id")
        .annotate(**{status: Count("phase", filter=conditions[status]) for status in Status.values})
    )
    for live_row in live_rows:
        figures: dict[str, Any] = dict(live_row)
        for status in Status.values:
            counts[figures["organisation_id"]][status] += figures[status]
    return [RollupRow(child, Figures.of(counts[child.pk]), restricted[child.pk]) for child in children]


def history(task: Task) -> QuerySet[Any]:
    """Who changed what and when: the audit events of the task, its reports and its extension
    requests, newest first."""
    about = (
        Q(object_type=Task._meta.label, object_id=str(task.pk))
        | Q(object_type=ProgressReport._meta.label, object_id__in=_ids(task.reports.all()))
        | Q(object_type=ExtensionRequest._meta.label, object_id__in=_ids(task.extensions.all()))
    )
    return AuditEvent.objects.filter(about, organisation=task.organisation).order_by("-seq")


def _ids(rows: QuerySet[Any]) -> list[str]:
    return [str(pk) for pk in rows.values_list("pk", flat=True)]
