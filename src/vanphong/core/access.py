"""The one place that decides who may see and change what.

- An `Actor` is a signed-in user acting in one organisation, with the roles and clearance their
  membership there gives them.
- Permissions (`documents.register`, `audit.view`, ...) are declared per app in `permissions.py`
  with the roles that hold them.
- Each model has a policy: `visible(actor, queryset)` narrows a queryset to what the actor may see,
  as part of the query (so lists, counts and pagination never leak), and `can_change(actor, obj)`.
- `access_object` fetches by id through that filter and raises Http404 for what the actor may not
  see, so a forbidden object and a missing one look the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from vanphong.core import bounds
from vanphong.core.models import Clearance, Organisation

if TYPE_CHECKING:
    from vanphong.accounts.models import Membership

M = TypeVar("M", bound=models.Model)
StrOrPromise = str | Promise


@dataclass(frozen=True)
class Actor:
    user: Any
    organisation: Organisation | None
    roles: frozenset[str] = frozenset()
    clearance: int = Clearance.NONE
    membership: Membership | None = field(default=None, compare=False)
    # The command line and data loaders act as the system: all roles, full clearance, no user.
    system: bool = False

    @classmethod
    def for_membership(cls, membership: Membership) -> Actor:
        return cls(
            user=membership.user,
            organisation=membership.organisation,
            roles=frozenset(membership.roles),
            clearance=membership.clearance,
            membership=membership,
        )

    @classmethod
    def of_user(cls, user: Any) -> Actor:
        """A deployment administrator (or, with no user, the command line) acting outside any
        organisation: creating organisations, accounts and tokens."""
        return cls.system_for(None) if user is None else cls(user=user, organisation=None)

    @classmethod
    def system_for(cls, organisation: Organisation | None) -> Actor:
        return cls(
            user=None,
            organisation=organisation,
            # Every role that holds a permission (each app declares its permissions and their roles).
            roles=frozenset().union(*(permission.roles for permission in PERMISSIONS.values())),
            clearance=Clearance.TUYET_MAT,
            system=True,
        )

    @property
    def is_member(self) -> bool:
        return self.organisation is not None and (
            self.system or getattr(self.user, "is_authenticated", False)
        )

    def has_role(self, *codes: str) -> bool:
        return bool(self.roles.intersection(codes))

    def has_perm(self, permission: str) -> bool:
        try:
            holders = PERMISSIONS[permission].roles
        except KeyError as exc:  # a typo in a permission name must not silently deny or grant
            raise LookupError(f"Unknown permission {permission!r}") from exc
        return self.is_member and bool(self.roles.intersection(holders))

    def cleared_for(self, level: int) -> bool:
        return self.clearance >= level


ANONYMOUS = Actor(user=None, organisation=None)


@dataclass(frozen=True)
class Permission:
    code: str
    label: StrOrPromise
    roles: frozenset[str]


PERMISSIONS: dict[str, Permission] = {}


def declare_permissions(*permissions: tuple[str, StrOrPromise, Iterable[str]]) -> None:
    """Called from each app's permissions.py: (code, label, roles holding it)."""
    for code, label, roles in permissions:
        PERMISSIONS[code] = Permission(code, label, frozenset(roles))


def require(actor: Actor, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(_("You do not have permission to do this."))


class Policy:
    """Default policy: a row is visible to members of its organisation; changes need a permission."""

    change_permission: str | None = None

    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if not actor.is_member:
            return queryset.none()
        return queryset.filter(organisation=actor.organisation)

    def can_change(self, actor: Actor, obj: Any) -> bool:
        return (
            self.change_permission is not None
            and actor.has_perm(self.change_permission)
            and getattr(obj, "organisation_id", None) == getattr(actor.organisation, "pk", None)
        )


class SharedPolicy(Policy):
    """Reference data the same for every organisation (document types, say): every member reads it."""

    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        return queryset if actor.is_member else queryset.none()

    def can_change(self, actor: Actor, obj: Any) -> bool:
        return False  # deployment administrators change it in the admin


class OrganisationPolicy(Policy):
    """An organisation sees itself, its parent chain's names and its children (for roll-ups)."""

    def visible(self, actor: Actor, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if not actor.is_member or actor.organisation is None:
            return queryset.none()
        org = actor.organisation
        return queryset.filter(models.Q(pk=org.pk) | models.Q(parent=org) | models.Q(successor=org))


POLICIES: dict[type[models.Model], Policy] = {}


def register_policy(model: type[models.Model], policy: Policy) -> None:
    POLICIES[model] = policy


def policy_for(model: type[models.Model]) -> Policy:
    try:
        return POLICIES[model]
    except KeyError as exc:
        raise LookupError(f"No access policy registered for {model._meta.label}") from exc


def _queryset(source: type[M] | models.QuerySet[M]) -> models.QuerySet[M]:
    if isinstance(source, models.QuerySet):
        return source
    return source._default_manager.all()


def visible(actor: Actor, source: type[M] | models.QuerySet[M]) -> models.QuerySet[M]:
    """What the actor may see of a model or queryset, as a queryset (the filter is in the SQL)."""
    queryset = _queryset(source)
    return policy_for(queryset.model).visible(actor, queryset)


def access_object(actor: Actor, source: type[M] | models.QuerySet[M], pk: Any) -> M:
    """Fetch by id what the actor may see; Http404 for what is missing or not theirs to see."""
    if not bounds.is_id(pk):  # "abc", 0, or beyond the database's integers: no such row
        raise Http404(_("Not found."))
    try:
        return visible(actor, source).get(pk=pk)
    except (ValueError, TypeError, models.ObjectDoesNotExist) as exc:
        raise Http404(_("Not found.")) from exc


def access_object_for_change(actor: Actor, source: type[M] | models.QuerySet[M], pk: Any) -> M:
    obj = access_object(actor, source, pk)
    if not policy_for(type(obj)).can_change(actor, obj):
        raise PermissionDenied(_("You do not have permission to do this."))
    return obj


def can_change(actor: Actor, obj: models.Model) -> bool:
    return policy_for(type(obj)).can_change(actor, obj)
