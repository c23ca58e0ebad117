from django.contrib import admin
from django.urls import include, path

from vanphong.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("organisation/switch/", web_views.switch_organisation, name="switch_organisation"),
    path("calendar/", web_views.calendar, name="calendar"),
    path("org/", include("vanphong.org.urls")),
    path("audit/", include("vanphong.core.urls")),
    path("accounts/", include("vanphong.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
