"""Core models: the organisation (tenant), the audit log and the working-day calendar overrides."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Clearance(models.IntegerChoices):
    """Secrecy levels, Law on State Secrets 29/2018/QH14 art. 8: Mật < Tối mật < Tuyệt mật.

    The same scale serves as a document's secrecy and a user's clearance.
    """

    NONE = 0, _("Not secret")
    MAT = 1, _("Confidential (Mật)")
    TOI_MAT = 2, _("Secret (Tối mật)")
    TUYET_MAT = 3, _("Top secret (Tuyệt mật)")


class OrganisationLevel(models.TextChoices):
    # Two-tier local government from 1/7/2025 (NQ 203/2025/QH15); district committees dissolved
    # 30/6/2025 (QĐ 298-QĐ/TW) but their records live on, so they keep a level of their own.
    PROVINCE = "province", _("Provincial Party committee")
    COMMUNE = "commune", _("Commune, ward or special-zone Party committee")
    AGENCY = "agency", _("Agency Party committee")
    DISTRICT_HISTORICAL = "district", _("District Party committee (historical)")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """A Party committee served by one office: the tenant every domain row belongs to."""

    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("Unique identifier on this deployment, e.g. tu-an-giang."),
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100)
    symbol = models.CharField(
        _("document symbol"),
        max_length=20,
        help_text=_("Symbol after the slash in document numbers, e.g. TU, HU, ĐU."),
    )
    level = models.CharField(_("level"), max_length=20, choices=OrganisationLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("The committee that took over the records of a dissolved or merged committee."),
    )
    place_name = models.CharField(
        _("place name"), max_length=100, help_text=_("Used in date lines: “Tân Hòa, ngày …”.")
    )
    parent_body_name = models.CharField(
        _("superior body line"),
        max_length=255,
        blank=True,
        help_text=_("First line of the issuing-body heading, e.g. ĐẢNG BỘ TỈNH AN GIANG."),
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_until = models.DateField(_("active until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="organisation_active_period_ordered",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="organisation_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_dissolved(self) -> bool:
        return self.active_until is not None


class OrgScoped(models.Model):
    """Every domain row carries its organisation (docs/architecture.md, tenancy)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )

    class Meta:
        abstract = True


class AuditChain(models.Model):
    """Head of one hash chain: per organisation, plus one system chain (organisation empty).

    Writers lock this row, so events of one organisation are appended one at a time.
    """

    key = models.CharField(max_length=40, unique=True)
    organisation = models.OneToOneField(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_chain"
    )
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return self.key


class AuditEvent(models.Model):
    """One write, recorded by the service that did it. Never updated or deleted by the application."""

    chain = models.ForeignKey(AuditChain, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveBigIntegerField()
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    # Kept beside the foreign key so the chain stays verifiable if the account is removed.
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), db_index=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # Who may read the content (core.secrecy): a reading label, outside the hash, so that entries
    # written before it existed stay verifiable and could be labelled by migration 0003.
    secrecy = models.PositiveSmallIntegerField(_("secrecy"), choices=Clearance.choices, default=0)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_seq_unique")]
        indexes = [
            models.Index(fields=["organisation", "-created_at"]),
            # An object's history (a submission's steps, a task's changes).
            models.Index(fields=["object_type", "object_id"], name="audit_event_object"),
        ]

    def __str__(self) -> str:
        return f"{self.chain.key}#{self.seq} {self.action}"


class CalendarOverride(models.Model):
    """A day that the government or the organisation declared off or on, against the usual rule.

    Yearly swap days are announced by the Prime Minister (Labour Code 2019 art. 112.3); the
    `holidays` package knows many of them, and these rows correct or extend it.
    """

    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_overrides",
        verbose_name=_("organisation"),
        help_text=_("Empty: applies to every organisation."),
    )
    date = models.DateField(_("date"))
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "date"], name="calendar_override_unique_per_org"),
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(organisation__isnull=True),
                name="calendar_override_unique_national",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class StoredFileRecord(models.Model):
    """The columns of a file stored through core.files (encrypted when its owner is secret)."""

    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    pages = models.PositiveIntegerField(null=True, blank=True)
    path = models.CharField(max_length=255, unique=True)
    sha256 = models.CharField(max_length=64)
    encrypted = models.BooleanField(default=False)
    wrapped_key = models.CharField(max_length=200, blank=True)
    nonce = models.CharField(max_length=50, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def read(self) -> bytes:
        """The plaintext, checked against its SHA-256 (core.files.read_file)."""
        from vanphong.core.files import StoredFile, read_file

        return read_file(
            StoredFile(
                path=self.path,
                sha256=self.sha256,
                size=self.size,
                encrypted=self.encrypted,
                wrapped_key=self.wrapped_key,
                nonce=self.nonce,
            )
        )

    def set_stored(self, info: Any, stored: Any) -> None:
        """Fill the columns from core.files' UploadInfo and StoredFile."""
        self.original_name, self.kind, self.content_type = info.original_name, info.kind, info.content_type
        self.pages = info.pages
        self.size, self.path, self.sha256 = stored.size, stored.path, stored.sha256
        self.encrypted, self.wrapped_key, self.nonce = stored.encrypted, stored.wrapped_key, stored.nonce
