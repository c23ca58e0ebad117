""" "My work": what waits for the actor today, gathered from every app for the home page.

Each app says what waits for an actor in its `worklist.py` (`waiting_for(actor, today)`), from
querysets already narrowed by what the actor may see (`core.access.visible`), so the list never names
what the actor may not read. The home page (web) gathers them: overdue first, then by deadline, urgent
before the rest, work without a deadline last.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from vanphong.core.access import Actor
from vanphong.core.deadlines import DeadlineState


@dataclass(frozen=True)
class WorkItem:
    kind: str  # what it is: "Văn bản đến", "Nhiệm vụ"...
    title: str  # which one: its number and summary, as its own page shows it to this actor
    action: str  # what the actor is to do: "Phân phối", "Duyệt"...
    url: str
    due: datetime.date | None = None
    urgent: bool = False  # marked urgent (khẩn, thượng khẩn, hỏa tốc)

    def state(self, today: datetime.date, soon: datetime.date) -> str:
        if self.due is None:
            return DeadlineState.NONE
        if self.due < today:
            return DeadlineState.OVERDUE
        return DeadlineState.DUE_SOON if self.due <= soon else DeadlineState.ON_TIME


Source = Callable[[Actor, datetime.date], Iterable[WorkItem]]


def gather(actor: Actor, today: datetime.date, sources: Iterable[Source]) -> list[WorkItem]:
    """Every source's items for the actor, in the order of urgency and deadline."""
    items = [item for source in sources for item in source(actor, today)]
    return sorted(items, key=lambda item: (item.due is None, item.due or today, not item.urgent))
