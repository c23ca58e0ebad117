"""How the matches of a query divide by kind, document type, year and secrecy."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from vanphong.core.models import Clearance
from vanphong.core.searchable import KINDS, kind_label
from vanphong.search.backends import backend
from vanphong.search.query import SECRECY_KEYWORDS, Query


@dataclass(frozen=True)
class FacetValue:
    value: str  # as written after the filter's name in a query: "NQ", "2026", "incoming", "mat"
    label: str
    count: int | None  # None when the total is estimated (the values are those of the newest matches)
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str  # the filter (query.FILTER_NAMES): kind, type, year, secrecy
    label: str
    values: list[FacetValue]


def facets(query: Query, window: list[int], estimated: bool) -> list[Facet]:
    """How the matches divide by kind, document type, year and secrecy: counted over all matches when
    the total is exact, else the values of the newest matches (`window`, engine.WINDOW of them) without
    counts (`estimated`). Made only from matches the user may see (the window), so they reveal nothing
    else. A facet with one value (every match has it) is left out unless it is the filter chosen."""
    if not window:
        return []
    counted: dict[str, Counter[Any]] = {name: Counter() for name in ("kind", "type", "year", "secrecy")}
    typed_kinds = set()
    for kind, doc_type, year_value, secrecy, count in backend().facet_rows(window):
        counted["kind"][kind] += count
        counted["secrecy"][secrecy] += count
        if doc_type:
            counted["type"][doc_type] += count
            typed_kinds.add(kind)
        if year_value:
            counted["year"][year_value] += count
    names: dict[str, tuple[str, str]] = {}  # folded symbol: (symbol, name)
    for loader in {KINDS[kind].type_labels for kind in typed_kinds if kind in KINDS}:
        if loader is not None:  # kinds sharing one table of types share one loader: read once
            names.update(loader())
    chosen = query.filters
    # (filter name, label, [(value, label, count, selected)], sort key)
    made: list[tuple[str, str, list[tuple[str, str, int, bool]], Callable[[Any], Any]]] = [
        (
            "kind",
            _("Kind"),
            [(k, kind_label(k), n, k == chosen.kind) for k, n in counted["kind"].items()],
            lambda value: (-value[2], value[1]),
        ),
        (
            "type",
            _("Document type"),
            [
                (*names.get(t, (t.upper(), t.upper())), n, t == chosen.doc_type)
                for t, n in counted["type"].items()
            ],
            lambda value: (-value[2], value[1]),
        ),
        (
            "year",
            _("Year"),
            [(y, y, n, y == str(chosen.year)) for y, n in counted["year"].items()],
            lambda value: -int(value[0]),
        ),
        (
            "secrecy",
            _("Secrecy"),
            [
                (SECRECY_KEYWORDS[level], str(Clearance(level).label), n, level == chosen.secrecy)
                for level, n in counted["secrecy"].items()
            ],
            lambda value: SECRECY_KEYWORDS.index(value[0]),
        ),
    ]
    return [
        Facet(
            name,
            label,
            [
                FacetValue(value, text, None if estimated else count, selected)
                for value, text, count, selected in sorted(values, key=order)
            ],
        )
        for name, label, values, order in made
        if len(values) > 1 or any(selected for *_rest, selected in values)
    ]
