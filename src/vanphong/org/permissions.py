"""Permissions of the organisation-structure app and the access policies of its models."""

from django.utils.translation import gettext_lazy as _

from vanphong.core.access import Policy, declare_permissions, register_policy
from vanphong.org.models import Body, BodyMembership, Person, Position, PositionHolding, Term, Unit

STRUCTURE_MANAGE = "org.manage_structure"

declare_permissions(
    (
        STRUCTURE_MANAGE,
        _("Manage units, people, terms, bodies and positions"),
        {"administrator", "office_chief"},
    ),
)


class StructurePolicy(Policy):
    """Every member of an organisation reads its structure; the office chief and administrators change it."""

    change_permission = STRUCTURE_MANAGE


for model in (Unit, Person, Term, Body, BodyMembership, Position, PositionHolding):
    register_policy(model, StructurePolicy())
