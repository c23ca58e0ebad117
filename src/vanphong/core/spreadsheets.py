"""Registers as spreadsheets and print views: a register is a title and its columns, each a header,
a width and how to read its value from a row; the same definition gives the XLSX export and the print
view, so they cannot drift apart. Used by the văn thư's registers (documents.registers) and the
petitions' (petitions.exports).

A column gives dates as dates (`day`): the print view writes them dd/mm/yyyy, the XLSX keeps them as
real dates shown dd/mm/yyyy, so they sort and filter as dates. The XLSX is ready for an inspection: a
title block (organisation, register, period, filters, date made), the header row frozen and filtered,
A4 landscape fitted to the page width with the header repeated on every printed page.
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
from openpyxl.utils import get_column_letter

from vanphong.core import bounds


class Period(Protocol):
    """The period a register is asked for (a year, or dates from and to)."""

    @property
    def year(self) -> int | None: ...
    @property
    def date_from(self) -> datetime.date | None: ...
    @property
    def date_to(self) -> datetime.date | None: ...


def day(value: datetime.date | datetime.datetime | None) -> datetime.date | None:
    """The day of a date or of a moment (in local time): what a register's date column holds."""
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    return value


def date_text(value: datetime.date | datetime.datetime | None) -> str:
    """A date (or a moment, in local time) as the registers write it: 05/03/2026."""
    found = day(value)
    return "" if found is None else found.strftime("%d/%m/%Y")


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


# Shown as the period, not among the filters.
PERIOD_FIELDS = ("year", "date_from", "date_to")


def described(form: Any) -> list[str]:
    """The filters a (valid) register filter form was given, as the title block writes them:
    "Loại văn bản: Nghị quyết", a choice by its label, a date dd/mm/yyyy."""
    if not form.is_bound or not form.is_valid():
        return []
    shown = []
    for name, value in form.cleaned_data.items():
        if name in PERIOD_FIELDS or value in (None, "", [], ()):
            continue
        field = form.fields[name]
        if isinstance(value, datetime.date):
            text = date_text(value)
        elif getattr(field, "choices", None) is not None and not hasattr(value, "pk"):
            text = str(dict(field.choices).get(value, value))
        else:
            text = str(value)
        shown.append(f"{field.label}: {text}")
    return shown


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


def _printed(values: list[Any]) -> list[Any]:
    return [date_text(value) if isinstance(value, datetime.date) else value for value in values]


def print_context(register: Register, docs: QuerySet[Any], criteria: Period) -> dict[str, Any]:
    return {
        "register": register,
        "headers": [column.header for column in register.columns],
        "rows": map(_printed, rows(register, docs[:PRINT_LIMIT])),
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
        ("vp_date", Font(name="Times New Roman"), Alignment(vertical="top", horizontal="center"), True),
        ("vp_note", Font(name="Times New Roman", italic=True), Alignment(), False),
    ):
        style = NamedStyle(name=name, font=font, alignment=alignment)
        if boxed:
            style.border = border
        if name == "vp_date":
            style.number_format = "DD/MM/YYYY"
        workbook.add_named_style(style)


def _cells(sheet: Any, values: Iterable[Any], style: str) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        # Text stored before inputs were cleaned may hold control characters, which XLSX cannot carry.
        cell = WriteOnlyCell(sheet, value=bounds.clean_text(value) if isinstance(value, str) else value)
        cell.style = "vp_date" if style == "vp_cell" and isinstance(value, datetime.date) else style
        cells.append(cell)
    return cells


def xlsx_response(
    register: Register,
    docs: QuerySet[Any],
    criteria: Period,
    *,
    organisation: Any = None,
    filters: Iterable[str] = (),
) -> HttpResponse:
    workbook = Workbook(write_only=True)
    _styles(workbook)
    sheet = workbook.create_sheet(title=register.key)
    for index, column in enumerate(register.columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
    block: list[tuple[str, str]] = []
    if organisation is not None:
        block.append((str(organisation.name).upper(), "vp_title"))
    block.append((str(register.title), "vp_title"))
    if period := _period(criteria):
        block.append((str(_("Period: %(period)s") % {"period": period}), "vp_note"))
    if shown := "; ".join(filters):
        block.append((str(_("Filters: %(filters)s") % {"filters": shown}), "vp_note"))
    made = date_text(timezone.localdate())
    block.append((str(_("Made on %(day)s") % {"day": made}), "vp_note"))
    header = len(block) + 2  # the title block, an empty row, then the header row
    # Frozen below the header, fitted to the page width: written before the rows in a streamed sheet.
    sheet.freeze_panes = f"A{header + 1}"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    for text, style in block:
        sheet.append(_cells(sheet, [text], style))
    sheet.append([])
    sheet.append(_cells(sheet, [str(column.header) for column in register.columns], "vp_header"))
    last = header
    for values in rows(register, docs):
        sheet.append(_cells(sheet, values, "vp_cell"))
        last += 1
    sheet.auto_filter.ref = f"A{header}:{get_column_letter(len(register.columns))}{last}"
    sheet.print_title_rows = f"{header}:{header}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="so-{register.key}-{stamp}.xlsx"'
    return response
