"""Configuration screens: the document-type table and each organisation's document settings.
Documents themselves are registered and changed only through the văn thư pages and services."""

from __future__ import annotations

from django.contrib import admin

from vanphong.core.admin import AuditedAdmin
from vanphong.documents.models import DocumentSettings, DocumentType


@admin.register(DocumentType)
class DocumentTypeAdmin(AuditedAdmin):
    list_display = ["symbol", "name", "title", "group", "is_active", "order", "source"]
    list_editable = ["is_active", "order"]
    list_filter = ["group", "is_active"]
    search_fields = ["symbol", "name"]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # types stay, since registered documents refer to them; retire with "in use"


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(AuditedAdmin):
    list_display = ["organisation", "numbering_scheme", "default_handling_days", "due_soon_working_days"]
    autocomplete_fields = ["organisation"]
