"""Permissions of the accounts app."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from vanphong.accounts.models import Membership, User
from vanphong.core.access import Actor, Policy, declare_permissions, register_policy

ACCOUNTS_MANAGE = "accounts.manage"

declare_permissions(
    (ACCOUNTS_MANAGE, _("Manage user accounts, roles and clearances"), {"administrator"}),
)


class MembershipPolicy(Policy):
    change_permission = ACCOUNTS_MANAGE


register_policy(Membership, MembershipPolicy())


class UserPolicy(Policy):
    """In an organisation, the users are those with an active membership there."""

    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if not actor.is_member:
            return queryset.none()
        members = Membership.objects.filter(organisation=actor.organisation, is_active=True)
        return queryset.filter(pk__in=members.values("user_id"))

    def can_change(self, actor: Actor, obj: Any) -> bool:
        return False  # accounts are changed through their memberships


register_policy(User, UserPolicy())
