"""Reads of citizen reception and petitions, always through the access policies."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, DateField, F, Q, QuerySet, Sum, When
from django.utils import timezone

from vanphong.core.access import Actor, visible
from vanphong.core.bounds import query_words
from vanphong.core.deadlines import deadline_state, due_soon_until
from vanphong.core.models import Organisation
from vanphong.core.text import fold
from vanphong.documents.numbering import document_settings
from vanphong.petitions import rules
from vanphong.petitions.models import (
    OPEN_STATES,
    Channel,
    Competence,
    Petition,
    PetitionKind,
    ReceptionSession,
    SessionKind,
    State,
    Subject,
    Visit,
)

RESOLUTION_STATES = (State.ACCEPTED, State.VERIFYING, State.CONCLUDED)


@dataclass(frozen=True)
class PetitionFilter:
    year: int | None = None
    kind: str = ""
    state: str = ""
    subject: str = ""
    text: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def with_deadline_state(
    organisation: Organisation, petitions: QuerySet[Petition], today: datetime.date | None = None
) -> QuerySet[Petition]:
    """Annotate `due` (the deadline running now) and `deadline_state`: overdue, due soon, on time."""
    today = today or timezone.localdate()
    soon = due_soon_until(organisation, today, document_settings(organisation).due_soon_working_days)
    petitions = petitions.annotate(
        due=Case(
            When(state=State.RECEIVED, then=F("acceptance_deadline")),
            When(state__in=RESOLUTION_STATES, then=F("resolution_deadline")),
            default=None,
            output_field=DateField(),
        )
    )
    return petitions.annotate(deadline_state=deadline_state("due", today, soon))


def petitions(actor: Actor, f: PetitionFilter) -> QuerySet[Petition]:
    assert actor.organisation is not None
    rows = visible(actor, Petition)
    if f.year:
        rows = rows.filter(year=f.year)
    if f.kind:
        rows = rows.filter(kind=f.kind)
    if f.state:
        rows = rows.filter(state=f.state)
    if f.subject:
        rows = rows.filter(subject=f.subject)
    if f.date_from:
        rows = rows.filter(received_on__gte=f.date_from)
    if f.date_to:
        rows = rows.filter(received_on__lte=f.date_to)
    for word in query_words(fold(f.text)):
        rows = rows.filter(search_text__contains=word)
    return with_deadline_state(actor.organisation, rows).order_by("-year", "-number")


def visits(actor: Actor, date_from: datetime.date | None, date_to: datetime.date | None) -> QuerySet[Visit]:
    rows = visible(actor, Visit).select_related("session__leader").prefetch_related("petitions")
    if date_from:
        rows = rows.filter(visited_on__gte=date_from)
    if date_to:
        rows = rows.filter(visited_on__lte=date_to)
    return rows.order_by("visited_on", "id")


@dataclass(frozen=True)
class MonthReception:
    """The head's reception days in one month against the minimum of QĐ 11-QĐi/TW."""

    month: datetime.date
    head_days: int
    extra_days: int
    required: int | None
    source: str

    @property
    def met(self) -> bool | None:
        return None if self.required is None else self.head_days >= self.required


