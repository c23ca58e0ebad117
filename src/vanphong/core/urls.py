from django.urls import path

from vanphong.core import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_log, name="log"),
    path("<int:pk>/", views.audit_event, name="event"),
]
