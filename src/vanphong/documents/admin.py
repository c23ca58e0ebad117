"""Configuration screens: the document-type table, each organisation's document settings and numbering
rules. Documents themselves are registered and changed only through the văn thư pages and services."""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.core.access import Actor
from vanphong.core.admin import AuditedAdmin
from vanphong.core.models import Organisation
from vanphong.documents import numbering
from vanphong.documents.models import DocumentSettings, DocumentType, NumberingRule, NumberingScheme


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
    list_display = ["organisation", "numbering_rule", "default_handling_days", "due_soon_working_days"]
    autocomplete_fields = ["organisation"]

    @admin.display(description=_("numbering"))
    def numbering_rule(self, obj: DocumentSettings) -> str:
        """The rule in force today; it is changed under “Numbering rules”."""
        return str(NumberingScheme(numbering.rule_on(obj.organisation, timezone.localdate())).label)


def _acting_in(request: HttpRequest, organisation: Organisation) -> Actor:
    """The deployment administrator acting in an organisation: the system's roles, under their own name."""
    return dataclasses.replace(Actor.system_for(organisation), user=request.user, system=False)


class NumberingRuleForm(forms.ModelForm[NumberingRule]):
    class Meta:
        model = NumberingRule
        fields = ["organisation", "scheme", "effective_from"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                numbering.check_rule_change(data["organisation"], data["scheme"], data["effective_from"])
            except ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(NumberingRule)
class NumberingRuleAdmin(admin.ModelAdmin[NumberingRule]):
    """Plans a change of rule (numbering.change_numbering_rule) or withdraws one not yet in force; a rule
    is never edited, since the documents numbered under it must keep it."""

    form = NumberingRuleForm
    list_display = ["organisation", "scheme", "effective_from", "created_by", "created_at"]
    list_filter = ["scheme"]
    autocomplete_fields = ["organisation"]
    actions = None

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and obj.effective_from > timezone.localdate()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        rule = numbering.change_numbering_rule(
            _acting_in(request, obj.organisation), scheme=obj.scheme, effective_from=obj.effective_from
        )
        obj.pk = rule.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        numbering.withdraw_numbering_change(_acting_in(request, obj.organisation), obj)
