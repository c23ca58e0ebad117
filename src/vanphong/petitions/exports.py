"""The reception register and the petitions register (XLSX and print, through
core.spreadsheets), and the period report as XLSX.

Exports never include a denouncer's identity, whoever asks: a printed or downloaded file leaves
the access rules behind. Other citizens' names and addresses are part of the registers.
"""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from vanphong.core.spreadsheets import Column, Register, date_text, day
from vanphong.petitions.identities import Identity, open_for_register
from vanphong.petitions.models import Petition, Visit
from vanphong.petitions.selectors import Report


def _who(identity: Identity | None, size: int) -> str:
    if identity is None:
        return str(_("(denouncer: kept confidential)"))
    parts = [identity.name, identity.address]
    if identity.representatives:
        parts.append(str(_("representatives: %(names)s") % {"names": identity.representatives}))
    if size > 1:
        parts.append(str(_("%(count)s people") % {"count": size}))
    return ", ".join(part for part in parts if part)


def visit_citizens(visit: Visit) -> str:
    return _who(open_for_register(visit), visit.delegation_size)


def petition_sender(petition: Petition) -> str:
    if petition.sender_kind == "body":
        return petition.sender_body
    if petition.sender_kind == "anonymous":
        return str(petition.get_sender_kind_display())
    return _who(open_for_register(petition), petition.delegation_size)


def _leader(visit: Visit) -> str:
    session = visit.session
    if session is None or session.leader is None:
        return ""
    return session.leader.full_name


# Sổ tiếp công dân: who came, about what, what they handed in, what the leader answered.
RECEPTION = Register(
    "tiep-cong-dan",
    gettext_lazy("REGISTER OF CITIZEN RECEPTION"),
    (
        Column(gettext_lazy("Date"), lambda v: day(v.visited_on), 12),
        Column(gettext_lazy("Receiving leader"), _leader, 20),
        Column(gettext_lazy("Citizens"), visit_citizens, 32),
        Column(gettext_lazy("Kind"), lambda v: v.get_content_kind_display(), 14),
        Column(gettext_lazy("Content"), lambda v: v.content, 45),
        Column(gettext_lazy("Documents handed in"), lambda v: v.documents_handed_in, 22),
        Column(gettext_lazy("Answer or instruction"), lambda v: v.answer, 35),
        Column(gettext_lazy("Petition"), lambda v: ", ".join(p.reference for p in v.petitions.all()), 10),
    ),
)

# Sổ đơn thư: the petitions' own register, apart from the incoming documents (QĐ 693-QĐ/VPTW).
PETITIONS = Register(
    "don-thu",
    gettext_lazy("REGISTER OF PETITIONS"),
    (
        Column(gettext_lazy("Number"), lambda p: p.reference, 9),
        Column(gettext_lazy("Received on"), lambda p: day(p.received_on), 12),
        Column(gettext_lazy("Received"), lambda p: p.get_channel_display(), 14),
        Column(gettext_lazy("Sender of the letter"), petition_sender, 30),
        Column(gettext_lazy("Kind"), lambda p: p.get_kind_display(), 14),
        Column(gettext_lazy("Subject area"), lambda p: p.get_subject_display(), 16),
        Column(gettext_lazy("Content"), lambda p: p.summary, 45),
        Column(gettext_lazy("Competence"), lambda p: p.get_competence_display(), 18),
        Column(gettext_lazy("State"), lambda p: p.get_state_display(), 16),
        Column(gettext_lazy("Deadline"), lambda p: day(getattr(p, "due", None)), 12),
        Column(gettext_lazy("Outcome"), lambda p: _outcome(p), 30),
    ),
)


def _outcome(petition: Petition) -> str:
    if petition.answered_on:
        late = _(" (late)") if petition.resolved_late else ""
        return f"{date_text(petition.answered_on)}{late}: {petition.answer}"
    if petition.competent_body:
        return f"{petition.get_state_display()}: {petition.competent_body}"
    return petition.closed_reason


def report_xlsx(report: Report, organisation_name: str) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "bao-cao"
    sheet.column_dimensions["A"].width = 55
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 14
    bold = Font(name="Times New Roman", bold=True)
    sheet.append([str(_("REPORT ON CITIZEN RECEPTION AND PETITIONS"))])
    sheet.append([organisation_name])
    sheet.append([f"{date_text(report.date_from)} – {date_text(report.date_to)}"])
    for cell in sheet["A1"], sheet["A2"]:
        cell.font = bold

    def section(title: str, rows: list[tuple[Any, Any]]) -> None:
        sheet.append([])
        sheet.append([title])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        for label, value in rows:
            sheet.append([str(label), value])

    section(
        _("Petitions"),
        [
            (_("Letters received"), report.received),
            (_("Within competence"), report.in_competence),
            (_("Not within competence"), report.out_of_competence),
            (_("Accepted for resolution"), report.accepted),
            (_("Accepted after the deadline"), report.accepted_late),
            (_("Transferred or guided"), report.transferred),
            (_("Not accepted, filed"), report.filed),
            (_("Resolved on time"), report.resolved_on_time),
            (_("Resolved late"), report.resolved_late),
            (_("Pending at the end of the period"), report.pending),
            (_("of which overdue"), report.pending_overdue),
            (_("Repeating a matter already answered"), report.repeats),
        ],
    )
    section(_("By kind"), report.by_kind)
    section(_("By subject area"), report.by_subject)
    section(_("By how they were received"), report.by_channel)
    section(
        _("Reception"),
        [
            (_("Visits"), report.visits),
            (_("Citizens received"), report.visitors),
            (_("Delegations"), report.delegations),
        ],
    )
    sheet.append([])
    sheet.append([str(_("The head's reception days")), str(_("Days")), str(_("Minimum"))])
    sheet.cell(row=sheet.max_row, column=1).font = bold
    for month in report.months:
        sheet.append([month.month.strftime("%m/%Y"), month.head_days, month.required])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-don-thu-{stamp}.xlsx"'
    return response
