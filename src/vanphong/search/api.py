"""`GET /api/v1/search?q=…`: the same search as the page, within what the token's user may see."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from vanphong.core.access import Actor
from vanphong.core.schemas import Bounded
from vanphong.core.tenancy import actor_of
from vanphong.search import services
from vanphong.search.engine import Result, Results
from vanphong.search.query import QueryError

router = Router(tags=["search"])


class SearchParams(Bounded):
    q: str
    page: int = Field(1, ge=1, le=1000)
    per_page: int = 20
    # relevance: the most relevant of the newest 500 matches first, then the others newest first;
    # newest: newest first.
    sort: Literal["relevance", "newest"] = "relevance"


class SearchHit(Schema):
    kind: str
    kind_label: str
    id: int
    title: str
    snippet: str
    place: str
    place_url: str
    url: str
    date: datetime.date | None
    secrecy: int
    score: float

    @staticmethod
    def resolve_id(result: Result) -> int:
        return result.object_id


class FacetValueOut(Schema):
    value: str  # add `name:value` to the query (e.g. loai:NQ) to narrow the search to it
    label: str
    count: int | None  # None when the total is estimated
    selected: bool


class FacetOut(Schema):
    name: str  # kind, type, year or secrecy
    label: str
    values: list[FacetValueOut]


class SearchPage(Schema):
    query: str
    count: int
    # True beyond 1,000 matches: `count` is then an estimate (two significant digits).
    count_estimated: bool
    page: int
    pages: int
    results: list[SearchHit]
    facets: list[FacetOut]

    @staticmethod
    def resolve_query(results: Results, context: dict[str, Any]) -> str:
        return str(context["text"])  # as typed (Results holds it parsed)

    @staticmethod
    def resolve_count(results: Results) -> int:
        return results.total

    @staticmethod
    def resolve_count_estimated(results: Results) -> bool:
        return results.estimated


@router.get("", response=SearchPage, url_name="search")
def search(request: HttpRequest, params: Query[SearchParams]) -> SearchPage:
    """Words, "phrases", -excluded and filters (loai:NQ nam:2026 …).

    Titles and snippets mark matches with <mark>; everything else in them is HTML-escaped.
    """
    actor: Actor = actor_of(request)
    if not 1 <= params.per_page <= 100:
        raise ValidationError({"per_page": _("Between 1 and 100.")})
    try:
        found = services.search(
            actor, params.q, page=params.page, per_page=params.per_page, order=params.sort
        )
    except QueryError as error:
        raise ValidationError({"q": str(error)}) from error
    return SearchPage.from_orm(found, context={"text": params.q})
