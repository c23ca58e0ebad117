"""The daily urging job inside `vanphong serve`: a thread that runs `reminders.run` once per day.

The job is idempotent per day, so a restart, or a second server process, sends nothing twice. The
thread checks once an hour whether the day has changed since its last run.
"""

from __future__ import annotations

import datetime
import logging
import threading

from django.db import close_old_connections, connection
from django.utils import timezone

from vanphong.followup import reminders

log = logging.getLogger(__name__)
CHECK_SECONDS = 3600.0


def run_daily(stop: threading.Event, interval: float = CHECK_SECONDS) -> None:
    last: datetime.date | None = None
    try:
        while not stop.is_set():
            today = timezone.localdate()
            if today != last:
                close_old_connections()
                try:
                    log.info("Follow-up reminders: %s", reminders.run(today).line())
                    last = today
                except Exception:
                    log.exception("Follow-up reminders failed; trying again in %s s", interval)
            stop.wait(interval)
    finally:
        connection.close()


def start_reminder_thread(stop: threading.Event) -> threading.Thread:
    thread = threading.Thread(target=run_daily, args=(stop,), name="vanphong-reminders", daemon=True)
    thread.start()
    return thread
