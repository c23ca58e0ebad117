from django.urls import path

from vanphong.petitions import views

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list, name="petitions"),
    path("new/", views.petition_new, name="petition_new"),
    path("<int:pk>/", views.petition_detail, name="petition"),
    path("<int:pk>/do/<slug:action>/", views.petition_action, name="petition_action"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("register/", views.reception_register, name="reception_register"),
    path("reports/", views.report, name="report"),
    path("settings/", views.settings_view, name="settings"),
]
