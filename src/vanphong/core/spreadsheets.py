"""Registers as spreadsheets and print views: a register is a title and its columns, each a header,
a width and how to read its value from a row; the same definition gives the XLSX export and the print
view, so they cannot drift apart. Used by the văn thư's registers (documents.registers) and the
petitions' (petitions.exports).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

from vanphong.core import bounds


class Period(Protocol):
    """The period a register is asked for (a year, or dates from and to)."""

    @property
    def year(self) -> int | None: ...
    @property
    def date_from(self) -> datetime.date | None: ...
    @property
    def date_to(self) -> datetime.date | None: ...


def date_text(value: datetime.date | datetime.datetime | None) -> str:
    """A date (or a moment, in local time) as the registers write it: 05/03/2026."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Column:
    header: Any
    value: Callable[[Any], Any]
    width: int


@dataclass(frozen=True)
class Register:
    key: str
    title: Any
    columns: tuple[Column, ...]
    prefetch: tuple[str, ...] = ()


def _period(criteria: Period) -> str:
    if criteria.date_from or criteria.date_to:
        return f"{date_text(criteria.date_from) or '…'} – {date_text(criteria.date_to) or '…'}"
    if criteria.year:
        return str(criteria.year)
    return ""


def rows(register: Register, docs: QuerySet[Any]) -> Iterable[list[Any]]:
    """The register's rows, read in chunks so a year of a large office does not sit in memory."""
    for doc in docs.prefetch_related(*register.prefetch).iterator(chunk_size=2000):
        yield [column.value(doc) for column in register.columns]


# A printed register is for a period; beyond this many rows the page asks for a narrower filter.
PRINT_LIMIT = 5000


def print_context(register: Register, docs: QuerySet[Any], criteria: Period) -> dict[str, Any]:
    return {
        "register": register,
        "headers": [column.header for column in register.columns],
        "rows": rows(register, docs[:PRINT_LIMIT]),
        "truncated": docs[PRINT_LIMIT : PRINT_LIMIT + 1].exists(),
        "limit": PRINT_LIMIT,
        "period": _period(criteria),
    }


def _styles(workbook: Workbook) -> None:
    """Named styles, made once per workbook (a style object per cell costs seconds on large exports)."""
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for name, font, alignment, boxed in (
        ("vp_title", Font(name="Times New Roman", bold=True, size=14), Alignment(), False),
        (
            "vp_header",
            Font(name="Times New Roman", bold=True),
            Alignment(horizontal="center", vertical="center", wrap_text=True),
            True,
        ),
        ("vp_cell", Font(name="Times New Roman"), Alignment(vertical="top", wrap_text=True), True),
    ):
        style = NamedStyle(name=name, font=font, alignment=alignment)
        if boxed:
            style.border = border
        workbook.add_named_style(style)


def _cells(sheet: Any, values: Iterable[Any], style: str) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        # Text stored before inputs were cleaned may hold control characters, which XLSX cannot carry.
        cell = WriteOnlyCell(sheet, value=bounds.clean_text(value) if isinstance(value, str) else value)
        cell.style = style
        cells.append(cell)
    return cells


def xlsx_response(register: Register, docs: QuerySet[Any], criteria: Period) -> HttpResponse:
    workbook = Workbook(write_only=True)
    _styles(workbook)
    sheet = workbook.create_sheet(title=register.key)
    for index, column in enumerate(register.columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = column.width
    sheet.append(_cells(sheet, [str(register.title)], "vp_title"))
    if period := _period(criteria):
        sheet.append([str(_("Period: %(period)s") % {"period": period})])
    sheet.append([])
    sheet.append(_cells(sheet, [str(column.header) for column in register.columns], "vp_header"))
    for values in rows(register, docs):
        sheet.append(_cells(sheet, values, "vp_cell"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="so-{register.key}-{stamp}.xlsx"'
    return response
