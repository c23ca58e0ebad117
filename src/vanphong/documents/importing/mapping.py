"""The columns of the registers that can be imported: the fields, the names their headers go by
(in Vietnamese and English, folded), and the columns of our own XLSX exports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy

from vanphong.core.spreadsheets import Register
from vanphong.core.text import fold
from vanphong.documents import registers
from vanphong.documents.models import (
    IncomingStatus,
)

INCOMING = "incoming"
OUTGOING = "outgoing"
KINDS = {INCOMING: gettext_lazy("Incoming register"), OUTGOING: gettext_lazy("Outgoing register")}

# How imported incoming documents start: already dealt with on paper, or still to be routed.
HANDLED = IncomingStatus.HANDLED
REGISTERED = IncomingStatus.REGISTERED

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
