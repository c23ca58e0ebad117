"""The working-day calendar every deadline goes through.

A day is a working day unless it is a Saturday or Sunday or a public holiday, with overrides:
- Public holidays (Labour Code 2019 art. 112): 1/1, Tết (lunar new year, 5 days), Hùng Kings
  (10/3 lunar), 30/4, 1/5, 2/9 and one adjacent day. The `holidays` package computes them with the
  Vietnamese lunar calendar (FACTS §9) and knows many announced swap days, both the days off and
  the Saturdays worked in exchange.
- `CalendarOverride` rows (national, or for one organisation) correct or extend that for any year:
  a row marks a day as a working day or a day off, and wins over everything else.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays
from django.db.models import Q
from django.utils.translation import gettext as _

from vanphong.core.models import CalendarOverride, Organisation

SATURDAY, SUNDAY = 5, 6


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year, language="vi")


class WorkingCalendar:
    """A calendar for one organisation (or the national one), with its overrides loaded once.

    Build one per request or job and ask it many questions; it reads the overrides in one query.
    """

    def __init__(self, organisation: Organisation | None = None) -> None:
        rows = CalendarOverride.objects.filter(
            Q(organisation__isnull=True) | Q(organisation=organisation)
            if organisation is not None
            else Q(organisation__isnull=True)
        ).values_list("date", "is_working_day", "name", "organisation_id")
        # An organisation's own row wins over a national row for the same day.
        ordered = sorted(rows, key=lambda row: row[3] is not None)
        self._overrides: dict[datetime.date, tuple[bool, str]] = {
            day: (working, name) for day, working, name, _org in ordered
        }

    def holiday_name(self, day: datetime.date) -> str | None:
        name = _public_holidays(day.year).get(day)
        return str(name) if name else None

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self._overrides:
            return self._overrides[day][0]
        public = _public_holidays(day.year)
        if day in public:
            return False
        if day.weekday() in (SATURDAY, SUNDAY):
            return day in public.weekend_workdays
        return True

    def working_days_after(self, start: datetime.date, days: int) -> datetime.date:
        """The date `days` working days after `start` (the start day itself does not count).

        `working_days_after(Friday, 1)` is the next Monday if Monday is a working day. With
        `days == 0` the result is `start` if it is a working day, else the next working day.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        current = start
        if days == 0:
            while not self.is_working_day(current):
                current += datetime.timedelta(days=1)
            return current
        remaining = days
        while remaining:
            current += datetime.timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end` (negative if `end` is earlier)."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += datetime.timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count

    def days_off(self, year: int) -> list[tuple[datetime.date, str]]:
        """Holidays and declared days off of a year, with their names, as this calendar applies them."""
        names = {day: str(name) for day, name in _public_holidays(year).items()}
        names.update({day: name for day, (_working, name) in self._overrides.items() if day.year == year})
        return sorted((day, name) for day, name in names.items() if not self.is_working_day(day))

    def extra_working_days(self, year: int) -> list[tuple[datetime.date, str]]:
        """Weekend days worked in exchange for a day off (ngày làm bù)."""
        public = _public_holidays(year)
        days = {day: _("Make-up working day") for day in public.weekend_workdays if day.year == year}
        days.update(
            {day: name for day, (working, name) in self._overrides.items() if day.year == year and working}
        )
        return sorted((day, str(name)) for day, name in days.items() if day.weekday() in (SATURDAY, SUNDAY))


def is_working_day(day: datetime.date, organisation: Organisation | None = None) -> bool:
    return WorkingCalendar(organisation).is_working_day(day)


def working_days_after(
    start: datetime.date, days: int, organisation: Organisation | None = None
) -> datetime.date:
    return WorkingCalendar(organisation).working_days_after(start, days)
