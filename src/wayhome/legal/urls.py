from django.urls import URLPattern, URLResolver, path

from wayhome.legal import views

app_name = "legal"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.case_list, name="case_list"),
    path("hearings/", views.hearing_list, name="hearing_list"),
    path("export/", views.case_export, name="case_export"),
    path("new/", views.case_create, name="case_create"),
    path("<uuid:case_uuid>/", views.case_detail, name="case_detail"),
    path("<uuid:case_uuid>/edit/", views.case_edit, name="case_edit"),
    path("<uuid:case_uuid>/verdict/", views.verdict, name="verdict"),
    path("<uuid:case_uuid>/hearings/new/", views.hearing_add, name="hearing_add"),
    path("hearings/<uuid:hearing_uuid>/outcome/", views.hearing_outcome, name="hearing_outcome"),
    path("<uuid:case_uuid>/appeals/new/", views.appeal_add, name="appeal_add"),
    path("appeals/<uuid:appeal_uuid>/decide/", views.appeal_decide, name="appeal_decide"),
    path("<uuid:case_uuid>/conditions/new/", views.conditions_add, name="conditions_add"),
]
