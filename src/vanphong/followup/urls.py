from django.urls import path

from vanphong.followup import views

app_name = "followup"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/report/", views.task_report, name="task_report"),
    path("tasks/<int:pk>/extension/", views.task_extension, name="task_extension"),
    path("tasks/<int:pk>/evaluate/", views.task_evaluate, name="task_evaluate"),
    path("tasks/<int:pk>/weights/", views.task_weights, name="task_weights"),
    path("tasks/<int:pk>/cancel/", views.task_cancel, name="task_cancel"),
    path("reports/<int:pk>/<slug:action>/", views.report_review, name="report_review"),
    path("extensions/<int:pk>/<slug:action>/", views.extension_decide, name="extension_decide"),
    path("files/<int:pk>/", views.report_file, name="report_file"),
    path("sources/", views.sources, name="sources"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
    path("urge/", views.urge, name="urge"),
    path("import/", views.import_progress, name="import"),
    path("notifications/", views.notifications, name="notifications"),
]
