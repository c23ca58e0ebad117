"""The values in a register's cells: dates as offices write them, numbers, secrecy and urgency
labels, cancellations, document types."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl.utils.datetime import from_excel

from vanphong.core.models import Clearance
from vanphong.core.text import clean, fold
from vanphong.documents.importing.mapping import _languages, header_key
from vanphong.documents.models import (
    DocumentType,
    Urgency,
)

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
