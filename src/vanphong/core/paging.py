"""Paging of the API's list endpoints: the same query parameters and the same page shape everywhere.

A list endpoint takes `Paging` (or filters derived from it) and answers `Page[ItemOut]`, made by
`page_of` from a queryset already narrowed for the actor and how to make the schema of one item from a row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from ninja import Field, Schema

from vanphong.core.schemas import Bounded

Item = TypeVar("Item")


class Paging(Bounded):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


class Page(Schema, Generic[Item]):
    count: int
    limit: int
    offset: int
    items: list[Item]


def page_of(rows: QuerySet[Any], paging: Paging, item: Callable[[Any], Item]) -> Page[Item]:
    """One page of `rows`: the total, the window asked for, and its rows as `item` makes them
    (an output schema's `from_orm`, or a function building it)."""
    window = rows[paging.offset : paging.offset + paging.limit]
    return Page(
        count=rows.count(),
        limit=paging.limit,
        offset=paging.offset,
        items=[item(row) for row in window],
    )
