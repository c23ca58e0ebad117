"""`vanphong followup remind [--today YYYY-MM-DD]`: the daily urging job (followup.reminders);
`vanphong followup recount`: rebuild the per-month task counts (after a bulk load or a restore)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vanphong.followup import reminders, workflow


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "Follow-up of tasks: remind (the daily urging job), recount."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser(
            "remind",
            help="Send today's reminders (before the deadline, overdue, escalated); safe to run twice a day.",
        )
        remind.add_argument("--today", type=_date, help="Run for this day instead of today (YYYY-MM-DD).")
        remind.add_argument("--no-email", action="store_true", help="Notify in the app only.")
        sub.add_parser("recount", help="Rebuild the per-month task counts the dashboards' roll-up reads.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "recount":
            self.stdout.write(f"{workflow.recount()} count rows written.")
            return
        summary = reminders.run(options.get("today"), send_email=not options["no_email"])
        self.stdout.write(summary.line())
