from django.urls import path

from vanphong.meetings.views import meetings, schedule, submissions

app_name = "meetings"

urlpatterns = [
    path("", meetings.meeting_list, name="list"),
    path("new/", meetings.meeting_edit, name="meeting_new"),
    path("<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("<int:pk>/items/", meetings.meeting_item_add, name="meeting_item_add"),
    path("<int:pk>/invite/", meetings.meeting_invite, name="meeting_invite"),
    path("<int:pk>/attendance/", meetings.meeting_attendance, name="meeting_attendance"),
    path("<int:pk>/<slug:action>/", meetings.meeting_action, name="meeting_action"),
    path("items/<int:pk>/vote/", meetings.item_vote, name="item_vote"),
    path("items/<int:pk>/conclusion/", meetings.item_conclusion, name="item_conclusion"),
    path("papers/<int:pk>/", meetings.paper_open, name="paper"),
    path("submissions/", submissions.submission_list, name="submissions"),
    path("submissions/new/", submissions.submission_edit, name="submission_new"),
    path("submissions/<int:pk>/", submissions.submission_detail, name="submission"),
    path("submissions/<int:pk>/edit/", submissions.submission_edit, name="submission_edit"),
    path("submissions/<int:pk>/<slug:action>/", submissions.submission_action, name="submission_action"),
    path("opinions/<int:pk>/", submissions.opinion_answer, name="opinion_answer"),
    path("schedule/", schedule.schedule_week, name="schedule"),
    path("schedule/<int:pk>/", schedule.schedule_detail, name="schedule_detail"),
    path("schedule/<int:pk>/entry/", schedule.schedule_entry, name="schedule_entry"),
    path("schedule/<int:pk>/<slug:action>/", schedule.schedule_action, name="schedule_action"),
    path("calendar-feed/", schedule.feed_manage, name="feed"),
    path("ical/<str:token>.ics", schedule.ical_feed, name="ical"),
    path("statistics/", schedule.statistics, name="statistics"),
]
