"""Running a query: within what the user may see, the newest WINDOW matches (counted; beyond, the
total is estimated), the newest RANKED of them ranked (search.ranking), a page of results with their
snippets, and the facets (search.facets)."""

from __future__ import annotations

import datetime
import json
import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from vanphong.core.access import Actor
from vanphong.core.models import Clearance
from vanphong.core.searchable import ALL, KINDS, Access, kind_label, secrecy_token
from vanphong.search.backends import backend
from vanphong.search.backends.base import Selection, simplify
from vanphong.search.facets import Facet, facets
from vanphong.search.index_tokens import date_cover, filter_scope, kind_token, org_kind_token, status_token
from vanphong.search.query import Filters, Query, QueryError, Term, parse
from vanphong.search.ranking import rank
from vanphong.search.text import folded_words, highlight

# The newest WINDOW matches are counted (beyond, the total is estimated) and the newest RANKED of them
# ranked (BM25 in Python, exact-diacritic matches weighted EXACT_WEIGHT times); the others follow
# newest first.
WINDOW = 1000
RANKED = 500
RELEVANCE, NEWEST = "relevance", "newest"
ORDERS = (RELEVANCE, NEWEST)
PROBE = 200  # matches sampled to estimate how many entries hold a word (its IDF)


def access_for(actor: Actor) -> Access | None:
    """The tokens the actor holds, over every searchable kind; None when they may see nothing.
    Kinds with the same access rule share one branch: (org+incoming OR org+outgoing) AND rule."""
    if not actor.is_member or actor.organisation is None:
        return None
    by_rule: dict[str, tuple[Access, list[Access]]] = {}
    for kind in KINDS.values():
        expression = kind.access(actor)
        if expression is not None:
            scope = org_kind_token(actor.organisation.pk, kind.name)
            by_rule.setdefault(repr(expression), (expression, []))[1].append(scope)
    if not by_rule:
        return None
    parts: list[Access] = []
    for expression, kinds in by_rule.values():
        parts.append(("and", [("or", kinds), expression]))
    combined: Access = ("or", parts)
    return combined


def _scope_filter(filters: Filters) -> tuple[str, int | None]:
    """The type and year that narrow the organisation+kind tokens (index_tokens.filter_scope); a year
    given with a date range is left to the date tokens."""
    return filters.doc_type, (filters.year if not (filters.date_from or filters.date_to) else None)


def _narrow(expression: Access, scopes: set[str], doc_type: str, year: int | None) -> Access:
    """`expression` with its organisation+kind tokens narrowed to `doc_type` and `year`."""
    if isinstance(expression, str):
        return filter_scope(expression, doc_type, year) if expression in scopes else expression
    operator, parts = expression
    return (operator, [_narrow(part, scopes, doc_type, year) for part in parts])


def filter_access(filters: Filters) -> Access | None:
    """The structured filters as index tokens, except the type and year that narrow the scope
    tokens of the access expression (find); None when they exclude everything (an empty range)."""
    parts: list[Access] = []
    scope_year = _scope_filter(filters)[1]
    if filters.kind:
        parts.append(kind_token(filters.kind))
    if filters.status:
        parts.append(status_token(filters.status))
    if filters.secrecy is not None:
        parts.append(secrecy_token(filters.secrecy))
    if (filters.year and not scope_year) or filters.date_from or filters.date_to:
        low, high = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
        if filters.year:
            low, high = datetime.date(filters.year, 1, 1), datetime.date(filters.year, 12, 31)
        low = max(low, filters.date_from or low)
        high = min(high, filters.date_to or high)
        if low > high:
            return None
        parts.append(("or", list(date_cover(low, high))))
    return ("and", parts) if parts else ALL


@dataclass(frozen=True)
class Result:
    kind: str
    object_id: int
    title: str
    url: str
    snippet: SafeString
    place: str
    place_url: str
    date: Any
    secrecy: int
    score: float

    @property
    def secrecy_label(self) -> str:
        return str(Clearance(self.secrecy).label)

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


@dataclass(frozen=True)
class Results:
    query: Query
    total: int
    results: list[Result]
    page: int
    per_page: int
    # More than WINDOW matches: `total` is an estimate (shown as "about N"), rounded to two digits.
    estimated: bool = False
    facets: list[Facet] = field(default_factory=list)

    @property
    def ranked(self) -> int:
        return RANKED

    @property
    def counted(self) -> int:
        return WINDOW

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def place_label(segment: dict[str, Any]) -> str:
    if segment.get("file"):
        if segment.get("page"):
            return _("%(file)s, page %(page)s") % {"file": segment["file"], "page": segment["page"]}
        return str(segment["file"])
    return _(segment["label"]) if segment.get("label") else ""


