"""Configuration screen: each organisation's meeting rules (quorum and paper deadline per body kind,
from its working regulation). Meetings themselves are prepared only through the meetings pages."""

from __future__ import annotations

from django.contrib import admin

from vanphong.core.admin import AuditedAdmin
from vanphong.meetings.models import MeetingRule


@admin.register(MeetingRule)
class MeetingRuleAdmin(AuditedAdmin):
    list_display = [
        "organisation",
        "body_kind",
        "quorum_numerator",
        "quorum_denominator",
        "papers_days",
        "source",
    ]
    list_filter = ["body_kind"]
    autocomplete_fields = ["organisation"]
