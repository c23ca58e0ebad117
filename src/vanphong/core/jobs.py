"""The background work `vanphong serve` runs beside the web server, registered by the apps that own it
(in their AppConfig.ready): OCR of scans (search), the daily urging of tasks (follow-up).

Each job is started in a daemon thread and stops when the server's `stop` event is set.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

Starter = Callable[[threading.Event], threading.Thread]

JOBS: dict[str, Starter] = {}


def register(name: str, start: Starter) -> None:
    JOBS[name] = start


def start_all(stop: threading.Event) -> list[threading.Thread]:
    return [start(stop) for start in JOBS.values()]
