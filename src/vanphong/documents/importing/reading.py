"""Reading a register's file: XLSX or CSV, the text of its cells converted from the legacy
TCVN3 and VNI encodings and from Windows code pages."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
import zipfile
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from vanphong.core.text import clean, detect_legacy_encoding, fold, legacy_to_unicode
from vanphong.documents.importing.reports import FileProblem

HEADER_SEARCH_ROWS = 30  # title rows above the header (our exports have three)
MAX_ROWS = 100_000
MAX_COLUMNS = 200


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
