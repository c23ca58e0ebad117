"""Configuration screens for deployment administrators (superusers). Everyday work has its own pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest

from vanphong.core import audit
from vanphong.core import events as core_events
from vanphong.core.access import Actor
from vanphong.core.models import AuditEvent, CalendarOverride, Organisation
from vanphong.core.services import check_organisation, save_organisation


def organisation_of(obj: models.Model) -> Organisation | None:
    if isinstance(obj, Organisation):
        return obj
    return getattr(obj, "organisation", None)


class AuditedAdmin(admin.ModelAdmin[Any]):
    """Records every admin write in the audit log, like the services do."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = audit.snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            audit.record(
                Actor.of_user(request.user),
                core_events.ADMIN_SAVED,
                obj,
                organisation=organisation_of(obj),
                before=before,
                after=audit.snapshot(obj),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            before = audit.snapshot(obj)
            audit.record(
                Actor.of_user(request.user),
                core_events.ADMIN_DELETED,
                obj,
                organisation=organisation_of(obj),
                before=before,
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


class OrganisationForm(forms.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = [
            "code",
            "name",
            "short_name",
            "symbol",
            "level",
            "parent",
            "successor",
            "place_name",
            "parent_body_name",
            "active_from",
            "active_until",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            candidate = self.instance
            for name, value in data.items():
                setattr(candidate, name, value)
            try:
                check_organisation(candidate)
            except ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    form = OrganisationForm
    list_display = ["name", "symbol", "level", "parent", "active_from", "active_until"]
    list_filter = ["level"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["parent", "successor"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        save_organisation(by=request.user, organisation=obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # organisations are dissolved (active until + successor), never deleted


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdmin):
    list_display = ["date", "name", "is_working_day", "organisation", "source"]
    list_filter = ["is_working_day", "organisation"]
    date_hierarchy = "date"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Who did what and when, across organisations; never the content (object, before, after), which
    is read in each organisation's own log by those cleared for it (core.audit.visible_content)."""

    list_display = ["created_at", "organisation", "actor_username", "action", "object_type", "object_id"]
    list_filter = ["organisation", "action"]
    search_fields = ["actor_username", "action"]
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "created_at",
        "organisation",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "secrecy",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
