"""The follow-up's background job: the daily urging (`reminders.run`) in a thread `vanphong serve`
starts, registered with core.jobs by `register` (from the app's ready()).

The job is idempotent per day, so a restart, or a second server process, sends nothing twice. The
thread checks once an hour whether the day has changed since its last run. `vanphong followup remind`
runs the same job once, by hand or from cron.
"""

from __future__ import annotations

import datetime
import logging
import threading

from django.db import close_old_connections, connection
from django.utils import timezone

from vanphong.core import jobs
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


def register() -> None:
    jobs.register("followup.reminders", start_reminder_thread)