def _result(row: tuple[Any, ...], score: float, query: Query) -> Result:
    _id, kind, object_id, title, body, date, secrecy = row
    stored = json.loads(body or "{}")
    words = query.words
    title, _found = highlight(title, words, radius=40)
    snippet, place, place_url = SafeString(""), "", stored.get("url", "")
    for segment in stored.get("segments", []):
        text, found = highlight(segment["text"], words)
        if found:
            snippet, place, place_url = text, place_label(segment), segment["url"]
            break
    else:
        segments = stored.get("segments", [])
        if segments:
            snippet, _found = highlight(segments[0]["text"], words)
    return Result(
        kind=kind,
        object_id=object_id,
        title=title,
        url=stored.get("url", ""),
        snippet=snippet,
        place=place,
        place_url=place_url,
        date=date,
        secrecy=secrecy,
        score=score,
    )


def _round(value: float) -> int:
    digits = len(str(int(value)))
    return int(round(value, 2 - digits)) if digits > 2 else int(value)


def estimate(found: int, oldest: int, span: tuple[int, int]) -> int:
    """How many ids of `span` (first, last) match, from the density of the `found` matches between
    `oldest` and the last id."""
    first, last = span
    return _round(found + found / (last - oldest + 1) * (oldest - first))


def _idf(term: Term, span: tuple[int, int]) -> float:
    """BM25's IDF of a word or phrase over all entries; the count of entries holding it is estimated
    from its newest PROBE matches (an inverted index cannot count a common word quickly)."""
    found = backend().newest(([term], [], ALL, ""), PROBE)
    low, high = span
    size = high - low + 1
    holding = len(found) if len(found) < PROBE else min(size, estimate(len(found), found[-1], span))
    return math.log(1 + (size - holding + 0.5) / (holding + 0.5))


def idfs(query: Query, span: tuple[int, int]) -> list[float]:
    """The IDF of each term of the query (one term: 1, it weighs nothing against another)."""
    terms = query.include
    return [_idf(term, span) for term in terms] if len(terms) > 1 else [1.0]


@dataclass(frozen=True)
class Found:
    hits: list[tuple[int, float]]  # (entry id, score) of the page
    total: int
    estimated: bool
    window: list[int]  # ids of the newest WINDOW matches, newest first


def find(actor: Actor, query: Query, page: int, per_page: int, order: str = RELEVANCE) -> Found:
    """The entry ids of one page of results and the total, within what the actor may see.

    Order: by relevance, the newest RANKED matches by score, then older matches newest first; newest
    first (ORDERS). Every page is one slice of one order. Up to WINDOW matches the total is exact,
    beyond it estimated."""
    if order not in ORDERS:
        raise QueryError(_("Unknown order “%(value)s”.") % {"value": order})
    access = access_for(actor)
    doc_type, year = _scope_filter(query.filters)
    if access is not None and (doc_type or year):
        assert actor.organisation is not None  # access_for gives None otherwise
        scopes = {org_kind_token(actor.organisation.pk, name) for name in KINDS}
        access = _narrow(access, scopes, doc_type, year)
    filters = filter_access(query.filters)
    combined = simplify(("and", [access, filters])) if access is not None and filters is not None else None
    if query.is_empty or combined is None:
        return Found([], 0, False, [])
    sender = " ".join(folded_words(query.filters.sender))
    selection: Selection = (query.include, query.exclude, combined, sender)
    engine = backend()
    window = engine.newest(selection, WINDOW)
    if order == NEWEST:
        ordered = [(entry_id, 0.0) for entry_id in window]
    else:
        ranked = rank(query, window[:RANKED], idfs(query, engine.id_span())) if window else []
        ordered = ranked + [(entry_id, 0.0) for entry_id in window[RANKED:]]
    offset = (page - 1) * per_page
    hits = ordered[offset : offset + per_page]
    if len(window) == WINDOW and offset + per_page > WINDOW:
        skip = max(0, offset - WINDOW)
        older = engine.newest(selection, per_page - len(hits), below=window[-1], offset=skip)
        hits += [(entry_id, 0.0) for entry_id in older]
    if len(window) < WINDOW:
        return Found(hits, len(window), False, window)
    # Matches lie between the oldest one and the newest: a filter on dates keeps them in one stretch.
    first = engine.oldest(selection) or window[-1]
    return Found(hits, estimate(len(window), window[-1], (first, window[0])), True, window)


def search(
    actor: Actor,
    text: str | Query,
    page: int = 1,
    per_page: int = 20,
    order: str = RELEVANCE,
    with_facets: bool = True,
) -> Results:
    """Search within what the actor may see; the access tokens are part of the full-text query,
    so the total, the pages, the snippets and the facets never include anything else."""
    query = parse(text) if isinstance(text, str) else text
    page = max(1, page)
    found = find(actor, query, page, per_page, order)
    rows = backend().result_rows([entry_id for entry_id, _score in found.hits]) if found.hits else {}
    results = [_result(rows[entry_id], score, query) for entry_id, score in found.hits if entry_id in rows]
    return Results(
        query,
        found.total,
        results,
        page,
        per_page,
        found.estimated,
        facets(query, found.window, found.estimated) if with_facets else [],
    )
