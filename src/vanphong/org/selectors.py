"""Reads of the organisation structure, already narrowed to what the actor may see."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from vanphong.core.access import Actor, visible
from vanphong.core.bounds import query_words
from vanphong.core.text import fold
from vanphong.org.models import (
    BODY_ROLE_ORDER,
    Body,
    BodyMembership,
    Person,
    Position,
    PositionHolding,
    Term,
    Unit,
)


def user_units(actor: Actor) -> QuerySet[Person, Any]:
    """Units the actor works in, through their person record in the organisation (a subquery)."""
    return Person.objects.filter(organisation=actor.organisation, user=actor.user, unit__isnull=False).values(
        "unit"
    )


def today() -> datetime.date:
    return timezone.localdate()


def current_term(actor: Actor, on: datetime.date | None = None) -> Term | None:
    on = on or today()
    return (
        visible(actor, Term)
        .filter(start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .first()
    )


def current_members(body: Body, on: datetime.date | None = None) -> list[BodyMembership]:
    """Members of a body on a day, the secretary first, then deputies, then members by name."""
    on = on or today()
    rows = (
        body.memberships.filter(start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("person", "person__unit")
    )
    return sorted(rows, key=lambda m: (BODY_ROLE_ORDER[m.role], m.person.sort_key))


def bodies_of_term(actor: Actor, term: Term) -> QuerySet[Body]:
    return visible(actor, Body).filter(term=term).order_by("kind")


def people_directory(
    actor: Actor, query: str = "", unit: Unit | None = None, active_only: bool = True
) -> QuerySet[Person]:
    """The people directory in Vietnamese order (given name, family name, middle names)."""
    people = visible(actor, Person).select_related("unit")
    if active_only:
        people = people.filter(is_active=True)
    if unit is not None:
        people = people.filter(unit=unit)
    for word in query_words(fold(query)):
        people = people.filter(search_name__contains=word)
    return people.order_by("sort_key", "id")


def position_history(actor: Actor, position: Position) -> QuerySet[PositionHolding]:
    return (
        visible(actor, PositionHolding)
        .filter(position=position)
        .select_related("person")
        .order_by("start_date", "id")
    )


def positions_with_holders(actor: Actor, on: datetime.date | None = None) -> QuerySet[Position]:
    on = on or today()
    current = (
        PositionHolding.objects.filter(start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("person")
    )
    return (
        visible(actor, Position)
        .select_related("unit")
        .prefetch_related(Prefetch("holdings", queryset=current, to_attr="current_holdings"))
    )
