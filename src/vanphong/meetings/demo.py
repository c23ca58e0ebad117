"""Demo data of this module: called by `vanphong demo` after the documents."""

from __future__ import annotations

from vanphong.core.models import Organisation


def build_demo(province: Organisation, communes: list[Organisation]) -> None:
    """Filled in by this module."""
