"""The bounds every input is held to, whatever the page or API it arrives through.

One module so that a form, an API schema, a query string and an import apply the same rules:

- **dates** lie between 1900 and 2100: a Party office's records start after 1930 and plans end
  long before 2100; anything outside is a typing slip (`0001-01-01`, `9999-12-31`) and would
  overflow the time-zone arithmetic;
- **integers** fit the smallest integer column they may reach (PostgreSQL's `integer`), and ids
  fit `bigint`;
- **text** holds no control characters (other than tab and line breaks) and no lone surrogates,
  which the databases, XLSX and DOCX writers refuse;
- **queries** have at most `MAX_QUERY_WORDS` words, so a pasted page cannot build an expression
  the database refuses.

`core.forms` applies these to every field of every form, `core.schemas` to every API schema,
`core.middleware.InputCleaningMiddleware` cleans every query string and form post.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vanphong.core.text import CONTROLS_RE

MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)
# PostgreSQL `integer` (SQLite's integers are wider); ids are `bigint`.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
ID_MAX = 2**63 - 1
MAX_QUERY_WORDS = 32

_LINE_BREAKS = re.compile("[\t\r\n]+")


def clean_text(value: str, multiline: bool = True) -> str:
    """The text without control characters and lone surrogates; on one line unless `multiline`."""
    value = CONTROLS_RE.sub("", value)
    if not multiline:
        value = _LINE_BREAKS.sub(" ", value)
    return value


def clean_value(value: Any) -> Any:
    """`clean_text` applied to every string inside lists and dicts (JSON bodies)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    if isinstance(value, dict):
        return {clean_value(key): clean_value(item) for key, item in value.items()}
    return value


def date_error() -> str:
    return _("Enter a date between %(first)s and %(last)s.") % {
        "first": MIN_DATE.strftime("%d/%m/%Y"),
        "last": MAX_DATE.strftime("%d/%m/%Y"),
    }


def check_date(value: datetime.date | datetime.datetime | None) -> None:
    """ValidationError for a date (or the day of a date and time) outside the window."""
    if value is None:
        return
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValidationError(date_error(), code="date_out_of_range")


def integer_error(low: int = INT_MIN, high: int = INT_MAX) -> str:
    return _("Enter a whole number between %(low)s and %(high)s.") % {"low": low, "high": high}


def check_integer(value: int | None, low: int = INT_MIN, high: int = INT_MAX) -> None:
    if value is not None and not low <= value <= high:
        raise ValidationError(integer_error(low, high), code="integer_out_of_range")


def is_id(value: Any) -> bool:
    """Whether `value` can be a primary key (a positive `bigint`), so a lookup cannot overflow."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return False
    return 0 < number <= ID_MAX


def query_words(text: str) -> list[str]:
    """The words of a text filter, at most MAX_QUERY_WORDS of them (the rest are ignored)."""
    return clean_text(text, multiline=False).split()[:MAX_QUERY_WORDS]


# -- query-string parameters read by views directly (forms and schemas bound the others) ------------


def day_param(value: str | None, default: datetime.date) -> datetime.date:
    """An ISO date from a query string; `default` when it is missing, malformed or out of bounds."""
    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError:
        return default
    return day if MIN_DATE <= day <= MAX_DATE else default


def int_param(value: str | None, default: int, low: int = INT_MIN, high: int = INT_MAX) -> int:
    """An integer from a query string; `default` when it is missing or malformed; held within bounds."""
    try:
        number = int(value or "")
    except ValueError:
        return default
    return min(max(number, low), high)
