"""Paging of the API's list endpoints: the same query parameters and the same page shape everywhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from ninja import Field

from vanphong.core.schemas import Bounded


class Paging(Bounded):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


def page_of(rows: QuerySet[Any], paging: Paging, item: Callable[[Any], Any]) -> dict[str, Any]:
    """One page of `rows`: the total, the window asked for and its items made by `item`."""
    window = rows[paging.offset : paging.offset + paging.limit]
    return {
        "count": rows.count(),
        "limit": paging.limit,
        "offset": paging.offset,
        "items": list(map(item, window)),
    }
