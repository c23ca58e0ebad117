from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from vanphong.core import bounds
from vanphong.core.tenancy import actor_of
from vanphong.search import services
from vanphong.search.query import QueryError, refine

PER_PAGE = 20
SUGGESTIONS = 5


def _page(request: HttpRequest) -> int:
    return bounds.int_param(request.GET.get("page"), 1, low=1, high=1000)


def _facet_links(text: str, order: str, results: services.Results) -> list[dict[str, Any]]:
    """Each facet value with the address that narrows the search to it (or, once chosen, widens it
    again)."""
    return [
        {
            "label": facet.label,
            "values": [
                {
                    "value": value,
                    "href": "?"
                    + urlencode(
                        {
                            "q": refine(text, facet.name, None if value.selected else value.value),
                            "sort": order,
                        }
                    ),
                }
                for value in facet.values
            ],
        }
        for facet in results.facets
    ]


def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    order = request.GET.get("sort", services.RELEVANCE)
    if order not in services.ORDERS:
        order = services.RELEVANCE
    error = ""
    results = None
    if text:
        try:
            results = services.search(
                actor_of(request), text, page=_page(request), per_page=PER_PAGE, order=order
            )
        except QueryError as exc:
            error = str(exc)
    context = {
        "q": text,
        "results": results,
        "error": error,
        "order": order,
        "orders": [(services.RELEVANCE, _("Most relevant")), (services.NEWEST, _("Newest first"))],
        "facets": _facet_links(text, order, results) if results else [],
    }
    return render(request, "search/results.html", context)


def suggest(request: HttpRequest) -> HttpResponse:
    """The first results as one types in the top bar's box (HTMX), with a link to all of them."""
    text = request.GET.get("q", "").strip()
    results = None
    if text:
        try:
            results = services.search(actor_of(request), text, per_page=SUGGESTIONS, with_facets=False)
        except QueryError:
            results = None
    return render(request, "search/suggest.html", {"q": text, "results": results})
