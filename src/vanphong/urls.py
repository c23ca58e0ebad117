from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from vanphong.api import api
from vanphong.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("organisation/switch/", web_views.switch_organisation, name="switch_organisation"),
    path("calendar/", web_views.calendar, name="calendar"),
    path("org/", include("vanphong.org.urls")),
    path("documents/", include("vanphong.documents.urls")),
    path("search/", include("vanphong.search.urls")),
    path("meetings/", include("vanphong.meetings.urls")),
    path("followup/", include("vanphong.followup.urls")),
    path("petitions/", include("vanphong.petitions.urls")),
    path("audit/", include("vanphong.core.urls")),
    path("accounts/", include("vanphong.accounts.urls")),
    # The language can be chosen on the sign-in page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
