"""`vanphong worker`: background work (OCR of scanned attachments) until stopped.

`vanphong serve` runs one such worker in a thread; run this command for more workers or when the
web server is started otherwise. SIGTERM or Ctrl+C stops it cleanly: an OCR run in progress is
stopped and its file goes back to the queue. `--once` processes what is pending and exits.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vanphong.documents import ocr
from vanphong.search import tasks


class Command(BaseCommand):
    help = "Run background work (OCR of scans) until stopped; --once processes what is pending and exits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Process what is pending, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=tasks.IDLE_SECONDS,
            help="Seconds to wait when there is nothing to do (default %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        available, reason = ocr.ocr_status()
        if not available:
            self.stderr.write(f"OCR is unavailable, scans wait: {reason}")
            if options["once"]:
                return
        stop = threading.Event()

        def request_stop(signum: int, frame: Any) -> None:
            stop.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            if not options["once"]:
                self.stdout.write("Worker running (Ctrl+C to stop).")
            handled = tasks.run_worker(stop, interval=options["interval"], once=options["once"])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(f"Files read by OCR or set aside: {handled}.")
