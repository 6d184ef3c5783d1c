from django.urls import path

from wayhome.comms import views

app_name = "comms"

urlpatterns = [
    path("requests/<uuid:key>/log/", views.request_log, name="request_log"),
    path("requests/<uuid:key>/log/new/", views.request_log_add, name="request_log_add"),
    path("families/<uuid:key>/log/", views.family_log, name="family_log"),
    path("families/<uuid:key>/log/new/", views.family_log_add, name="family_log_add"),
    path("entries/<uuid:key>/attachment/", views.attachment, name="attachment"),
    path(
        "requests/<uuid:key>/notifications/",
        views.request_notifications,
        name="request_notifications",
    ),
    path("notifications/<uuid:key>/retry/", views.notification_retry, name="notification_retry"),
    path("sms/status/", views.sms_status, name="sms_status"),
    path("templates/", views.template_list, name="template_list"),
    path(
        "templates/<str:kind>/<str:language>/<str:channel>/",
        views.template_edit,
        name="template_edit",
    ),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<uuid:key>/reviewed/", views.submission_reviewed, name="submission_reviewed"),
    path("inbox/<uuid:key>/photo/", views.submission_photo, name="submission_photo"),
]
