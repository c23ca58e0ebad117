"""Configuration screens: the versioned deadline rules and reception minimums (a new regulation is a
new row with its effective date). Petitions themselves are changed only through their pages."""

from __future__ import annotations

from django.contrib import admin

from vanphong.core.admin import AuditedAdmin
from vanphong.petitions.models import DeadlineRule, ReceptionMinimum


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(AuditedAdmin):
    list_display = [
        "kind",
        "stage",
        "instance",
        "days",
        "day_count",
        "day_count_open",
        "effective_from",
        "regulation",
    ]
    list_filter = ["kind", "stage"]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # petitions refer to the rule they were computed with; add a newer row instead


@admin.register(ReceptionMinimum)
class ReceptionMinimumAdmin(AuditedAdmin):
    list_display = ["level", "days_per_month", "effective_from", "regulation"]
