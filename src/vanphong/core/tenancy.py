"""Which organisation a request acts in.

A user may belong to several organisations (a provincial office clerk who also serves a commune,
say); they act in one at a time, chosen with the organisation switcher and kept in the session.
`request.actor` carries the organisation, roles and clearance that every view and selector uses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from vanphong.core.access import ANONYMOUS, Actor

V = TypeVar("V", bound=Callable[..., Any])
SESSION_KEY = "vanphong_organisation_id"


def actor_of(request: HttpRequest) -> Actor:
    """The actor of a request: the signed-in member (pages) or the token's member (API)."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


def actor_for(request: HttpRequest) -> Actor:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    memberships = list(
        user.memberships.filter(is_active=True, organisation__isnull=False)
        .select_related("organisation", "user")
        .order_by("id")  # without a choice, the user's first (home) organisation
    )
    if not memberships:
        return Actor(user=user, organisation=None)
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if membership.organisation_id == chosen:
            return Actor.for_membership(membership)
    return Actor.for_membership(memberships[0])


def choose_organisation(request: HttpRequest, organisation_id: int) -> bool:
    """Switch the session to another organisation the user is an active member of."""
    user = request.user
    if not user.is_authenticated:
        return False
    if not user.memberships.filter(is_active=True, organisation_id=organisation_id).exists():
        return False
    request.session[SESSION_KEY] = organisation_id
    return True


def allows_no_organisation(view: V) -> V:
    """Mark a view that a signed-in user without an organisation may still use."""
    view.allows_no_organisation = True  # type: ignore[attr-defined]
    return view


class CurrentOrganisationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = SimpleLazyObject(lambda: actor_for(request))  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: object,
        view_kwargs: object,
    ) -> HttpResponse | None:
        """A signed-in user with no active membership may only sign out (or use the admin, if a superuser)."""
        if not getattr(view_func, "login_required", True) or not request.user.is_authenticated:
            return None
        if request.actor.organisation is not None:  # type: ignore[attr-defined]
            return None
        if request.path.startswith("/admin/") or getattr(view_func, "allows_no_organisation", False):
            return None
        return render(request, "web/no_organisation.html", status=403)
