"""Structure of a Party committee: units, people, terms, bodies, positions and their holders."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanphong.core.models import OrgScoped


class Period(models.Model):
    """A span of time with an open end: a term, a membership, a holding of a position."""

    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty while it lasts."))

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="%(app_label)s_%(class)s_dates_ordered",
                violation_error_message=_("The end date is before the start date."),
            )
        ]

    def covers(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class UnitKind(models.TextChoices):
    OFFICE = "office", _("Office (văn phòng)")
    BOARD = "board", _("Advisory board (ban)")
    INSPECTION = "inspection", _("Inspection committee agency")
    CELL = "cell", _("Subordinate Party cell (chi bộ)")
    SUBCOMMITTEE = "subcommittee", _("Subordinate Party committee (đảng bộ)")
    OTHER = "other", _("Other")


class Unit(OrgScoped):
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="unit_name_unique_per_org",
                violation_error_message=_("A unit with this name already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


class Person(OrgScoped):
    """A cadre, committee member or past office holder, named the Vietnamese way.

    `sort_key` and `search_name` are derived from the name parts by the service that saves the person.
    """

    family_name = models.CharField(_("family name"), max_length=50)
    middle_name = models.CharField(_("middle name"), max_length=80, blank=True)
    given_name = models.CharField(_("given name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="people", verbose_name=_("unit")
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        verbose_name=_("user account"),
    )
    is_active = models.BooleanField(_("working here"), default=True)
    sort_key = models.CharField(max_length=1000, editable=False, db_index=True)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_key", "id"]
        indexes = [models.Index(fields=["organisation", "sort_key"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(user__isnull=False),
                name="person_user_unique_per_org",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.family_name, self.middle_name, self.given_name) if part)


class Term(OrgScoped, Period):
    """Nhiệm kỳ: from the day after one congress closes to the closing day of the next.

    Party documents are numbered per type within a term (HD 36-HD/VPTW), so terms must not overlap.
    """

    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. Khóa XV, nhiệm kỳ 2025–2030"))

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["-start_date"]
        constraints = [
            *Period.Meta.constraints,
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(end_date__isnull=True),
                name="term_one_open_per_org",
                violation_error_message=_("Only the current term may be left without an end date."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BodyKind(models.TextChoices):
    # Party Charter art. 20: the BCH elects the BTV; the Thường trực runs day-to-day work.
    EXECUTIVE = "bch", _("Executive Committee (Ban Chấp hành)")
    STANDING = "btv", _("Standing Committee (Ban Thường vụ)")
    STANDING_BOARD = "tt", _("Standing Board (Thường trực)")
    INSPECTION = "ubkt", _("Inspection Committee (Ủy ban Kiểm tra)")


class Body(OrgScoped):
    """A collective body of one term: its Executive Committee, Standing Committee, Standing Board."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="bodies", verbose_name=_("term"))
    kind = models.CharField(_("kind"), max_length=10, choices=BodyKind.choices)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.UniqueConstraint(
                fields=["term", "kind"],
                name="body_kind_unique_per_term",
                violation_error_message=_("This term already has a body of this kind."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class BodyRole(models.TextChoices):
    SECRETARY = "secretary", _("Secretary (Bí thư)")
    STANDING_DEPUTY = "standing_deputy", _("Standing deputy secretary (Phó Bí thư Thường trực)")
    DEPUTY = "deputy", _("Deputy secretary (Phó Bí thư)")
    CHAIR = "chair", _("Chair (Chủ nhiệm)")
    VICE_CHAIR = "vice_chair", _("Vice chair (Phó Chủ nhiệm)")
    MEMBER = "member", _("Member (Ủy viên)")


BODY_ROLE_ORDER = {code: index for index, code in enumerate(BodyRole.values)}


class BodyMembership(OrgScoped, Period):
    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("body")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="body_memberships", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=BodyRole.choices, default=BodyRole.MEMBER)

    class Meta(Period.Meta):
        verbose_name = _("body membership")
        verbose_name_plural = _("body memberships")

    def __str__(self) -> str:
        return f"{self.person} – {self.body}"


class Position(OrgScoped):
    """A post that people hold in turn, e.g. Chánh Văn phòng; `seats` > 1 for posts held by several."""

    title = models.CharField(_("position title"), max_length=200)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name=_("unit"),
    )
    seats = models.PositiveSmallIntegerField(
        _("seats"), default=1, help_text=_("How many people may hold it at the same time.")
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["order", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "title"],
                name="position_title_unique_per_org",
                violation_error_message=_("A position with this title already exists."),
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="position_seats_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class PositionHolding(OrgScoped, Period):
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="holdings", verbose_name=_("position")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="holdings", verbose_name=_("person")
    )
    acting = models.BooleanField(
        _("acting"), default=False, help_text=_("Phụ trách or quyền, not appointed.")
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta(Period.Meta):
        verbose_name = _("position holding")
        verbose_name_plural = _("position holdings")
        ordering = ["start_date", "id"]

    def __str__(self) -> str:
        return f"{self.person} – {self.position}"
