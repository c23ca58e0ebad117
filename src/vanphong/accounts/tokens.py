"""API tokens: creating and revoking them, and finding the actor a presented key acts as.

A key is `vp_` followed by 43 random URL-safe characters. Only its SHA-256 is stored, so the
database never holds a usable key; the key is shown once, when the token is created. A key is
looked up by its hash (a unique index), so no comparison runs over the key's characters one by one.
The token acts as its user in its organisation, with the roles and clearance of the user's
membership there at the moment of each request: a deactivated user or membership stops the token,
and so does a lock of the account by sign-in throttling while it lasts (`services.may_act`).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.accounts import events
from vanphong.accounts.models import ApiToken, Membership, User
from vanphong.accounts.services import _can_manage_accounts, may_act
from vanphong.core import audit
from vanphong.core.access import Actor
from vanphong.core.models import Organisation
from vanphong.core.text import clean

KEY_PREFIX = "vp_"
PREFIX_LENGTH = 8
# last_used_at is written at most this often, so that a busy client does not write on every request.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)
MAX_KEY_LENGTH = 200


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def _may_manage(by: Any, user: User, organisation: Organisation) -> bool:
    """The command line (by=None), the user for themself, a superuser, or the organisation's administrator."""
    return by is None or getattr(by, "pk", None) == user.pk or _can_manage_accounts(by, organisation)


def create_token(*, by: Any, user: User, organisation: Organisation, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for `user` acting in `organisation`. Returns the token and its key (shown once)."""
    if not _may_manage(by, user, organisation):
        raise PermissionDenied(_("Only an administrator of this organisation may manage its accounts."))
    name = clean(name)
    if len(name) > ApiToken._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ValidationError({"name": _("The name is too long.")})
    if not user.is_active:
        raise ValidationError({"user": _("This user account is not active.")})
    if not Membership.objects.filter(user=user, organisation=organisation, is_active=True).exists():
        raise ValidationError({"organisation": _("The user is not an active member of this organisation.")})
    with transaction.atomic():
        key = _new_key()
        while ApiToken.objects.filter(prefix=key[:PREFIX_LENGTH]).exists():  # a rare clash of prefixes
            key = _new_key()
        token = ApiToken.objects.create(
            user=user,
            organisation=organisation,
            name=name,
            prefix=key[:PREFIX_LENGTH],
            key_hash=hash_key(key),
        )
        audit.record(
            Actor.of_user(by),
            events.API_TOKEN_CREATED,
            organisation=organisation,
            obj=token,
            after={"user": user.username, "name": token.name, "prefix": token.prefix},
        )
    return token, key


def revoke_token(*, by: Any, token: ApiToken) -> ApiToken:
    """Revoke a token for good; requests with its key are refused from now on."""
    if not _may_manage(by, token.user, token.organisation):
        raise PermissionDenied(_("Only an administrator of this organisation may manage its accounts."))
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().select_related("user", "organisation").get(pk=token.pk)
        if token.revoked_at is not None:
            raise ValidationError(_("This token is already revoked."))
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            Actor.of_user(by),
            events.API_TOKEN_REVOKED,
            organisation=token.organisation,
            obj=token,
            after={"user": token.user.username, "name": token.name, "prefix": token.prefix},
        )
    return token


def actor_for_token(key: str) -> Actor | None:
    """The actor a presented key acts as, or None for an unknown, revoked or no longer valid key, or
    while its user or membership is deactivated or the account locked."""
    if not key or not key.startswith(KEY_PREFIX) or len(key) > MAX_KEY_LENGTH:
        return None
    digest = hash_key(key)
    token = ApiToken.objects.filter(key_hash=digest, revoked_at__isnull=True).first()
    if token is None or not hmac.compare_digest(token.key_hash, digest):
        return None
    membership = (
        Membership.objects.select_related("organisation", "user")
        .filter(user_id=token.user_id, organisation_id=token.organisation_id)
        .first()
    )
    if membership is None or not may_act(membership):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return Actor.for_membership(membership)
