"""The JSON API at /api/v1/ (django-ninja).

Clients authenticate with an API token (`Authorization: Bearer vp_…`, see `accounts.tokens`); the
session cookie of the web interface is not accepted, so the views are exempt from CSRF (Ninja makes
them so) and from the sign-in redirect of `LoginRequiredMiddleware` (this module marks them).
Handlers take the actor with `core.tenancy.actor_of(request)`, read through `core.access` and write
through services.

Errors: a Django `ValidationError` (and a request that does not match the schema) → 422
`{"errors": {field: [messages]}}`, with `__all__` for errors of no one field; `PermissionDenied` →
403; `Http404` → 404 with a generic message, whatever the object was; a missing or bad token → 401.

No interactive documentation page: Swagger UI loads from a CDN and offices run on closed networks.
The OpenAPI schema is served at /api/v1/openapi.json.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer

from vanphong.accounts.tokens import actor_for_token
from vanphong.core.access import Actor


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>` with a key made by `vanphong token create`."""

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        actor = actor_for_token(token)
        if actor is not None:
            # What the session middleware guessed from a cookie does not count here.
            request.actor = actor  # type: ignore[attr-defined]
        return actor


class Utf8JSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Vietnamese text as itself, not \u escapes


class VanphongAPI(NinjaAPI):
    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                # Token authentication, not the session: no redirect to the sign-in page.
                login_not_required(pattern.callback)
        return urls


api = VanphongAPI(
    title="Vanphong API",
    version="1",
    description="Documents of the Party committee office. Authenticate with `Authorization: Bearer <key>`.",
    urls_namespace="api",
    docs_url=None,
    auth=TokenAuth(),
    renderer=Utf8JSONRenderer(),
)


def _errors(request: HttpRequest, errors: dict[str, list[str]]) -> HttpResponse:
    return api.create_response(request, {"errors": errors}, status=422)


def django_validation_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            field: [str(message) for message in messages] for field, messages in error.message_dict.items()
        }
    return {NON_FIELD_ERRORS: [str(message) for message in error.messages]}


@api.exception_handler(DjangoValidationError)
def on_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return _errors(request, django_validation_errors(exc))


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    """("body", "payload", "summary") → "summary"; ("query", "limit") → "limit"."""
    parts = list(loc)
    source, rest = (parts[0], parts[1:]) if parts else ("", [])
    if source == "body" and rest:
        rest = rest[1:]  # the handler's parameter name
    return ".".join(str(part) for part in rest) or NON_FIELD_ERRORS


@api.exception_handler(SchemaValidationError)
def on_schema_error(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_name(error.get("loc", ())), []).append(str(error.get("msg", "")))
    return _errors(request, errors)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc) or _("You do not have permission to do this.")}, status=403
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Never the exception's text: a forbidden object and a missing one look the same.
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, {"detail": _("Give a valid API token: Authorization: Bearer <key>.")}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="vanphong"'
    return response


api.add_router("/documents/", "vanphong.documents.api.router")
api.add_router("/search", "vanphong.search.api.router")
api.add_router("/petitions/", "vanphong.petitions.api.router")
api.add_router("/meetings/", "vanphong.meetings.api.router")
api.add_router("/followup/", "vanphong.followup.api.router")
