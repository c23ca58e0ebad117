from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from vanphong.followup.models import Phase, Status

register = template.Library()

ACTIONS = {
    "followup.task.created": _("Assigned"),
    "followup.task.occurrence": _("Occurrence generated"),
    "followup.task.weight": _("Weight changed"),
    "followup.task.rolled_up": _("Progress of the sub-tasks rolled up"),
    "followup.task.evaluated": _("Evaluated"),
    "followup.task.cancelled": _("Cancelled"),
    "followup.task.progressed": _("Progress recorded"),
    "followup.task.extended": _("Deadline extended"),
    "followup.report.submitted": _("Progress reported"),
    "followup.report.accepted": _("Report accepted"),
    "followup.report.returned": _("Report returned"),
    "followup.extension.requested": _("Extension requested"),
    "followup.extension.approved": _("Extension approved"),
    "followup.extension.refused": _("Extension refused"),
}
TIMELINE = {
    "done": _("done on time"),
    "late": _("done late"),
    "overdue": _("overdue"),
    "open": _("open"),
    "cancelled": _("cancelled"),
}


@register.filter
def timeline_label(key: str) -> str:
    return str(TIMELINE.get(key, key))


@register.filter
def status_label(value: str) -> str:
    """The label of a derived status (the `status` annotation of followup.selectors.with_status)."""
    try:
        return str(Status(value).label)
    except ValueError:
        return ""


@register.filter
def phase_label(value: str | None) -> str:
    try:
        return str(Phase(value).label) if value else ""
    except ValueError:
        return ""


@register.filter
def days_late(deadline: datetime.date | None) -> int | None:
    """Calendar days since the deadline passed."""
    return (timezone.localdate() - deadline).days if deadline else None


@register.filter
def rollup_cells(figures: Any) -> str:
    """One roll-up row's cells, rendered here rather than cell by cell in the template (130 rows)."""
    rate = "—" if figures.on_time_rate is None else f"{floatformat(figures.on_time_rate, -1)}%"
    cells = format_html_join(
        "",
        '<td class="num{}">{}</td>',
        (
            (" deadline overdue" if status == "overdue" and count else "", count)
            for status, count in figures.cells()
        ),
    )
    return format_html('{}<td class="num">{}</td>', cells, rate)


@register.filter
def history_label(action: str) -> str:
    return str(ACTIONS.get(action, action))
