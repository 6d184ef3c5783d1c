from django.urls import path

from wayhome.places import views

app_name = "places"

urlpatterns = [
    path("facilities/", views.facility_list, name="facility_list"),
]
