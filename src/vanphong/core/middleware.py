"""Request and response rules for every page and API call: inputs cleaned, answers never cached."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import add_never_cache_headers

from vanphong.core import bounds

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _cleaned(data: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        cleaned.setlist(bounds.clean_text(key), [bounds.clean_text(value) for value in values])
    cleaned._mutable = False
    return cleaned


class InputCleaningMiddleware:
    """`core.bounds.clean_text` on every value of `request.GET` and of a form's `request.POST`.

    JSON bodies are cleaned by the API's schemas (`core.schemas`), uploads' names by `core.files`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = _cleaned(request.GET)  # type: ignore[assignment]
        if request.method == "POST" and request.content_type in FORM_TYPES:
            request.POST = _cleaned(request.POST)  # type: ignore[assignment]
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing the application answers is kept by browsers or proxies: pages, exports and files
    alike may carry secret content (static files are served before this, by WhiteNoise)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
