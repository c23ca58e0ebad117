"""Importing existing registers (incoming or outgoing) from XLSX or CSV files.

An office that starts using Vanphong brings the registers it kept in spreadsheets. The file is read
(title rows above the header are skipped; the header is recognised by column names in Vietnamese or
English, folded, so "Số đến", "So den" and "Arrival number" are one column), every cell is converted
from the old TCVN3/VNI encodings when it is in one, and every row is checked. Every problem is
reported with its row and column, and nothing is written unless the whole file is clean. Then all
rows are written in one transaction keeping their original numbers, one audit event is recorded, and
each number sequence moves past the highest number imported, so later registrations never collide.

Our own XLSX exports (`core.spreadsheets.xlsx_response`) import back: their header names are recognised in
every language of the site, and the secrecy, urgency and cancellation written in their "Notes"
column are read back, so an exported secret document does not come back as an open one.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import hashlib
import io
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from vanphong.core import audit
from vanphong.core.access import Actor, require
from vanphong.core.models import Clearance, Organisation
from vanphong.core.signals import bulk_created
from vanphong.core.spreadsheets import Register
from vanphong.core.text import clean, detect_legacy_encoding, fold, legacy_to_unicode
from vanphong.documents import events, numbering, registers
from vanphong.documents.incoming import normalise_reference, search_text
from vanphong.documents.models import (
    DocumentType,
    IncomingDocument,
    IncomingStatus,
    NumberSequence,
    OutgoingDocument,
    OutgoingStatus,
    Urgency,
)
from vanphong.documents.permissions import IMPORT
from vanphong.org.models import Person

INCOMING = "incoming"
OUTGOING = "outgoing"
KINDS = {INCOMING: gettext_lazy("Incoming register"), OUTGOING: gettext_lazy("Outgoing register")}

# How imported incoming documents start: already dealt with on paper, or still to be routed.
HANDLED = IncomingStatus.HANDLED
REGISTERED = IncomingStatus.REGISTERED

HEADER_SEARCH_ROWS = 30  # title rows above the header (our exports have three)
MIN_HEADER_MATCHES = 3
MAX_ROWS = 100_000
MAX_COLUMNS = 200
IGNORED = ""  # a column we recognise and deliberately do not import


# -- columns --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    label: Any
    aliases: str  # header names separated by "|", compared folded (see header_key)


_REFERENCE_NAMES = (
    "Số, ký hiệu | Số và ký hiệu | Số, ký hiệu văn bản | Số hiệu | Ký hiệu | Number and symbol | Reference"
)
_TYPE = Field("doc_type", gettext_lazy("Type"), "Loại | Loại văn bản | Tên loại | Type | Document type")
_SUMMARY = Field(
    "summary", gettext_lazy("Summary"), "Trích yếu | Trích yếu nội dung | Nội dung | Summary | Subject"
)
_TYPE_AND_SUMMARY = Field(
    "type_and_summary",
    gettext_lazy("Type and summary"),
    "Tên loại và trích yếu | Tên loại và trích yếu nội dung | Loại và trích yếu | Type and summary",
)
_SECRECY = Field("secrecy", gettext_lazy("Secrecy"), "Độ mật | Mức độ mật | Mật | Secrecy")
_URGENCY = Field("urgency", gettext_lazy("Urgency"), "Độ khẩn | Mức độ khẩn | Khẩn | Urgency")
_COPIES = Field("copies", gettext_lazy("Copies"), "Số bản | Số lượng bản | Số lượng | Copies")
_NOTES = Field("notes", gettext_lazy("Notes"), "Ghi chú | Notes | Note | Remarks")
_NOT_IMPORTED = "STT | Số thứ tự | Ngày chuyển | Ký nhận | Date passed on | Receipt signature"

# ND 30/2020 appendix IV columns, the names offices use for them, and ours.
INCOMING_FIELDS: tuple[Field, ...] = (
    Field(
        "arrival_number",
        gettext_lazy("Arrival number"),
        "Số đến | Số văn bản đến | Số VB đến | Số thứ tự đến | Arrival number | Arrival no",
    ),
    Field(
        "arrived_at",
        gettext_lazy("Arrival date"),
        "Ngày đến | Ngày giờ đến | Ngày, tháng đến | Thời gian đến | Ngày nhận | Arrival date"
        " | Arrival date and time | Date received",
    ),
    Field(
        "sender_name",
        gettext_lazy("Sender"),
        "Nơi gửi | Nơi gửi đến | Cơ quan gửi | Đơn vị gửi | Cơ quan ban hành | Nơi ban hành | Tác giả"
        " | Sender | From",
    ),
    Field(
        "sender_reference",
        gettext_lazy("Sender's number and symbol"),
        f"{_REFERENCE_NAMES} | Sender's number and symbol",
    ),
    Field(
        "document_date",
        gettext_lazy("Document date"),
        "Ngày văn bản | Ngày, tháng văn bản | Ngày tháng | Ngày ban hành | Ngày ký | Document date",
    ),
    _TYPE,
    _SUMMARY,
    _TYPE_AND_SUMMARY,
    _SECRECY,
    _URGENCY,
    Field("pages", gettext_lazy("Pages"), "Số trang | Số tờ | Pages"),
    _COPIES,
    _NOTES,
    Field(
        IGNORED,
        "",
        f"{_NOT_IMPORTED} | Đơn vị hoặc người nhận | Đơn vị, người nhận | Receiving unit or person",
    ),
)

OUTGOING_FIELDS: tuple[Field, ...] = (
    Field("number", gettext_lazy("Number"), "Số | Số văn bản | Số đi | Number"),
    Field("reference", gettext_lazy("Number and symbol"), _REFERENCE_NAMES),
    Field(
        "issued_on",
        gettext_lazy("Date"),
        "Ngày | Ngày tháng | Ngày văn bản | Ngày, tháng văn bản | Ngày ban hành | Ngày ký | Date",
    ),
    _TYPE,
    _SUMMARY,
    _TYPE_AND_SUMMARY,
    Field("signer", gettext_lazy("Signer"), "Người ký | Người ký văn bản | Signer | Signed by"),
    Field("recipients", gettext_lazy("Recipients"), "Nơi nhận | Nơi nhận văn bản | Recipients | To"),
    _COPIES,
    _SECRECY,
    _URGENCY,
    _NOTES,
    Field(
        IGNORED,
        "",
        f"{_NOT_IMPORTED} | Đơn vị, người nhận bản lưu | Đơn vị lưu | File copy kept by | Date sent",
    ),
)
FIELDS = {INCOMING: INCOMING_FIELDS, OUTGOING: OUTGOING_FIELDS}

# The columns of our own exports (by their English header) and the field each one imports into.
_EXPORT_COLUMNS: dict[str, tuple[Register, dict[str, str]]] = {
    INCOMING: (
        registers.INCOMING,
        {
            "Arrival date": "arrived_at",
            "Arrival number": "arrival_number",
            "Sender": "sender_name",
            "Number and symbol": "sender_reference",
            "Document date": "document_date",
            "Type and summary": "type_and_summary",
            "Notes": "notes",
        },
    ),
    OUTGOING: (
        registers.OUTGOING,
        {
            "Number and symbol": "reference",
            "Date": "issued_on",
            "Type and summary": "type_and_summary",
            "Signer": "signer",
            "Recipients": "recipients",
            "Copies": "copies",
            "Notes": "notes",
        },
    ),
}


def header_key(text: str) -> str:
    """A header as compared: folded, punctuation as spaces ("Số, ký hiệu" -> "so ky hieu")."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _alias_table(kind: str) -> dict[str, str]:
    """Header key -> field name: our aliases first, then our export's headers in every language."""
    table: dict[str, str] = {}
    for spec in FIELDS[kind]:
        for alias in spec.aliases.split("|"):
            table.setdefault(header_key(alias), spec.name)
    register, mapping = _EXPORT_COLUMNS[kind]
    for column in register.columns:
        with translation.override("en"):
            name = mapping.get(str(column.header), IGNORED)
        for language in _languages():
            with translation.override(language):
                table.setdefault(header_key(str(column.header)), name)
    return table


