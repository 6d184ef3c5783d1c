from django.urls import path

from wayhome.places import views

app_name = "places"

urlpatterns = [
    path("facilities/", views.facility_list, name="facility_list"),
    path("facilities/new/", views.facility_create, name="facility_create"),
    path("facilities/<uuid:facility_uuid>/", views.facility_detail, name="facility_detail"),
    path("facilities/<uuid:facility_uuid>/edit/", views.facility_edit, name="facility_edit"),
    path("reference/", views.reference_list, name="reference_list"),
    path("regions/new/", views.region_create, name="region_create"),
    path("authorities/new/", views.authority_create, name="authority_create"),
]
