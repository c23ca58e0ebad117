"""The three registers of the văn thư, with the columns of ND 30/2020/NĐ-CP appendix IV (FACTS §3),
as XLSX exports and print views (core.spreadsheets). The same column definitions serve both, so they
cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.core.spreadsheets import Column, Register, date_text, day


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


# ND 30/2020 appendix IV: incoming register.
INCOMING = Register(
    "incoming",
    _("REGISTER OF INCOMING DOCUMENTS"),
    (
        Column(_("Arrival date"), lambda d: day(d.arrived_at), 12),
        Column(_("Arrival number"), lambda d: d.arrival_number, 9),
        Column(_("Sender"), lambda d: d.sender_name, 28),
        Column(_("Number and symbol"), lambda d: d.sender_reference, 16),
        Column(_("Document date"), lambda d: day(d.document_date), 12),
        Column(_("Type and summary"), lambda d: d.type_and_summary, 50),
        Column(_("Receiving unit or person"), _routing_people, 28),
        Column(_("Date passed on"), lambda d: day(_passed_on(d)), 12),
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
        Column(_("Date"), lambda d: day(d.issued_on), 12),
        Column(_("Type and summary"), lambda d: d.type_and_summary, 50),
        Column(_("Signer"), lambda d: d.signer.full_name if d.signer else "", 22),
        Column(_("Recipients"), lambda d: _recipients(d), 30),
        Column(_("File copy kept by"), lambda d: d.keeping_unit.name if d.keeping_unit else "", 20),
        Column(_("Copies"), lambda d: d.copies, 8),
        Column(_("Date sent"), lambda d: day(d.issued_at), 12),
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
            lambda d: (
                f"{d.sender_reference} {date_text(d.document_date)} {d.sender_name}: {d.summary}".strip()
            ),
            50,
        ),
        Column(_("Receiving unit or person"), _routing_people, 28),
        Column(_("Deadline"), lambda d: day(d.deadline), 12),
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
            return str(_("Handled %(date)s (late)") % {"date": date_text(doc.handled_at)})
        return str(_("Handled %(date)s") % {"date": date_text(doc.handled_at)})
    return str(labels.get(state, doc.get_status_display()))
