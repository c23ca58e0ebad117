from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from vanphong.core.access import PERMISSIONS, visible


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs: the actor and the organisations the user may switch to."""
    actor = getattr(request, "actor", None)
    user = getattr(request, "user", None)
    if actor is None or user is None or not user.is_authenticated:
        return {}
    memberships = user.memberships.filter(is_active=True).select_related("organisation")
    permissions = {code for code in PERMISSIONS if actor.has_perm(code)}
    return {
        "actor": actor,
        "actor_permissions": permissions,
        "switchable_memberships": memberships,
        "unread_notifications": _unread(actor),
    }


def _unread(actor: Any) -> int:
    """The user's unread notifications in this organisation (the count beside the menu entry)."""
    from vanphong.followup.models import Notification

    if not actor.is_member or actor.user is None:
        return 0
    return visible(actor, Notification).filter(read_at__isnull=True).count()
