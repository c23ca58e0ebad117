"""`vanphong demo`: migrate, load the demo province once, print the demo logins.

The demo goes only into a database without organisations (never into a deployment's data), in one
transaction: a load that fails leaves nothing, and the next run starts afresh."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from vanphong.accounts.models import User
from vanphong.core.models import Organisation
from vanphong.web.demo import DEMO_PASSWORD, demo_exists, load_demo


class Command(BaseCommand):
    help = "Create the database if needed and load the fictional demo province (kept if already there)."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if demo_exists():
            self.stdout.write("Demo data already present: kept as it is.")
        elif Organisation.objects.exists():
            raise CommandError(
                "This database holds other organisations: the demo loads only into an empty one."
            )
        else:
            load_demo()
            self.stdout.write(self.style.SUCCESS("Loaded the demo province Tỉnh ủy Ngọc Sơn."))
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        users = User.objects.prefetch_related("memberships__organisation").order_by("date_joined", "id")
        for user in users:
            for membership in user.memberships.all():
                roles = ", ".join(str(label) for label in membership.role_labels())
                self.stdout.write(
                    f"  {user.username:<14} {membership.organisation.short_name:<28} "
                    f"{roles} · {membership.get_clearance_display()}"
                )
