"""Deadlines, one way for every app: a date or N working days, and overdue / due soon / on time."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, Q, Value, When
from django.utils.translation import gettext as _

from vanphong.core.calendar import WorkingCalendar
from vanphong.core.models import Organisation

# Beyond ten years of working days (two terms of a committee) a deadline is a typing slip.
MAX_WORKING_DAYS = 2500


class DeadlineState:
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TIME = "on_time"
    NONE = ""


def deadline_from(
    organisation: Organisation | None,
    start: datetime.date,
    *,
    date: datetime.date | None,
    working_days: int | None,
    fields: tuple[str, str] = ("deadline", "deadline_days"),
) -> datetime.date | None:
    """The deadline given as a date, or as a number of working days after `start` (not both)."""
    date_field, days_field = fields
    if date is not None and working_days is not None:
        raise ValidationError({date_field: _("Give either a date or a number of working days, not both.")})
    if working_days is None:
        return date
    if not 1 <= working_days <= MAX_WORKING_DAYS:
        raise ValidationError(
            {days_field: _("Enter a number of working days from 1 to %(max)s.") % {"max": MAX_WORKING_DAYS}}
        )
    return WorkingCalendar(organisation).working_days_after(start, working_days)


def due_soon_until(
    organisation: Organisation | None, today: datetime.date, working_days: int
) -> datetime.date:
    """The last deadline that counts as due soon: `working_days` working days ahead of today."""
    return WorkingCalendar(organisation).working_days_after(today, working_days)


def deadline_state(due: str, today: datetime.date, soon: datetime.date, running: Q | None = None) -> Case:
    """An annotation: overdue, due soon or on time for the rows whose deadline `due` is running."""
    running = (running or Q()) & Q(**{f"{due}__isnull": False})
    return Case(
        When(running & Q(**{f"{due}__lt": today}), then=Value(DeadlineState.OVERDUE)),
        When(running & Q(**{f"{due}__lte": soon}), then=Value(DeadlineState.DUE_SOON)),
        When(running, then=Value(DeadlineState.ON_TIME)),
        default=Value(DeadlineState.NONE),
        output_field=CharField(),
    )
