"""Accounts: users, their memberships in organisations, roles and clearance."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from vanphong.core.models import Clearance, Organisation


class RoleCode(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    OFFICE_CHIEF = "office_chief", _("Office chief")
    CLERK = "clerk", _("Clerk (văn thư)")
    SPECIALIST = "specialist", _("Specialist")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    STANDING_LEADER = "standing_leader", _("Leader of the standing board")
    RECEPTION_OFFICER = "reception_officer", _("Citizen-reception officer")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    ARCHIVIST = "archivist", _("Archivist")
    INSPECTION_READER = "inspection_reader", _("Inspection committee reader")


class User(AbstractUser):
    """A person who signs in. What they may see is decided by their memberships."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        # Vietnamese order: family (and middle) names first, the given name last.
        return " ".join(part for part in (self.last_name, self.first_name) if part)

    def get_short_name(self) -> str:
        return self.first_name


class Membership(models.Model):
    """A user's place in one organisation: roles and clearance there."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organisation")
    )
    roles = models.JSONField(_("roles"), default=list, blank=True)
    clearance = models.PositiveSmallIntegerField(
        _("clearance"), choices=Clearance.choices, default=Clearance.NONE
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"

    def has_role(self, *codes: str) -> bool:
        return any(code in self.roles for code in codes)

    def role_labels(self) -> list[str]:
        labels = dict(RoleCode.choices)
        return [str(labels.get(code, code)) for code in self.roles]


class ApiToken(models.Model):
    """A key for the JSON API: it acts as its user, in one organisation, with the membership there.

    Only the SHA-256 of the key is stored; the key itself is shown once, when the token is created.
    Its first characters (`prefix`) are kept to tell tokens apart in lists and to revoke one.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("key prefix"), max_length=8, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}".strip()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
