from django.urls import path

from vanphong.documents import views, views_import

app_name = "documents"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("incoming/", views.incoming_register, name="incoming_register"),
    path("incoming/new/", views.incoming_new, name="incoming_new"),
    path("incoming/<int:pk>/", views.incoming_detail, name="incoming"),
    path("incoming/<int:pk>/route/", views.incoming_route, name="incoming_route"),
    path("incoming/<int:pk>/note/", views.incoming_note, name="incoming_note"),
    path("incoming/<int:pk>/handled/", views.incoming_handled, name="incoming_handled"),
    path("incoming/<int:pk>/cancel/", views.incoming_cancel, name="incoming_cancel"),
    path("incoming/<int:pk>/attach/", views.incoming_attach, name="incoming_attach"),
    path("followup/", views.followup_register, name="followup_register"),
    path("outgoing/", views.outgoing_register, name="outgoing_register"),
    path("outgoing/new/", views.outgoing_edit, name="outgoing_new"),
    path("outgoing/<int:pk>/", views.outgoing_detail, name="outgoing"),
    path("outgoing/<int:pk>/edit/", views.outgoing_edit, name="outgoing_edit"),
    path("outgoing/<int:pk>/do/<slug:action>/", views.outgoing_action, name="outgoing_action"),
    path("outgoing/<int:pk>/file.<slug:fmt>", views.outgoing_file, name="outgoing_file"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/ocr.pdf", views.attachment_ocr, name="attachment_ocr"),
    path("import/", views_import.import_register, name="import"),
]
