"""Permissions of the core app. Roles are the codes of `accounts.models.RoleCode`."""

from django.utils.translation import gettext_lazy as _

from vanphong.core.access import OrganisationPolicy, declare_permissions, register_policy
from vanphong.core.models import Organisation

AUDIT_VIEW = "audit.view"
CALENDAR_MANAGE = "calendar.manage"

declare_permissions(
    (AUDIT_VIEW, _("Read the audit log"), {"administrator"}),
    (CALENDAR_MANAGE, _("Manage the working-day calendar"), {"administrator", "office_chief"}),
)

register_policy(Organisation, OrganisationPolicy())
