from django.urls import path

from wayhome.tracing import views

app_name = "tracing"

urlpatterns = [
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<uuid:request_uuid>/", views.request_detail, name="request_detail"),
    path("requests/<uuid:request_uuid>/edit/", views.request_edit, name="request_edit"),
    path(
        "requests/<uuid:request_uuid>/status/",
        views.request_transition,
        name="request_transition",
    ),
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/<uuid:report_uuid>/", views.report_detail, name="report_detail"),
    path("reports/<uuid:report_uuid>/edit/", views.report_edit, name="report_edit"),
    path("person-picker/", views.person_picker, name="person_picker"),
    path("persons/<uuid:person_uuid>/timeline/", views.person_timeline, name="person_timeline"),
    path(
        "persons/<uuid:person_uuid>/whereabouts/new/",
        views.whereabouts_add,
        name="whereabouts_add",
    ),
    path(
        "families/<uuid:group_uuid>/whereabouts/new/",
        views.group_whereabouts_add,
        name="group_whereabouts_add",
    ),
    path(
        "whereabouts/<uuid:entry_uuid>/retract/",
        views.whereabouts_retract,
        name="whereabouts_retract",
    ),
]