def _match_header(key: str, table: dict[str, str]) -> str | None:
    """The field of a header: an exact alias, else the longest alias of several words inside it."""
    if not key:
        return None
    if key in table:
        return table[key]
    padded = f" {key} "
    best: tuple[int, str] | None = None
    for alias, name in table.items():
        if " " in alias and f" {alias} " in padded and (best is None or len(alias) > best[0]):
            best = (len(alias), name)
    return best[1] if best else None


def field_label(kind: str, name: str) -> str:
    for spec in FIELDS[kind]:
        if spec.name == name:
            return str(spec.label)
    return name


# -- reports --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    row: int | None  # as numbered in the spreadsheet; None for the file as a whole
    column: str  # column letter, "" when the problem is not in one cell
    header: str  # the column's header as written in the file, or the expected column
    message: str
    value: str = ""


@dataclass(frozen=True)
class Column:
    index: int
    letter: str
    header: str
    field: str | None  # None: not recognised; IGNORED: recognised and not imported
    label: str = ""


@dataclass
class ImportRow:
    row: int
    fields: dict[str, Any]


@dataclass
class Report:
    kind: str
    file_name: str
    sha256: str
    size: int
    header_row: int | None = None
    columns: list[Column] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    row_count: int = 0  # rows with data below the header
    imported: int = 0

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems if p.row is not None and p.row != self.header_row})

    @property
    def ok_rows(self) -> int:
        return len(self.rows)

    @property
    def is_clean(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def imported_columns(self) -> list[Column]:
        return [c for c in self.columns if c.field]

    @property
    def skipped_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.field and c.header]


