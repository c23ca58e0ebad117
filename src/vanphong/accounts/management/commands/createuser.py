"""`vanphong createuser USERNAME --organisation CODE --role clerk --clearance 1`"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vanphong.accounts.models import RoleCode
from vanphong.accounts.services import create_user
from vanphong.core.models import Clearance, Organisation


class Command(BaseCommand):
    help = "Create a user in an organisation with roles and a clearance."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--organisation", required=True, help="Organisation code.")
        parser.add_argument("--role", action="append", default=[], choices=RoleCode.values, dest="roles")
        parser.add_argument("--clearance", type=int, default=0, choices=Clearance.values)
        parser.add_argument("--name", default="", help="Full name, family name first.")
        parser.add_argument("--email", default="")
        parser.add_argument("--superuser", action="store_true", help="Also a deployment administrator.")
        parser.add_argument(
            "--password-env",
            default="VANPHONG_NEW_PASSWORD",
            help="Read the password from this environment variable (else ask).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(code=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with code {options['organisation']!r}.")
        password = os.environ.get(options["password_env"]) or getpass.getpass("Password: ")
        try:
            user = create_user(
                by=None,
                username=options["username"],
                password=password,
                organisation=organisation,
                roles=options["roles"],
                clearance=options["clearance"],
                full_name=options["name"],
                email=options["email"],
                superuser=options["superuser"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} in {organisation.name}."))
