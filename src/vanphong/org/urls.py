from django.urls import path

from vanphong.org import views

app_name = "org"

urlpatterns = [
    path("", views.organisation, name="organisation"),
    path("bodies/<int:pk>/", views.body_detail, name="body"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_edit, name="person_new"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("positions/", views.positions, name="positions"),
    path("positions/<int:pk>/", views.position_detail, name="position"),
]
