from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from vanphong.accounts.models import RoleCode
from vanphong.core.access import Actor
from vanphong.core.admin import AuditedAdmin
from vanphong.core.models import Clearance
from vanphong.org import services
from vanphong.org.models import Body, BodyMembership, Person, Position, PositionHolding, Term, Unit


class StructureForm(forms.ModelForm[Any]):
    """Runs the same rule checks as the services, so the admin shows them as form errors."""

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        check = services.CHECKS.get(type(self.instance))
        if check is not None and not self.errors:
            try:
                check(self.instance)
            except ValidationError as error:
                self.add_error(None, error)


class StructureAdmin(AuditedAdmin):
    """Saves through the org services (which audit), as a fully entitled member of the row's organisation."""

    form = StructureForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actor = Actor(
            user=request.user,
            organisation=obj.organisation,
            roles=frozenset(RoleCode.values),
            clearance=Clearance.TUYET_MAT,
        )
        services.SAVERS[type(obj)](actor, obj)


@admin.register(Unit)
class UnitAdmin(StructureAdmin):
    list_display = ["name", "kind", "organisation", "parent", "order", "is_active"]
    list_filter = ["organisation", "kind"]
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(StructureAdmin):
    list_display = ["__str__", "organisation", "unit", "job_title", "is_active"]
    list_filter = ["organisation", "is_active"]
    search_fields = ["search_name", "family_name", "given_name"]
    autocomplete_fields = ["unit", "user"]


@admin.register(Term)
class TermAdmin(StructureAdmin):
    list_display = ["name", "organisation", "start_date", "end_date"]
    list_filter = ["organisation"]


class BodyMembershipInline(admin.TabularInline[BodyMembership, Any]):
    model = BodyMembership
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "role", "start_date", "end_date"]
    readonly_fields = ["person", "role", "start_date", "end_date"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Body)
class BodyAdmin(StructureAdmin):
    list_display = ["name", "kind", "term", "organisation"]
    list_filter = ["organisation", "kind"]
    inlines = [BodyMembershipInline]


@admin.register(BodyMembership)
class BodyMembershipAdmin(StructureAdmin):
    list_display = ["person", "body", "role", "start_date", "end_date"]
    list_filter = ["organisation", "body__kind", "role"]
    autocomplete_fields = ["person"]


@admin.register(Position)
class PositionAdmin(StructureAdmin):
    list_display = ["title", "unit", "seats", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["title"]


@admin.register(PositionHolding)
class PositionHoldingAdmin(StructureAdmin):
    list_display = ["position", "person", "start_date", "end_date", "acting"]
    list_filter = ["organisation", "position"]
    autocomplete_fields = ["person", "position"]
