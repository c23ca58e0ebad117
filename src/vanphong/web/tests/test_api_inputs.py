"""Every input of the API is held to `core.bounds`: each schema a handler takes derives from
`core.schemas.Bounded`, and its other parameters are ids (checked by `access_object`) or files."""

from __future__ import annotations

from types import UnionType
from typing import Any, Union, get_args, get_origin

from ninja.files import UploadedFile
from pydantic import BaseModel

from vanphong.api import api
from vanphong.core.schemas import Bounded


def _inputs() -> list[tuple[str, str, Any]]:
    found = []
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for model in operation.signature.models:
                    for name, field in model.model_fields.items():
                        found.append((f"{operation.methods} {prefix}{path}", name, field.annotation))
    return found


def test_every_api_input_is_bounded():
    inputs = _inputs()
    assert len(inputs) > 25
    for operation, name, annotation in inputs:
        if get_origin(annotation) in (Union, UnionType):  # X | None
            (annotation,) = set(get_args(annotation)) - {type(None)}
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            assert issubclass(annotation, Bounded), f"{operation}: {name} is not a core.schemas.Bounded"
        else:
            # Path ids go through access_object, which answers 404 for any id beyond the database's.
            assert (annotation is int and name in {"pk", "task_id"}) or annotation == list[UploadedFile], (
                operation,
                name,
                annotation,
            )
