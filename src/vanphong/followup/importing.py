"""Bulk progress update from a spreadsheet, for units that report in Excel.

The unit downloads its open tasks as XLSX (`template_xlsx`), fills in the new progress and a short
report per row, and uploads the file. A dry run checks every row and reports every problem with its
row number (an unknown task number, a task the user may not report on, a percentage above 100, a
closed task, a number given twice); nothing is written unless the whole file is clean. Then every
row becomes a progress report (`progress.submit_report`) in one transaction: all or nothing.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from vanphong.core.access import Actor
from vanphong.core.text import clean, fold
from vanphong.followup import progress, selectors
from vanphong.followup.models import Task
from vanphong.followup.permissions import may_report

COLUMNS = [
    ("id", gettext_lazy("Task no.")),
    ("content", gettext_lazy("Task")),
    ("unit", gettext_lazy("Lead unit")),
    ("deadline", gettext_lazy("Deadline")),
    ("current", gettext_lazy("Current progress (%)")),
    ("percent", gettext_lazy("New progress (%)")),
    ("text", gettext_lazy("Report")),
]
# Headers are recognised folded, in Vietnamese or English, whatever the language of the export.
HEADERS = {
    "id": {"ma nhiem vu", "so nhiem vu", "task no.", "task id", "id"},
    "percent": {"tien do moi (%)", "tien do moi", "new progress (%)", "progress (%)", "tien do (%)"},
    "text": {"bao cao", "noi dung bao cao", "report"},
}
MAX_ROWS = 5000


@dataclass
class Row:
    number: int  # the spreadsheet's row number
    task: Task
    percent: int
    text: str


@dataclass
class Result:
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def template_xlsx(actor: Actor) -> bytes:
    """The open tasks the actor may report on, ready to fill in."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(_("Progress"))
    sheet.append([str(label) for _key, label in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    today = timezone.localdate()
    for task in selectors.task_list(actor, selectors.Criteria(), today).filter(selectors.OPEN):
        if may_report(actor, task) and not task.subtasks.exists():
            sheet.append([task.pk, task.content, task.lead_unit.name, task.deadline, task.progress, None, ""])
    for column, width in zip("ABCDEFG", (12, 60, 30, 12, 12, 12, 60), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _percent(value: Any) -> int | str | None:
    """A whole percentage; a cell formatted as a percentage arrives as a fraction (0.4 for 40%)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        return round(value * 100) if 0 < value < 1 else str(value)
    text = str(value).strip().rstrip("%").strip()
    return int(text) if re.fullmatch(r"-?\d+", text) else str(value)


def read(actor: Actor, data: bytes) -> Result:
    """Check the whole file; nothing is written."""
    result = Result()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(_("This file cannot be read as an Excel workbook (XLSX).")) from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        folded = fold(clean(str(name or ""))).lower()
        for key, names in HEADERS.items():
            if folded in names and key not in columns:
                columns[key] = index
    missing = [key for key in HEADERS if key not in columns]
    if missing:
        labels = dict(COLUMNS)
        raise ValidationError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(str(labels[key]) for key in missing)}
        )
    entries: list[tuple[int, Any, Any, str]] = []
    for number, values in enumerate(rows, start=2):
        if len(entries) >= MAX_ROWS:
            result.errors.append(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
            break
        cells = [*values, *([None] * len(COLUMNS))]
        percent = _percent(cells[columns["percent"]])
        text = clean(str(cells[columns["text"]] or ""))
        if percent is None and not text:
            continue  # a task listed but not reported on this time
        entries.append((number, cells[columns["id"]], percent, text))
    ids = {int(str(cell).strip()) for _n, cell, _p, _t in entries if re.fullmatch(r"\s*\d+\s*", str(cell))}
    reportable = {task.pk: task for task in selectors.tasks(actor).filter(pk__in=ids)}
    seen: dict[int, int] = {}
    for number, cell, percent, text in entries:
        if not re.fullmatch(r"\s*\d+\s*", str(cell)):
            result.errors.append(
                _("Row %(row)s: “%(value)s” is not a task number.") % {"row": number, "value": cell or ""}
            )
            continue
        task_id = int(str(cell).strip())
        task = reportable.get(task_id)
        if task is None or not may_report(actor, task):
            result.errors.append(
                _("Row %(row)s: there is no task no. %(id)s that you may report on.")
                % {"row": number, "id": task_id}
            )
            continue
        if task_id in seen:
            result.errors.append(
                _("Row %(row)s: task no. %(id)s is already on row %(first)s.")
                % {"row": number, "id": task_id, "first": seen[task_id]}
            )
            continue
        seen[task_id] = number
        problems = progress.check_report(task, text, percent)
        if problems:
            result.errors.extend(
                _("Row %(row)s: %(problem)s") % {"row": number, "problem": problem}
                for problem in problems.values()
            )
            continue
        assert isinstance(percent, int)
        result.rows.append(Row(number, task, percent, text))
    if not result.rows and not result.errors:
        result.errors.append(_("The file has no progress to import."))
    return result


def apply(actor: Actor, data: bytes) -> Result:
    """Check the file again and, if clean, record every row as a progress report (all or nothing)."""
    result = read(actor, data)
    if not result.ok:
        return result
    with transaction.atomic(durable=True):
        for row in result.rows:
            progress.record_report(actor, row.task, text=row.text, percent=row.percent)
    return result
