"""`vanphong serve`: apply migrations and serve Vanphong with Waitress (a production WSGI server
that also runs on the Windows laptops some offices use)."""

from __future__ import annotations

import os
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from vanphong.core import jobs


class Command(BaseCommand):
    help = "Migrate the database and serve Vanphong over HTTP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("VANPHONG_THREADS", "8")))
        parser.add_argument(
            "--no-migrate", action="store_true", help="Do not apply pending migrations first."
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not run the background work (OCR of scans, daily follow-up reminders) in this process.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from vanphong.wsgi import application

        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            f"Vanphong is running at http://{options['host']}:{options['port']}/ (Ctrl+C to stop)"
        )
        stop = threading.Event()
        threads = [] if options["no_worker"] else jobs.start_all(stop)
        try:
            serve(
                application,
                host=options["host"],
                port=options["port"],
                threads=options["threads"],
                ident="Vanphong",
            )
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=10)
