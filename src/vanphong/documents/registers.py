"""The three registers of the văn thư, with the columns of ND 30/2020/NĐ-CP appendix IV (FACTS §3),
as XLSX exports and print views. The same column definitions serve both, so they cannot drift apart.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

from vanphong.core import bounds
from vanphong.documents.selectors import RegisterFilter


def _date(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


def _routing_people(doc: Any) -> str:
    routing = next(iter(doc.routings.all()), None)
    if routing is None:
        return ""
    names = []
    for assignment in routing.assignments.all():
        who = assignment.unit.name if assignment.unit else assignment.user.get_full_name()
        names.append(f"{who} ({assignment.get_role_display()})")
    return "; ".join(names)


def _passed_on(doc: Any) -> Any:
    routings = list(doc.routings.all())  # newest first: the document was passed on at the first one
    return routings[-1].routed_at if routings else None


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


# ND 30/2020 appendix IV: incoming register.
INCOMING = Register(
    "incoming",
    _("REGISTER OF INCOMING DOCUMENTS"),
    (
        Column(_("Arrival date"), lambda d: _date(d.arrived_at), 12),
        Column(_("Arrival number"), lambda d: d.arrival_number, 9),
        Column(_("Sender"), lambda d: d.sender_name, 28),
        Column(_("Number and symbol"), lambda d: d.sender_reference, 16),
        Column(_("Document date"), lambda d: _date(d.document_date), 12),
        Column(_("Type and summary"), lambda d: d.type_and_summary, 50),
        Column(_("Receiving unit or person"), _routing_people, 28),
        Column(_("Date passed on"), lambda d: _date(_passed_on(d)), 12),
        Column(_("Receipt signature"), lambda d: "", 12),
        Column(_("Notes"), lambda d: _notes(d), 20),
    ),
    prefetch=("routings__assignments__unit", "routings__assignments__user"),
)

# ND 30/2020 appendix IV: outgoing register.
OUTGOING = Register(
    "outgoing",
    _("REGISTER OF OUTGOING DOCUMENTS"),
    (
        Column(_("Number and symbol"), lambda d: d.reference, 16),
        Column(_("Date"), lambda d: _date(d.issued_on), 12),
        Column(_("Type and summary"), lambda d: d.type_and_summary, 50),
        Column(_("Signer"), lambda d: d.signer.full_name if d.signer else "", 22),
        Column(_("Recipients"), lambda d: _recipients(d), 30),
        Column(_("File copy kept by"), lambda d: d.keeping_unit.name if d.keeping_unit else "", 20),
        Column(_("Copies"), lambda d: d.copies, 8),
        Column(_("Date sent"), lambda d: _date(d.issued_at), 12),
        Column(_("Receipt signature"), lambda d: "", 12),
        Column(_("Notes"), lambda d: _notes(d), 20),
    ),
    prefetch=("internal_recipients__organisation",),
)

# ND 30/2020 appendix IV: follow-up of incoming documents.
FOLLOWUP = Register(
    "followup",
    _("REGISTER FOR FOLLOWING UP INCOMING DOCUMENTS"),
    (
        Column(_("Arrival number"), lambda d: f"{d.arrival_number}/{d.arrival_year}", 10),
        Column(
            _("Document"),
            lambda d: f"{d.sender_reference} {_date(d.document_date)} {d.sender_name}: {d.summary}".strip(),
            50,
        ),
        Column(_("Receiving unit or person"), _routing_people, 28),
        Column(_("Deadline"), lambda d: _date(d.deadline), 12),
        Column(_("Progress"), lambda d: _progress(d), 18),
        Column(_("Reply number and symbol"), lambda d: d.reply.reference if d.reply_id else "", 16),
        Column(_("Notes"), lambda d: _notes(d), 20),
    ),
    prefetch=("routings__assignments__unit", "routings__assignments__user"),
)


# Migration 0007: a number given twice in one register before that could be refused.
REPEATED_NUMBER = _("Number given twice before the register refused repeats")


def _notes(doc: Any) -> str:
    parts = []
    if doc.secrecy:
        parts.append(str(doc.get_secrecy_display()))
    if doc.urgency:
        parts.append(str(doc.get_urgency_display()))
    if doc.status == "cancelled":
        parts.append(str(_("Cancelled: %(reason)s") % {"reason": doc.cancelled_reason}))
    if getattr(doc, "repeats_number_of_id", None):  # the other holder may be secret: not named
        parts.append(str(REPEATED_NUMBER))
    return "; ".join(parts)


def _recipients(doc: Any) -> str:
    names = [r.organisation.name for r in doc.internal_recipients.all()]
    names += [line for line in doc.external_recipients.splitlines() if line.strip()]
    return "; ".join(names)


def _progress(doc: Any) -> str:
    state = getattr(doc, "deadline_state", "")
    labels = {"overdue": _("Overdue"), "due_soon": _("Due soon"), "on_time": _("In progress")}
    if doc.status == "handled":
        late = doc.deadline and doc.handled_at and timezone.localdate(doc.handled_at) > doc.deadline
        if late:
            return str(_("Handled %(date)s (late)") % {"date": _date(doc.handled_at)})
        return str(_("Handled %(date)s") % {"date": _date(doc.handled_at)})
    return str(labels.get(state, doc.get_status_display()))


def _period(criteria: RegisterFilter) -> str:
    if criteria.date_from or criteria.date_to:
        return f"{_date(criteria.date_from) or '…'} – {_date(criteria.date_to) or '…'}"
    if criteria.year:
        return str(criteria.year)
    return ""


def rows(register: Register, docs: QuerySet[Any]) -> Iterable[list[Any]]:
    """The register's rows, read in chunks so a year of a large office does not sit in memory."""
    for doc in docs.prefetch_related(*register.prefetch).iterator(chunk_size=2000):
        yield [column.value(doc) for column in register.columns]


# A printed register is for a period; beyond this many rows the page asks for a narrower filter.
PRINT_LIMIT = 5000


def print_context(register: Register, docs: QuerySet[Any], criteria: RegisterFilter) -> dict[str, Any]:
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


def xlsx_response(register: Register, docs: QuerySet[Any], criteria: RegisterFilter) -> HttpResponse:
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
