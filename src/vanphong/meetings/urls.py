from django.urls import path

from vanphong.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_edit, name="meeting_new"),
    path("<int:pk>/", views.meeting_detail, name="meeting"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/items/", views.meeting_item_add, name="meeting_item_add"),
    path("<int:pk>/invite/", views.meeting_invite, name="meeting_invite"),
    path("<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("<int:pk>/<slug:action>/", views.meeting_action, name="meeting_action"),
    path("items/<int:pk>/vote/", views.item_vote, name="item_vote"),
    path("items/<int:pk>/conclusion/", views.item_conclusion, name="item_conclusion"),
    path("papers/<int:pk>/", views.paper_open, name="paper"),
    path("submissions/", views.submission_list, name="submissions"),
    path("submissions/new/", views.submission_edit, name="submission_new"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/edit/", views.submission_edit, name="submission_edit"),
    path("submissions/<int:pk>/<slug:action>/", views.submission_action, name="submission_action"),
    path("opinions/<int:pk>/", views.opinion_answer, name="opinion_answer"),
    path("schedule/", views.schedule_week, name="schedule"),
    path("schedule/<int:pk>/", views.schedule_detail, name="schedule_detail"),
    path("schedule/<int:pk>/entry/", views.schedule_entry, name="schedule_entry"),
    path("schedule/<int:pk>/<slug:action>/", views.schedule_action, name="schedule_action"),
    path("calendar-feed/", views.feed_manage, name="feed"),
    path("ical/<str:token>.ics", views.ical_feed, name="ical"),
    path("statistics/", views.statistics, name="statistics"),
]
