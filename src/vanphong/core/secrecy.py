"""The one rule for derived content: what is made from other objects is as secret as the most
secret of them.

A letter quoting tasks, a follow-up source made from a meeting's conclusions, an audit entry about a
document, a notification about a task, a search entry: each takes `derived_secrecy(...)` of what it
carries, and is shown only to those cleared for that level (and, where its inputs have a need-to-know
rule of their own, only to those who may read the inputs themselves).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from vanphong.core.models import Clearance


def secrecy_of(obj: Any) -> int:
    """The secrecy of an object (its `secrecy`), of a snapshot (its "secrecy" key), else none."""
    value = obj.get("secrecy") if isinstance(obj, Mapping) else getattr(obj, "secrecy", None)
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else Clearance.NONE


def derived_secrecy(inputs: Iterable[Any]) -> int:
    """The highest secrecy among the inputs (none for no inputs)."""
    return max((secrecy_of(item) for item in inputs if item is not None), default=Clearance.NONE)
