"""The query language people already know: words, "exact phrases", -excluded words, and filters.

    nghi quyet 12 tinh uy            all words, with or without diacritics
    "ban thường vụ"                  an exact phrase
    Số 12-NQ/TU                      a word with punctuation is a phrase of its parts: 12 nq tu
    chuyển đổi số -"kế hoạch"        exclude a word or phrase
    loai:NQ nam:2026 tu:2026-01-01 den:2026-03-31 noigui:"trung uong" domat:mat trangthai:routed

Filter names work in Vietnamese (with or without diacritics) and English (type, year, from, to,
sender, secrecy, status, kind).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from vanphong.core import bounds
from vanphong.core.models import Clearance
from vanphong.core.text import fold
from vanphong.search.text import exact_words, folded_words, has_diacritics

TOKEN = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"?|(\S+))')

FILTER_NAMES = {
    "type": "type",
    "loai": "type",
    "year": "year",
    "nam": "year",
    "from": "from",
    "tu": "from",
    "tungay": "from",
    "to": "to",
    "den": "to",
    "denngay": "to",
    "sender": "sender",
    "noigui": "sender",
    "secrecy": "secrecy",
    "domat": "secrecy",
    "status": "status",
    "trangthai": "status",
    "kind": "kind",
    "loaitin": "kind",
}
# The name written in a query for each filter (refine): the Vietnamese one, without diacritics.
KEYWORDS = {
    "type": "loai",
    "year": "nam",
    "from": "tu",
    "to": "den",
    "sender": "noigui",
    "secrecy": "domat",
    "status": "trangthai",
    "kind": "loaitin",
}
SECRECY_NAMES = {
    "khong": Clearance.NONE,
    "none": Clearance.NONE,
    "mat": Clearance.MAT,
    "toimat": Clearance.TOI_MAT,
    "tuyetmat": Clearance.TUYET_MAT,
}
SECRECY_KEYWORDS = ["khong", "mat", "toimat", "tuyetmat"]  # by level


class QueryError(ValueError):
    """A query the user must correct; the message is for them."""


@dataclass(frozen=True)
class Term:
    """One word or phrase: its folded words (matched) and exact words (ranked)."""

    folded: tuple[str, ...]
    exact: tuple[str, ...]
    diacritics: bool


@dataclass
class Filters:
    doc_type: str = ""
    year: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sender: str = ""
    secrecy: int | None = None
    status: str = ""
    kind: str = ""


@dataclass
class Query:
    include: list[Term] = field(default_factory=list)
    exclude: list[Term] = field(default_factory=list)
    filters: Filters = field(default_factory=Filters)

    @property
    def is_empty(self) -> bool:
        return not self.include

    @property
    def words(self) -> set[str]:
        """Folded words to highlight."""
        return {word for term in self.include for word in term.folded}

    @property
    def wants_exact(self) -> bool:
        return any(term.diacritics for term in self.include)


def _term(text: str) -> Term | None:
    folded = tuple(folded_words(text))
    if not folded:
        return None
    return Term(folded=folded, exact=tuple(exact_words(text)), diacritics=has_diacritics(text))


def _date(value: str) -> datetime.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            day = datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        if not bounds.MIN_DATE <= day <= bounds.MAX_DATE:
            raise QueryError(bounds.date_error())
        return day
    raise QueryError(_("“%(value)s” is not a date: write 2026-03-05 or 05/03/2026.") % {"value": value})


def _apply_filter(filters: Filters, name: str, value: str) -> None:
    if name == "type":
        filters.doc_type = fold(value)
    elif name == "year":
        if not value.isdigit() or not 1900 <= int(value) <= 2100:
            raise QueryError(_("“%(value)s” is not a year.") % {"value": value})
        filters.year = int(value)
    elif name == "from":
        filters.date_from = _date(value)
    elif name == "to":
        filters.date_to = _date(value)
    elif name == "sender":
        filters.sender = fold(value)
    elif name == "secrecy":
        key = fold(value).replace(" ", "")
        if key not in SECRECY_NAMES:
            raise QueryError(
                _("Unknown secrecy level “%(value)s”: use mat, toimat, tuyetmat or khong.") % {"value": value}
            )
        filters.secrecy = SECRECY_NAMES[key]
    elif name == "status":
        filters.status = value.lower()
    elif name == "kind":
        filters.kind = value.lower()


def parse(text: str) -> Query:
    query = Query()
    for match in TOKEN.finditer(text.strip()):
        negated, key, quoted, bare = match.groups()
        value = quoted if quoted is not None else bare
        if key is not None:
            name = FILTER_NAMES.get(fold(key))
            if name is None:
                # Not a filter (e.g. "10:30"): search for it as text.
                value = f"{key} {value}"
            else:
                if value:
                    _apply_filter(query.filters, name, value)
                continue
        term = _term(value or "")
        if term is None:
            continue
        (query.exclude if negated else query.include).append(term)
    if sum(len(term.folded) for term in (*query.include, *query.exclude)) > bounds.MAX_QUERY_WORDS:
        raise QueryError(
            _("A search takes at most %(count)s words: keep the most telling ones.")
            % {"count": bounds.MAX_QUERY_WORDS}
        )
    return query


def refine(text: str, name: str, value: str | None) -> str:
    """`text` with its `name` filter (FILTER_NAMES' values) set to `value`, or removed when None; the
    rest is kept as written. What a facet link or the removal of a filter asks for."""
    kept = []
    for match in TOKEN.finditer(text.strip()):
        key = match.group(2)
        if key is None or FILTER_NAMES.get(fold(key)) != name:
            kept.append(match.group(0))
    if value is not None:
        kept.append(f'{KEYWORDS[name]}:"{value}"' if " " in value else f"{KEYWORDS[name]}:{value}")
    return " ".join(kept)
