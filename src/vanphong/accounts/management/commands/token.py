"""API tokens from the command line.

`vanphong token create USERNAME --organisation CODE [--name N]`, `vanphong token revoke PREFIX`,
`vanphong token list USERNAME`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from vanphong.accounts.models import ApiToken, User
from vanphong.accounts.tokens import create_token, revoke_token
from vanphong.core.models import Organisation


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"


class Command(BaseCommand):
    help = "API tokens. 'create' prints a new key once; 'revoke' stops one; 'list' shows a user's tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print its key (shown only this once).")
        create.add_argument("username")
        create.add_argument("--organisation", required=True, help="Code of the organisation it acts in.")
        create.add_argument("--name", default="", help="What the token is for, e.g. the client's name.")
        revoke = sub.add_parser("revoke", help="Revoke the token whose key starts with PREFIX.")
        revoke.add_argument("prefix")
        listing = sub.add_parser("list", help="List a user's tokens (prefixes only, never keys).")
        listing.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        return user

    def _create(self, options: dict[str, Any]) -> None:
        user = self._user(options["username"])
        organisation = Organisation.objects.filter(code=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with code {options['organisation']!r}.")
        try:
            token, key = create_token(by=None, user=user, organisation=organisation, name=options["name"])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stderr.write(
            f"Token {token.prefix} for {user.username} in {organisation.code}. "
            "Keep the key now: it is not stored and cannot be shown again."
        )
        self.stdout.write(key)

    def _revoke(self, options: dict[str, Any]) -> None:
        token = (
            ApiToken.objects.select_related("user", "organisation").filter(prefix=options["prefix"]).first()
        )
        if token is None:
            raise CommandError(f"No token with prefix {options['prefix']!r}.")
        try:
            revoke_token(by=None, token=token)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Revoked token {token.prefix} of {token.user.username}."))

    def _list(self, options: dict[str, Any]) -> None:
        user = self._user(options["username"])
        tokens = ApiToken.objects.filter(user=user).select_related("organisation")
        if not tokens:
            self.stdout.write(f"{user.username} has no tokens.")
            return
        for token in tokens:
            state = f"revoked {_when(token.revoked_at)}" if token.revoked_at else "active"
            self.stdout.write(
                f"{token.prefix}  {token.organisation.code}  {token.name or '-'}"
                f"  created {_when(token.created_at)}  last used {_when(token.last_used_at)}  {state}"
            )
