from django.urls import URLPattern, URLResolver, path

from wayhome.aftercare import views

app_name = "aftercare"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.file_list, name="file_list"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("new/", views.file_create, name="file_create"),
    path("<uuid:key>/", views.file_detail, name="file_detail"),
    path("<uuid:key>/close/", views.file_close, name="file_close"),
    path("<uuid:key>/reception/", views.reception_edit, name="reception_edit"),
    path("<uuid:key>/placements/new/", views.placement_add, name="placement_add"),
    path("<uuid:key>/services/new/", views.service_add, name="service_add"),
    path("<uuid:key>/followups/new/", views.followup_add, name="followup_add"),
    path("placements/<uuid:key>/consent/", views.placement_consent, name="placement_consent"),
    path("services/<uuid:key>/end/", views.service_end, name="service_end"),
    path("followups/<uuid:key>/record/", views.visit_record, name="visit_record"),
    path("placements/<uuid:key>/correct/", views.placement_correct, name="placement_correct"),
    path("placements/<uuid:key>/retract/", views.placement_retract, name="placement_retract"),
    path("followups/<uuid:key>/correct/", views.followup_correct, name="followup_correct"),
    path("followups/<uuid:key>/retract/", views.followup_retract, name="followup_retract"),
]
