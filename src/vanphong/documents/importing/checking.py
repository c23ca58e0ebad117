"""Checking a register's file row by row (the dry run): every problem with its row and column;
nothing is written."""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from vanphong.core.access import Actor, require
from vanphong.core.models import Clearance, Organisation
from vanphong.core.text import clean, fold
from vanphong.documents import numbering
from vanphong.documents.importing.mapping import (
    HANDLED,
    INCOMING,
    KINDS,
    OUTGOING,
    REGISTERED,
    _alias_table,
    _match_header,
    field_label,
    header_key,
)
from vanphong.documents.importing.reading import HEADER_SEARCH_ROWS, read_table
from vanphong.documents.importing.reports import Column, FileProblem, ImportRow, Problem, Report
from vanphong.documents.importing.values import (
    _REFERENCES,
    _cancelled_words,
    _secrecy_table,
    _Types,
    _urgency_table,
    as_text,
    parse_date,
    parse_integer,
)
from vanphong.documents.incoming import normalise_reference
from vanphong.documents.models import (
    DocumentType,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
    Urgency,
)
from vanphong.documents.permissions import IMPORT
from vanphong.org.models import Person

MIN_HEADER_MATCHES = 3  # columns recognised for a row to be the header


class _Checker:
    def __init__(self, actor: Actor, kind: str, report: Report, incoming_status: str) -> None:
        assert actor.organisation is not None
        self.actor = actor
        self.organisation: Organisation = actor.organisation
        self.kind = kind
        self.report = report
        self.incoming_status = incoming_status
        self.columns: dict[str, Column] = {}
        self.types = _Types()
        self.secrecy_table = _secrecy_table()
        self.urgency_table = _urgency_table()
        self.cancelled_words = _cancelled_words()
        self.seen: dict[tuple[Any, ...], int] = {}
        self.existing_incoming: dict[int, set[int]] = {}
        self.existing_outgoing: dict[str, set[int]] = {}
        self.sequences: dict[tuple[int, bool, datetime.date], numbering.Sequence | str] = {}
        self.people: dict[str, list[Person]] = defaultdict(list)
        if kind == OUTGOING:
            for person in Person.objects.filter(organisation=self.organisation):
                self.people[person.search_name].append(person)
        self.today = timezone.localdate()
        self.row = 0
        self.values: list[Any] = []
        self.failed = False

    # The header ---------------------------------------------------------------------------------

    def find_header(self, table: list[tuple[int, list[Any]]]) -> int | None:
        aliases = _alias_table(self.kind)
        best: tuple[int, int, list[Column]] | None = None
        for position, (_number, values) in enumerate(table[:HEADER_SEARCH_ROWS]):
            columns = []
            for index, value in enumerate(values):
                header = as_text(value)
                name = _match_header(header_key(header), aliases)
                columns.append(
                    Column(
                        index, get_column_letter(index + 1), header, name, field_label(self.kind, name or "")
                    )
                )
            found = {c.field for c in columns if c.field}
            if len(found) >= MIN_HEADER_MATCHES and (best is None or len(found) > best[1]):
                best = (position, len(found), columns)
        if best is None:
            return None
        position, _count, columns = best
        self.report.header_row = table[position][0]
        for column in columns:
            if column.field and column.field in self.columns:
                # A second column for the same field (e.g. "Date sent" after "Date"): not imported.
                column = Column(column.index, column.letter, column.header, None)
            elif column.field:
                self.columns[column.field] = column
            self.report.columns.append(column)
        return position

    def missing_columns(self) -> list[str]:
        have = set(self.columns)
        if self.kind == INCOMING:
            required = [["arrival_number"], ["arrived_at"], ["sender_name"], ["document_date"]]
        else:
            required = [["number", "reference"], ["issued_on"]]
        required.append(["summary", "type_and_summary"])
        return [names[0] for names in required if not have.intersection(names)]

    # Cells --------------------------------------------------------------------------------------

    def problem(self, name: str, message: str, value: Any = None) -> None:
        """Record a problem in the column of field `name` (its cell's value shown unless given)."""
        column = self.columns.get(name)
        self.report.problems.append(
            Problem(
                self.row,
                column.letter if column else "",
                column.header if column else field_label(self.kind, name),
                message,
                as_text(self.raw(name) if value is None else value)[:200],
            )
        )
        self.failed = True

    def raw(self, name: str) -> Any:
        column = self.columns.get(name)
        if column is None or column.index >= len(self.values):
            return None
        return self.values[column.index]

    def text(self, name: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = as_text(self.raw(name))
        if required and not value:
            self.problem(name, _("This value is required."))
        elif max_length is not None and len(value) > max_length:
            self.problem(
                name, _("The text is too long (at most %(max)s characters).") % {"max": max_length}, value
            )
        return value

    def integer(self, name: str, *, required: bool = False, default: int | None = None) -> int | None:
        value = self.raw(name)
        if value is None or as_text(value) == "":
            if required:
                self.problem(name, _("This value is required."))
            return default
        number = parse_integer(value)
        if number is None or not 1 <= number <= (32767 if name in ("pages", "copies") else 999_999_999):
            self.problem(
                name, _("“%(value)s” is not a whole number of at least 1.") % {"value": as_text(value)}
            )
            return None
        return number

    def date(self, name: str, *, required: bool = False) -> tuple[datetime.date, datetime.time | None] | None:
        value = self.raw(name)
        if value is None or as_text(value) == "":
            if required:
                self.problem(name, _("This value is required."))
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.problem(
                name,
                _("“%(value)s” is not a date; write it as 05/03/2026 or 2026-03-05.")
                % {"value": as_text(value)},
                value,
            )
            return None
        if parsed[0] > self.today:
            self.problem(
                name, _("The date %(date)s is in the future.") % {"date": parsed[0].strftime("%d/%m/%Y")}
            )
            return None
        return parsed

    def type_and_summary(self, symbol: str = "") -> tuple[DocumentType | None, str]:
        type_text = self.text("doc_type")
        summary = self.text("summary")
        combined = self.text("type_and_summary")
        doc_type: DocumentType | None = None
        if type_text:
            doc_type = self.types.find(type_text)
            if doc_type is None:
                self.problem("doc_type", _("Unknown document type “%(value)s”.") % {"value": type_text})
                return None, summary or combined
        if summary:
            if doc_type is None and not symbol:
                found, rest = self.types.split(summary)
                if found and rest:
                    doc_type, summary = found, rest
        elif combined:
            found, rest = self.types.split(combined)
            if found is not None and (doc_type is None or found == doc_type):
                doc_type, summary = found, rest
            else:
                summary = combined
        if not summary:
            self.problem(
                "summary" if "summary" in self.columns else "type_and_summary", _("This value is required.")
            )
        if doc_type is None and symbol:
            doc_type = self.types.find(symbol)
            if doc_type is None:
                self.problem(
                    "reference" if "reference" in self.columns else "number",
                    _("Unknown document type symbol “%(value)s”.") % {"value": symbol},
                )
                return None, summary
        if doc_type is None:
            where = (
                "doc_type"
                if "doc_type" in self.columns
                else ("summary" if "summary" in self.columns else "type_and_summary")
            )
            self.problem(
                where,
                _("Unknown document type: name it in a type column or before the summary (“Công văn: …”)."),
                summary,
            )
        return doc_type, summary

    def marks(self) -> tuple[int, int, str]:
        """Secrecy, urgency and reason for cancelling (from their columns, else from the notes)."""
        secrecy = urgency = None
        reason = ""
        text = self.text("secrecy")
        if text:
            secrecy = self.secrecy_table.get(header_key(text))
            if secrecy is None:
                self.problem(
                    "secrecy",
                    _("Unknown secrecy level “%(value)s”: leave it empty or write Mật, Tối mật or Tuyệt mật.")
                    % {"value": text},
                )
        text = self.text("urgency")
        if text:
            urgency = self.urgency_table.get(header_key(text))
            if urgency is None:
                self.problem(
                    "urgency",
                    _("Unknown urgency “%(value)s”: leave it empty or write Khẩn, Thượng khẩn or Hỏa tốc.")
                    % {"value": text},
                )
        secrecy_from = "secrecy"
        for part in re.split(r"[;\n]", self.text("notes")):
            part = clean(part)
            head, colon, tail = part.partition(":")
            key = header_key(part)
            if colon and header_key(head) in self.cancelled_words:
                reason = clean(tail) or part
            elif not self.text("secrecy") and self.secrecy_table.get(key):
                secrecy, secrecy_from = self.secrecy_table[key], "notes"
            elif not self.text("urgency") and self.urgency_table.get(key):
                urgency = self.urgency_table[key]
        if secrecy and secrecy > self.actor.clearance:
            self.problem(
                secrecy_from,
                _("Your clearance does not allow importing documents of this secrecy level (%(level)s).")
                % {"level": Clearance(secrecy).label},
            )
        return secrecy or Clearance.NONE, urgency or Urgency.NORMAL, reason

    def duplicate(self, key: tuple[Any, ...], existing: bool, name: str, shown: str) -> None:
        if key in self.seen:
            self.problem(
                name,
                _("%(number)s appears twice in the file (also in row %(row)s).")
                % {"number": shown, "row": self.seen[key]},
            )
        elif existing:
            self.problem(name, _("%(number)s is already in the register.") % {"number": shown})
        else:
            self.seen[key] = self.row

    # Rows ---------------------------------------------------------------------------------------

    def check(self, number: int, values: list[Any]) -> None:
        self.row, self.values, self.failed = number, values, False
        fields = self.incoming() if self.kind == INCOMING else self.outgoing()
        if not self.failed:
            self.report.rows.append(ImportRow(number, fields))

    def incoming(self) -> dict[str, Any]:
        number = self.integer("arrival_number", required=True)
        arrival = self.date("arrived_at", required=True)
        sender = self.text("sender_name", required=True, max_length=255)
        reference_text = self.text("sender_reference")
        reference = normalise_reference(reference_text)
        if len(reference) > 100:
            self.problem(
                "sender_reference", _("The text is too long (at most %(max)s characters).") % {"max": 100}
            )
        document_date = self.date("document_date", required=True)
        doc_type, summary = self.type_and_summary()
        secrecy, urgency, reason = self.marks()
        pages = self.integer("pages", default=1)
        copies = self.integer("copies", default=1)
        arrived_at = None
        if arrival is not None:
            day, time = arrival
            arrived_at = timezone.make_aware(datetime.datetime.combine(day, time or datetime.time()))
            if time is not None and arrived_at > timezone.now() + datetime.timedelta(minutes=5):
                self.problem("arrived_at", _("The arrival time is in the future."))
            if document_date is not None and document_date[0] > day:
                self.problem("document_date", _("The document date is after its arrival."))
            if number is not None:
                year = day.year
                if year not in self.existing_incoming:
                    self.existing_incoming[year] = set(
                        IncomingDocument.objects.filter(
                            organisation=self.organisation, arrival_year=year
                        ).values_list("arrival_number", flat=True)
                    )
                self.duplicate(
                    ("in", year, number),
                    number in self.existing_incoming[year],
                    "arrival_number",
                    _("Arrival number %(number)s/%(year)s") % {"number": number, "year": year},
                )
        if self.failed:
            return {}
        assert arrival is not None and arrived_at is not None and document_date is not None
        return {
            "arrival_year": arrival[0].year,
            "arrival_number": number,
            "arrived_at": arrived_at,
            "sender_name": sender,
            "sender_reference": reference,
            "document_date": document_date[0],
            "doc_type": doc_type,
            "summary": summary,
            "secrecy": secrecy,
            "urgency": urgency,
            "pages": pages,
            "copies": copies,
            "status": IncomingStatus.CANCELLED if reason else self.incoming_status,
            "cancelled_reason": reason[:255],
        }

    def sequence(self, doc_type: DocumentType, secrecy: int, day: datetime.date) -> numbering.Sequence | str:
        """The sequence the rule in force on `day` numbered the document in, or why there is none."""
        cache_key = (doc_type.pk, bool(secrecy), day)
        if cache_key not in self.sequences:
            try:
                self.sequences[cache_key] = numbering.outgoing_sequence(
                    self.organisation, doc_type, secrecy, day
                )
            except ValidationError as error:
                self.sequences[cache_key] = " ".join(error.messages)
        return self.sequences[cache_key]

    def outgoing(self) -> dict[str, Any]:
        reference_text = self.text("reference")
        parsed: tuple[int, str, str] | None = None
        if reference_text:
            written = normalise_reference(reference_text).replace("–", "-")
            match = next(filter(None, (pattern.match(written) for pattern in _REFERENCES)), None)
            if match:
                parsed = (int(match.group(1)), match.group(2), match.group(3))
            else:
                self.problem(
                    "reference",
                    _("“%(value)s” is not a number and symbol like 12-NQ/TU or 12/QĐ-TU.")
                    % {"value": reference_text},
                )
        number = self.integer("number")
        if parsed and number is not None and number != parsed[0]:
            self.problem(
                "number",
                _("The number %(number)s differs from the number in %(reference)s.")
                % {"number": number, "reference": reference_text},
            )
        number = number if number is not None else (parsed[0] if parsed else None)
        if number is None and not reference_text and self.raw("number") in (None, ""):
            self.problem("number" if "number" in self.columns else "reference", _("This value is required."))
        issued = self.date("issued_on", required=True)
        doc_type, summary = self.type_and_summary(parsed[1] if parsed else "")
        if parsed and doc_type is not None and header_key(parsed[1]) != header_key(doc_type.symbol):
            self.problem(
                "reference",
                _(
                    "The type symbol “%(symbol)s” in %(reference)s does not match "
                    "the type “%(type)s” (%(own)s)."
                )
                % {
                    "symbol": parsed[1],
                    "reference": reference_text,
                    "type": doc_type.name,
                    "own": doc_type.symbol,
                },
            )
        if parsed and header_key(parsed[2]) != header_key(self.organisation.symbol):
            self.problem(
                "reference",
                _("%(reference)s is numbered by “%(symbol)s”, not by this organisation (%(own)s).")
                % {"reference": reference_text, "symbol": parsed[2], "own": self.organisation.symbol},
            )
        secrecy, urgency, reason = self.marks()
        signer_text = self.text("signer")
        people = self.people.get(fold(signer_text), []) if signer_text else []
        signer = people[0] if len(people) == 1 else None
        if signer is None and len(signer_text) > 100:
            self.problem("signer", _("The text is too long (at most %(max)s characters).") % {"max": 100})
        recipients = [clean(line) for line in re.split(r"[;\n]", self.text("recipients")) if clean(line)]
        copies = self.integer("copies", default=1)
        sequence = None
        if doc_type is not None and issued is not None and number is not None and not self.failed:
            found = self.sequence(doc_type, secrecy, issued[0])
            if isinstance(found, str):
                self.problem("issued_on", found)
            else:
                sequence, key = found, found.key
                if key not in self.existing_outgoing:
                    self.existing_outgoing[key] = {
                        taken
                        for taken in OutgoingDocument.objects.filter(
                            organisation=self.organisation, number_key=key
                        ).values_list("number", flat=True)
                        if taken is not None
                    }
                self.duplicate(
                    ("out", key, number),
                    number in self.existing_outgoing[key],
                    "reference" if "reference" in self.columns else "number",
                    numbering.reference(sequence.scheme, number, doc_type, self.organisation),
                )
        if self.failed:
            return {}
        assert doc_type is not None and number is not None and issued is not None and sequence is not None
        return {
            # The reference is written the way the rule in force on its date writes it, whatever the file.
            **numbering.number_fields(sequence, number, doc_type, self.organisation, issued[0]),
            "doc_type": doc_type,
            "summary": summary,
            "secrecy": secrecy,
            "urgency": urgency,
            "copies": copies,
            "signer": signer,
            "signer_title": "" if signer else signer_text,
            "external_recipients": "\n".join(recipients),
            "status": OutgoingStatus.CANCELLED if reason else OutgoingStatus.ISSUED,
            "cancelled_reason": reason[:255],
        }


def check_file(actor: Actor, kind: str, name: str, data: bytes, *, incoming_status: str = HANDLED) -> Report:
    """The dry run: read and check every row, write nothing. The report lists every problem."""
    require(actor, IMPORT)
    if kind not in KINDS:
        raise ValidationError(_("Choose the register to import."))
    if incoming_status not in (HANDLED, REGISTERED):
        raise ValidationError(_("Choose how imported incoming documents start."))
    report = Report(kind, name, hashlib.sha256(data).hexdigest(), len(data))
    try:
        table = read_table(name, data)
    except FileProblem as problem:
        report.problems.append(Problem(None, "", "", problem.message))
        return report
    checker = _Checker(actor, kind, report, incoming_status)
    position = checker.find_header(table)
    if position is None:
        report.problems.append(
            Problem(
                None,
                "",
                "",
                _(
                    "No header row found: the first rows must name the columns, "
                    "for example “Số đến”, “Ngày đến”, “Nơi gửi”, “Trích yếu”."
                ),
            )
        )
        return report
    missing = checker.missing_columns()
    for field_name in missing:
        report.problems.append(
            Problem(
                report.header_row,
                "",
                field_label(kind, field_name),
                _("The column “%(column)s” is missing.") % {"column": field_label(kind, field_name)},
            )
        )
    if missing:
        return report
    for number, values in table[position + 1 :]:
        if all(value is None or as_text(value) == "" for value in values):
            continue  # empty rows are skipped
        report.row_count += 1
        checker.check(number, values)
    if report.row_count == 0:
        report.problems.append(Problem(None, "", "", _("The file has no rows below the header.")))
    return report
