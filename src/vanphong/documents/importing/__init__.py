"""Importing existing registers (incoming or outgoing) from XLSX or CSV files.

An office that starts using Vanphong brings the registers it kept in spreadsheets. The file is read
(title rows above the header are skipped; the header is recognised by column names in Vietnamese or
English, folded, so "Số đến", "So den" and "Arrival number" are one column), every cell is converted
from the old TCVN3/VNI encodings when it is in one, and every row is checked. Every problem is
reported with its row and column, and nothing is written unless the whole file is clean. Then all
rows are written in one transaction keeping their original numbers, one audit event is recorded, and
each number sequence moves past the highest number imported, so later registrations never collide.

Our own XLSX exports (`core.spreadsheets.xlsx_response`) import back: their header names are recognised
in every language of the site, and the secrecy, urgency and cancellation written in their "Notes"
column are read back, so an exported secret document does not come back as an open one.

The package: `mapping` (the columns and their names), `reading` (XLSX and CSV, legacy encodings),
`values` (dates, numbers, labels in cells), `checking` (the dry run), `applying` (the writing),
`reports` (what was found). Its entry points are named here.
"""

from vanphong.documents.importing.applying import import_file, import_rows
from vanphong.documents.importing.checking import check_file
from vanphong.documents.importing.mapping import HANDLED, INCOMING, KINDS, OUTGOING, REGISTERED
from vanphong.documents.importing.reports import Report

__all__ = [
    "HANDLED",
    "INCOMING",
    "KINDS",
    "OUTGOING",
    "REGISTERED",
    "Report",
    "check_file",
    "import_file",
    "import_rows",
]