def reception_months(actor: Actor, first: datetime.date, last: datetime.date) -> list[MonthReception]:
    """One row per month from `first` (or the office's first recorded session, if later: earlier
    months say nothing about the head's reception) to `last`. Only regular sessions the head led in
    person count towards the minimum."""
    assert actor.organisation is not None
    started = visible(actor, ReceptionSession).order_by("held_on").values_list("held_on", flat=True).first()
    if started is None:
        return []
    first = max(first, started.replace(day=1))
    last = min(last, month_end(timezone.localdate()))  # months to come say nothing yet
    sessions = visible(actor, ReceptionSession).filter(held_on__gte=first, held_on__lte=last)
    head_days: dict[tuple[int, int], set[datetime.date]] = {}
    extra_days: dict[tuple[int, int], set[datetime.date]] = {}
    for held_on, kind, by_head in sessions.values_list("held_on", "kind", "led_by_head"):
        if kind == SessionKind.REGULAR and by_head:
            head_days.setdefault((held_on.year, held_on.month), set()).add(held_on)
        else:
            extra_days.setdefault((held_on.year, held_on.month), set()).add(held_on)
    months = []
    month = first.replace(day=1)
    while month <= last:
        minimum = rules.reception_minimum(actor.organisation, month)
        key = (month.year, month.month)
        months.append(
            MonthReception(
                month=month,
                head_days=len(head_days.get(key, ())),
                extra_days=len(extra_days.get(key, ())),
                required=minimum.days_per_month if minimum else None,
                source=minimum.source if minimum else "",
            )
        )
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass
class Report:
    """Figures of a period. Counts only: no citizen's identity ever enters a report."""

    date_from: datetime.date
    date_to: datetime.date
    received: int = 0
    by_kind: list[tuple[Any, int]] = field(default_factory=list)
    by_subject: list[tuple[Any, int]] = field(default_factory=list)
    by_channel: list[tuple[Any, int]] = field(default_factory=list)
    in_competence: int = 0
    out_of_competence: int = 0
    accepted: int = 0
    accepted_late: int = 0
    transferred: int = 0
    filed: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    pending: int = 0
    pending_overdue: int = 0
    repeats: int = 0
    visits: int = 0
    visitors: int = 0
    delegations: int = 0
    months: list[MonthReception] = field(default_factory=list)


def _labelled(choices: Any, counts: dict[str, int]) -> list[tuple[Any, int]]:
    return [(label, counts.get(value, 0)) for value, label in choices]


def report(actor: Actor, date_from: datetime.date, date_to: datetime.date) -> Report:
    assert actor.organisation is not None
    all_petitions = visible(actor, Petition)
    received = all_petitions.filter(received_on__gte=date_from, received_on__lte=date_to)
    result = Report(date_from=date_from, date_to=date_to)
    totals = received.aggregate(
        total=Count("pk"),
        own=Count("pk", filter=Q(competence=Competence.OWN)),
        transferred=Count("pk", filter=Q(state=State.TRANSFERRED)),
        filed=Count("pk", filter=Q(state=State.FILED)),
        repeats=Count("pk", filter=Q(is_repeat=True)),
    )
    result.received, result.in_competence = totals["total"], totals["own"]
    result.out_of_competence = totals["total"] - totals["own"]
    result.transferred, result.filed, result.repeats = (
        totals["transferred"],
        totals["filed"],
        totals["repeats"],
    )

    def grouped(name: str) -> dict[str, int]:
        return dict(received.values_list(name).annotate(n=Count("pk")).order_by().values_list(name, "n"))

    result.by_kind = _labelled(PetitionKind.choices, grouped("kind"))
    result.by_subject = _labelled(Subject.choices, grouped("subject"))
    result.by_channel = _labelled(Channel.choices, grouped("channel"))
    accepted = all_petitions.filter(accepted_on__gte=date_from, accepted_on__lte=date_to)
    result.accepted = accepted.count()
    result.accepted_late = accepted.filter(accepted_on__gt=F("acceptance_deadline")).count()
    answered = all_petitions.filter(answered_on__gte=date_from, answered_on__lte=date_to)
    result.resolved_late = answered.filter(answered_on__gt=F("resolution_deadline")).count()
    result.resolved_on_time = answered.count() - result.resolved_late
    pending = with_deadline_state(
        actor.organisation, all_petitions.filter(received_on__lte=date_to, state__in=OPEN_STATES)
    )
    pending_counts = pending.aggregate(n=Count("pk"), overdue=Count("pk", filter=Q(deadline_state="overdue")))
    result.pending, result.pending_overdue = pending_counts["n"], pending_counts["overdue"]
    period_visits = visits(actor, date_from, date_to).aggregate(
        n=Count("pk"), people=Sum("delegation_size"), delegations=Count("pk", filter=Q(delegation_size__gt=1))
    )
    result.visits, result.visitors = period_visits["n"], period_visits["people"] or 0
    result.delegations = period_visits["delegations"]
    result.months = reception_months(actor, date_from, date_to)
    return result
