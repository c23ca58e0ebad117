from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vanphong.search import services
from vanphong.search.query import QueryError

PER_PAGE = 20


def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    error = ""
    results = None
    if text:
        try:
            results = services.search(request.actor, text, page=page, per_page=PER_PAGE)  # type: ignore[attr-defined]
        except QueryError as exc:
            error = str(exc)
    return render(request, "search/results.html", {"q": text, "results": results, "error": error})
