"""`vanphong audit verify`: recompute every audit hash chain and report tampering."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vanphong.core import audit
from vanphong.core.models import AuditChain


class Command(BaseCommand):
    help = "Audit log tools. 'verify' checks the hash chains; exit status 1 if any was changed."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Check every chain (or one organisation's).")
        verify.add_argument("--organisation", help="Code of one organisation to check.")

    def handle(self, *args: Any, **options: Any) -> None:
        chains = None
        if options.get("organisation"):
            chains = list(AuditChain.objects.filter(organisation__code=options["organisation"]))
            if not chains:
                raise CommandError(f"No audit chain for organisation {options['organisation']!r}.")
        checked, problems = audit.verify(chains)
        for problem in problems:
            self.stderr.write(f"{problem.chain} event {problem.seq}: {problem.problem}")
        if problems:
            raise CommandError(
                f"Audit log verification FAILED: {len(problems)} problem(s) in {checked} events."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {checked} events verified."))
