"""The Django admin, kept to deployment administrators: it spans all organisations."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class SuperuserOnlyAdminSite(admin.AdminSite):
    site_header = "Vanphong"
    site_title = "Vanphong"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)


class VanphongAdminConfig(AdminConfig):
    default_site = "vanphong.web.admin_site.SuperuserOnlyAdminSite"