class FileProblem(Exception):
    """The file as a whole cannot be read."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- reading files --------------------------------------------------------------------------------


def _text_cell(text: str) -> str:
    if detect_legacy_encoding(text):
        text = legacy_to_unicode(text)
    return clean(text)


def _cell(value: Any) -> Any:
    """A cell as imported: text converted from TCVN3/VNI when it is in one, and cleaned (NFC)."""
    if value is None:
        return None
    if isinstance(value, str):
        return _text_cell(value) or None
    return value


def _tones_on_vowels(text: str) -> bool:
    """Whether text has combining tone marks and each one follows a vowel, as Windows-1258 writes them."""
    previous = ""
    marks = False
    for char in text:
        if unicodedata.category(char) == "Mn":
            base = fold(previous)
            if len(base) != 1 or base not in "aeiouy":
                return False
            marks = True
        previous = char
    return marks


def _from_windows_bytes(raw: bytes) -> str:
    """A cell of a CSV file that is not UTF-8: Windows-1258 Unicode text, or TCVN3/VNI font bytes.

    The legacy encodings are detected on the bytes as read in Windows-1252 (Latin-1 where TCVN3 and
    VNI live). Windows-1258 writes most tones as combining marks after the vowel; when the bytes read
    that way put every tone on a vowel, they are Windows-1258 even if they also look legacy.
    """
    as_1258 = raw.decode("cp1258", errors="replace")
    as_read = raw.decode("latin-1")
    if detect_legacy_encoding(as_read) and not _tones_on_vowels(as_1258):
        return legacy_to_unicode(as_read)
    return unicodedata.normalize("NFC", as_1258)


def _read_csv(data: bytes) -> list[tuple[int, list[Any]]]:
    windows = False
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # One character per byte, so the CSV structure is kept; each cell is decoded below.
            text, windows = data.decode("latin-1"), True
    sample = text[:65536]
    if "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
            if windows:
                record = [_from_windows_bytes(value.encode("latin-1")) for value in record]
            rows.append((number, [_cell(value) for value in record[:MAX_COLUMNS]]))
            if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise FileProblem(_("The file has more than %(max)s rows; split it.") % {"max": MAX_ROWS})
    except csv.Error as exc:
        raise FileProblem(_("The file cannot be read as CSV: %(error)s") % {"error": exc}) from exc
    return rows


def _read_xlsx(data: bytes) -> list[tuple[int, list[Any]]]:
    unreadable = _("The file cannot be read as an XLSX workbook. Save it again from Excel as .xlsx or .csv.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # Zip bomb guard, as for uploaded documents (core.files).
            if sum(entry.file_size for entry in archive.infolist()) > 10 * settings.MAX_UPLOAD_BYTES:
                raise FileProblem(unreadable)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except FileProblem:
        raise
    except Exception as exc:  # a parser of untrusted bytes fails in many ways
        raise FileProblem(unreadable) from exc
    rows: list[tuple[int, list[Any]]] = []
    try:
        sheet: Any = workbook.active
        if not hasattr(sheet, "iter_rows"):  # a chart sheet
            sheet = workbook.worksheets[0]
        # The stored dimension may claim a million rows and columns; read only the cells there are.
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            rows.append((number, [_cell(value) for value in values[:MAX_COLUMNS]]))
            if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise FileProblem(_("The file has more than %(max)s rows; split it.") % {"max": MAX_ROWS})
    except FileProblem:
        raise
    except Exception as exc:
        raise FileProblem(unreadable) from exc
    finally:
        workbook.close()
    return rows


def read_table(name: str, data: bytes) -> list[tuple[int, list[Any]]]:
    """(row number, cells) of the first sheet of an XLSX file or of a CSV file."""
    if not data:
        raise FileProblem(_("The file is empty."))
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise FileProblem(
            _("The file is larger than %(limit)s MB.") % {"limit": settings.MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(_("Old Excel files (.xls) cannot be read: save the file as .xlsx or .csv first."))
    if name.lower().rsplit(".", 1)[-1] not in ("csv", "txt"):
        raise FileProblem(_("Choose an XLSX or CSV file."))
    return _read_csv(data)


# -- values ---------------------------------------------------------------------------------------

_DMY = re.compile(
    r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?:[\st,]+(\d{1,2})\s*[:h]\s*(\d{2})?(?::(\d{2}))?)?$"
)
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[\st]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$")
_TIME_FIRST = re.compile(r"^(\d{1,2})\s*[:h]\s*(\d{2})?\s*(?:ngay\s*)?(\d{1,2}/\d{1,2}/\d{4})$")
_INTEGER = re.compile(r"^0*(\d{1,9})(?:[.,]0+)?$")
# A number and symbol written by either rule: `12-NQ/TU` (HD 36-HD/VPTW), `12/QĐ-TU` (ND 30/2020);
# groups: number, type symbol, body symbol.
_REFERENCES = (
    re.compile(r"^0*(\d{1,9})-([^/\s]+)/(\S+)$"),
    re.compile(r"^0*(\d{1,9})/([^/\s-]+)-(\S+)$"),
)


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M" if value.time() != datetime.time() else "%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value))


def parse_date(value: Any) -> tuple[datetime.date, datetime.time | None] | None:
    """An Excel date or date-time, or text "05/03/2026", "5/3/2026", "2026-03-05" (with a time or not)."""
    if isinstance(value, datetime.datetime):
        return value.date(), (value.time() if value.time() != datetime.time() else None)
    if isinstance(value, datetime.date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # an Excel serial date in a cell not formatted as a date
            return parse_date(from_excel(value))
        return None
    text = fold(as_text(value)).replace("ngay", "").strip()
    parts: tuple[Any, ...]
    if match := _TIME_FIRST.match(text):
        hour, minute, day_part = match.groups()
        day, month, year = day_part.split("/")
        parts = (year, month, day, hour, minute, None)
    elif match := _DMY.match(text):
        day, month, year, hour, minute, second = match.groups()
        parts = (year, month, day, hour, minute, second)
    elif match := _YMD.match(text):
        parts = match.groups()
    else:
        return None
    year, month, day, hour, minute, second = parts
    try:
        date = datetime.date(int(year), int(month), int(day))
        time = datetime.time(int(hour), int(minute or 0), int(second or 0)) if hour is not None else None
    except ValueError:
        return None
    if date.year < 1900:
        return None
    return date, time


def parse_integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    match = _INTEGER.match(as_text(value).replace(" ", ""))
    return int(match.group(1)) if match else None


def _label_variants(choices: Iterable[tuple[int, Any]]) -> dict[str, int]:
    """Folded labels of choices in every language, with and without the part in brackets."""
    table: dict[str, int] = {}
    for language in _languages():
        with translation.override(language):
            for value, label in choices:
                text = str(label)
                table.setdefault(header_key(text), value)
                outside, _sep, inside = text.partition("(")
                table.setdefault(header_key(outside), value)
                if inside:
                    table.setdefault(header_key(inside), value)
    table.pop("", None)
    return table


def _secrecy_table() -> dict[str, int]:
    table = {"khong": 0, "khong mat": 0, "thuong": 0, "mat": 1, "toi mat": 2, "tuyet mat": 3}
    for key, value in _label_variants(Clearance.choices).items():
        table.setdefault(key, value)
    return table


def _urgency_table() -> dict[str, int]:
    table = {"thuong": 0, "binh thuong": 0, "khong": 0, "khan": 1, "thuong khan": 2, "hoa toc": 3}
    for key, value in _label_variants(Urgency.choices).items():
        table.setdefault(key, value)
    return table


def _cancelled_words() -> set[str]:
    words = {"huy", "da huy", "cancelled"}
    for language in _languages():
        with translation.override(language):
            words.add(header_key(str(gettext_lazy("Cancelled"))))
    return words


class _Types:
    """Document types by folded name, printed title or symbol ("Cong van", "CV", "Công văn")."""

    def __init__(self) -> None:
        types = list(DocumentType.objects.order_by("-is_active", "order", "pk"))
        self.by_symbol = {t.symbol: t for t in types}
        self.by_name: dict[str, DocumentType] = {}
        for t in types:
            self.by_name.setdefault(header_key(t.name), t)
            if t.title:
                self.by_name.setdefault(header_key(t.title), t)
        self.by_key = dict(self.by_name)
        for t in types:
            self.by_key.setdefault(header_key(t.symbol), t)

    def find(self, text: str) -> DocumentType | None:
        text = clean(text)
        return self.by_symbol.get(text) or self.by_key.get(header_key(text))

    def split(self, text: str) -> tuple[DocumentType | None, str]:
        """The type named at the start of a "type and summary" text, and the summary.

        "Công văn: V/v …" and "CV: V/v …" give the summary after the colon; "Công văn V/v …" (a summary
        that starts with the type's name, as our exports write it) is kept whole; "CV V/v …" loses the
        symbol. (None, text) when no type is named.
        """
        head, colon, tail = text.partition(":")
        if colon and (found := self.find(head)):
            return found, clean(tail)
        words = text.split(" ")
        if len(words) > 1 and words[0] in self.by_symbol:
            return self.by_symbol[words[0]], clean(" ".join(words[1:]).lstrip("-–,. "))
        for count in range(min(6, len(words)), 0, -1):
            if found := self.by_name.get(header_key(" ".join(words[:count]))):
                return found, text
        return None, text


# -- checking -------------------------------------------------------------------------------------


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


def import_file(
    actor: Actor,
    kind: str,
    name: str,
    data: bytes,
    *,
    expected_sha256: str = "",
    incoming_status: str = HANDLED,
) -> Report:
    """Check the file again and, when it is clean (and is the file that was checked), import it."""
    report = check_file(actor, kind, name, data, incoming_status=incoming_status)
    if expected_sha256 and expected_sha256 != report.sha256:
        raise ValidationError(
            _(
                "This is not the file that was checked (its SHA-256 is %(sha256)s). "
                "Check the file again before importing it."
            )
            % {"sha256": report.sha256}
        )
    if report.is_clean:
        report.imported = import_rows(actor, kind, report.rows, sha256=report.sha256, file_name=name)
    return report


# -- writing --------------------------------------------------------------------------------------


def _lock_sequences(organisation: Organisation, keys: Iterable[str]) -> dict[str, NumberSequence]:
    sequences = {}
    for key in sorted(keys):  # one order, so two imports cannot deadlock
        NumberSequence.objects.get_or_create(organisation=organisation, key=key)
        sequences[key] = NumberSequence.objects.select_for_update().get(organisation=organisation, key=key)
    return sequences


def import_rows(
    actor: Actor, kind: str, rows: Sequence[ImportRow], *, sha256: str = "", file_name: str = ""
) -> int:
    """Write checked rows in one transaction with their original numbers; move the sequences past them.

    The rows come from `check_file`; permission, clearance and numbers are checked again here, inside
    the transaction and with the sequences locked, so a number taken meanwhile is refused, not repeated.
    """
    require(actor, IMPORT)
    organisation = actor.organisation
    assert organisation is not None
    if kind not in KINDS:
        raise ValidationError(_("Choose the register to import."))
    if not rows:
        raise ValidationError(_("The file has no rows below the header."))
    if any(row.fields["secrecy"] > actor.clearance for row in rows):
        raise PermissionDenied(_("Your clearance does not allow importing documents of this secrecy level."))
    highest: dict[str, int] = {}
    for row in rows:
        if kind == INCOMING:
            key, number = numbering.incoming_key(row.fields["arrival_year"]), row.fields["arrival_number"]
        else:
            key, number = row.fields["number_key"], row.fields["number"]
        highest[key] = max(highest.get(key, 0), number)
    try:
        with transaction.atomic():
            sequences = _lock_sequences(organisation, highest)
            if kind == INCOMING:
                count = _create_incoming(actor, organisation, rows)
            else:
                count = _create_outgoing(actor, organisation, rows)
            for key, number in highest.items():
                sequence = sequences[key]
                if sequence.last_number < number:
                    sequence.last_number = number
                    sequence.save(update_fields=["last_number"])
            audit.record(
                actor,
                events.REGISTER_IMPORTED,
                organisation=organisation,
                after={
                    "kind": kind,
                    "count": count,
                    "sha256": sha256,
                    "file": file_name,
                    "sequences": {key: sequences[key].last_number for key in sorted(sequences)},
                },
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("Some of these numbers were registered meanwhile; check the file again.")
        ) from exc
    return count


def _clashes(numbers: set[Any], taken: Iterable[Any]) -> list[Any]:
    return sorted(numbers.intersection(taken))


def _create_incoming(actor: Actor, organisation: Organisation, rows: Sequence[ImportRow]) -> int:
    wanted = {(row.fields["arrival_year"], row.fields["arrival_number"]) for row in rows}
    taken = IncomingDocument.objects.filter(
        organisation=organisation, arrival_year__in={year for year, _number in wanted}
    ).values_list("arrival_year", "arrival_number")
    if clashes := _clashes(wanted, taken):
        raise ValidationError(
            _("Already in the register: %(numbers)s. Check the file again.")
            % {"numbers": ", ".join(f"{number}/{year}" for year, number in clashes[:20])}
        )
    docs = []
    for row in rows:
        values = row.fields
        docs.append(
            IncomingDocument(
                organisation=organisation,
                registered_by=actor.user,
                search_text=search_text(
                    values["summary"],
                    values["sender_name"],
                    values["sender_reference"],
                    values["doc_type"].name,
                ),
                **values,
            )
        )
    IncomingDocument.objects.bulk_create(docs, batch_size=500)
    bulk_created.send(sender=IncomingDocument, instances=docs)
    return len(docs)


def _create_outgoing(actor: Actor, organisation: Organisation, rows: Sequence[ImportRow]) -> int:
    for row in rows:
        signer, term = row.fields["signer"], row.fields["term"]
        if (signer is not None and signer.organisation_id != organisation.pk) or (
            term is not None and term.organisation_id != organisation.pk
        ):
            raise ValidationError(_("The selected item does not exist."))
    wanted = {(row.fields["number_key"], row.fields["number"]) for row in rows}
    taken = OutgoingDocument.objects.filter(
        organisation=organisation, number_key__in={key for key, _number in wanted}, number__isnull=False
    ).values_list("number_key", "number")
    if clashes := _clashes(wanted, taken):
        by_key = {(row.fields["number_key"], row.fields["number"]): row.fields["reference"] for row in rows}
        raise ValidationError(
            _("Already in the register: %(numbers)s. Check the file again.")
            % {"numbers": ", ".join(by_key[clash] for clash in clashes[:20])}
        )
    docs = []
    for row in rows:
        values = row.fields
        docs.append(
            OutgoingDocument(
                organisation=organisation,
                created_by=actor.user,
                search_text=search_text(values["summary"], values["doc_type"].name),
                **values,
            )
        )
    OutgoingDocument.objects.bulk_create(docs, batch_size=500)
    bulk_created.send(sender=OutgoingDocument, instances=docs)
    return len(docs)
