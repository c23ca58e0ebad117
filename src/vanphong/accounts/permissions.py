"""Permissions of the accounts app."""

from django.utils.translation import gettext_lazy as _

from vanphong.accounts.models import Membership
from vanphong.core.access import Policy, declare_permissions, register_policy

ACCOUNTS_MANAGE = "accounts.manage"

declare_permissions(
    (ACCOUNTS_MANAGE, _("Manage user accounts, roles and clearances"), {"administrator"}),
)


class MembershipPolicy(Policy):
    change_permission = ACCOUNTS_MANAGE


register_policy(Membership, MembershipPolicy())
