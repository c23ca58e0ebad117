"""Administrative dates: the date phrase and the place-and-date line of a document."""

from __future__ import annotations

import datetime


def date_phrase(d: datetime.date) -> str:
    """Date phrase "ngày 05 tháng 3 năm 2026": days 1-9 and months 1-2 get a leading zero (HD 36-HD/VPTW)."""
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def date_line(place: str, d: datetime.date) -> str:
    """Place and date line of a document: "Tân Hòa, ngày 05 tháng 3 năm 2026"."""
    return f"{place}, {date_phrase(d)}"
