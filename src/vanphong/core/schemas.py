"""The base of every API input (query parameters and bodies): `core.bounds` applied to every field.

Every schema a handler takes derives from `Bounded` (filters, paging) or `Input` (bodies, which
also refuse unknown fields); `web/tests/test_api_inputs.py` checks every operation of the API.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Schema
from pydantic import AliasChoices, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from vanphong.core import bounds


def _check(value: Any) -> None:
    if isinstance(value, bool):
        return
    try:
        if isinstance(value, datetime.date):
            bounds.check_date(value)
        elif isinstance(value, int):
            bounds.check_integer(value)
    except ValidationError as error:
        raise PydanticCustomError("out_of_bounds", error.messages[0]) from None


class Bounded(Schema):
    @field_validator("*", mode="before")
    @classmethod
    def _clean_text(cls, value: Any) -> Any:
        return bounds.clean_value(value)

    @field_validator("*", mode="after")
    @classmethod
    def _within_bounds(cls, value: Any) -> Any:
        for item in value if isinstance(value, list | tuple | set) else (value,):
            _check(item)
        return value


class Input(Bounded):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently dropped


def id_of(name: str, default: Any = ...) -> Any:
    """An output field holding a foreign key's id: read as `<name>_id` from the row (`from_orm`), and as
    `<name>` from the schema itself when ninja validates a page's items a second time."""
    return Field(default, validation_alias=AliasChoices(f"{name}_id", name))
