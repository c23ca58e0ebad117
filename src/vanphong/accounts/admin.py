from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from vanphong.accounts.models import Membership, RoleCode, User
from vanphong.accounts.services import set_membership
from vanphong.core.admin import AuditedAdmin


class MembershipForm(forms.ModelForm[Membership]):
    roles = forms.MultipleChoiceField(
        label=_("roles"), choices=RoleCode.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Membership
        fields = ["organisation", "roles", "clearance", "is_active"]


class MembershipInline(admin.TabularInline[Membership, Any]):
    model = Membership
    form = MembershipForm
    extra = 0
    min_num = 1  # a user without an organisation is refused (issue 2, bad input)
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin[User]):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "is_active", "is_superuser", "last_login"]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            data = getattr(inline_form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            set_membership(
                by=request.user,
                user=form.instance,
                organisation=data["organisation"],
                roles=data["roles"],
                clearance=data["clearance"],
                is_active=data["is_active"],
            )
        for obj in formset.deleted_objects:
            # Memberships are deactivated, not deleted: the audit trail keeps pointing at them.
            set_membership(
                by=request.user,
                user=obj.user,
                organisation=obj.organisation,
                roles=obj.roles,
                clearance=obj.clearance,
                is_active=False,
            )
        return None
