"""`vanphong search reindex` rebuilds the index; `vanphong search check` compares it with the data."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vanphong.core.searchable import KINDS
from vanphong.search import services, tasks


class Command(BaseCommand):
    help = "Search index tools: reindex, check."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reindex = sub.add_parser("reindex", help="Rebuild the index from the data.")
        reindex.add_argument("--kind", action="append", help="Only this kind (incoming, outgoing, ...).")
        reindex.add_argument(
            "--workers",
            type=int,
            help="Processes tokenising text beside the one writing (default: one per CPU; 0: none).",
        )
        sub.add_parser(
            "check", help="Report missing, stale and orphan entries and the index size; exit 1 if any."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "reindex":
            unknown = sorted(set(options.get("kind") or []) - set(KINDS))
            if unknown:
                raise CommandError(f"Unknown kind {', '.join(unknown)}; kinds: {', '.join(sorted(KINDS))}.")
            if options.get("workers") is not None and options["workers"] < 0:
                raise CommandError("--workers must be 0 or more.")
            count = services.reindex(options.get("kind"), workers=options.get("workers"))
            self.stdout.write(self.style.SUCCESS(f"Indexed {count} objects."))
            return
        report = services.check()
        self.stdout.write(f"Entries: {report.entries}; index size: {report.size_bytes / 1_048_576:.1f} MB")
        self.stdout.write(tasks.backlog_line())
        for label, rows in (("missing", report.missing), ("stale", report.stale), ("orphan", report.orphans)):
            for kind, object_id in rows[:50]:
                self.stderr.write(f"{label}: {kind} {object_id}")
            if len(rows) > 50:
                self.stderr.write(f"... and {len(rows) - 50} more {label}")
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(
                "The search index is not consistent with the data: run `vanphong search reindex`."
            )
        self.stdout.write(self.style.SUCCESS("The search index matches the data."))
