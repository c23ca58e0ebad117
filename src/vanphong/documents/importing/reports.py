"""What a check or an import of a register found: its problems, row by row, and its rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
