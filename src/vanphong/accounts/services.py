"""Writes of the accounts app: users and their memberships (roles, clearance)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.accounts import events
from vanphong.accounts.models import Membership, RoleCode, User
from vanphong.core import audit
from vanphong.core.access import Actor
from vanphong.core.models import Clearance, Organisation
from vanphong.core.text import clean

MEMBERSHIP_FIELDS = ["organisation", "roles", "clearance", "is_active"]


def validate_roles(roles: Iterable[str]) -> list[str]:
    roles = list(dict.fromkeys(roles))
    unknown = [role for role in roles if role not in RoleCode.values]
    if unknown:
        raise ValidationError({"roles": _("Unknown role: %(roles)s.") % {"roles": ", ".join(unknown)}})
    return roles


def _can_manage_accounts(by: Any, organisation: Organisation) -> bool:
    if by is None or getattr(by, "is_superuser", False):
        return True
    membership = Membership.objects.filter(user=by, organisation=organisation, is_active=True).first()
    return membership is not None and membership.has_role(RoleCode.ADMINISTRATOR)


def locked_out(user: User) -> bool:
    """Whether sign-in throttling (django-axes, `AXES_*` in settings) has locked the account: its
    username failed to sign in as many times as the limit, from some address, within the cool-off
    time. Someone may be guessing its password, so nothing acts as the account meanwhile."""
    attempts = AccessAttempt.objects.filter(
        username__iexact=user.username,
        failures_since_start__gte=get_failure_limit(None, {"username": user.username}),
    )
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return bool(attempts.exists())


def may_act(membership: Membership) -> bool:
    """Whether a key that stands in for signing in (an API token, a calendar feed) may act through
    this membership: the membership and its user's account are active, and the account is not
    locked by sign-in throttling."""
    return membership.is_active and membership.user.is_active and not locked_out(membership.user)


def set_membership(
    *,
    by: Any,
    user: User,
    organisation: Organisation,
    roles: Iterable[str],
    clearance: int = Clearance.NONE,
    is_active: bool = True,
) -> Membership:
    """Give a user roles and a clearance in an organisation (creating the membership if needed)."""
    if not _can_manage_accounts(by, organisation):
        raise PermissionDenied(_("Only an administrator of this organisation may manage its accounts."))
    roles = validate_roles(roles)
    if clearance not in Clearance.values:
        raise ValidationError({"clearance": _("Unknown clearance level.")})
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update().filter(user=user, organisation=organisation).first()
        )
        before = audit.snapshot(membership, MEMBERSHIP_FIELDS) if membership else None
        if membership is None:
            membership = Membership(user=user, organisation=organisation)
        membership.roles = roles
        membership.clearance = clearance
        membership.is_active = is_active
        membership.save()
        audit.record(
            Actor.of_user(by),
            events.MEMBERSHIP_UPDATED if before else events.MEMBERSHIP_CREATED,
            organisation=organisation,
            obj=membership,
            before=before,
            after=audit.snapshot(membership, MEMBERSHIP_FIELDS),
        )
    return membership


def create_user(
    *,
    by: Any,
    username: str,
    password: str,
    organisation: Organisation | None,
    roles: Iterable[str] = (),
    clearance: int = Clearance.NONE,
    full_name: str = "",
    email: str = "",
    check_password: bool = True,
    superuser: bool = False,
) -> User:
    """Create a user together with their first membership: no account exists outside an organisation."""
    username = clean(username)
    if organisation is None:
        raise ValidationError({"organisation": _("Every user must belong to an organisation: choose one.")})
    if not username:
        raise ValidationError({"username": _("Enter a username.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The username “%(name)s” is taken.") % {"name": username}})
    family, _sep, given = clean(full_name).rpartition(" ")
    user = User(
        username=username,
        email=clean(email),
        first_name=given,
        last_name=family,
        is_superuser=superuser,
        is_staff=superuser,
    )
    if check_password:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
        audit.record(
            Actor.of_user(by),
            events.USER_CREATED,
            organisation=organisation,
            obj=user,
            after={
                "username": user.username,
                "email": user.email,
                "name": user.get_full_name(),
                "is_superuser": user.is_superuser,
            },
        )
        set_membership(by=by, user=user, organisation=organisation, roles=roles, clearance=clearance)
    return user
