from django.urls import path

from wayhome.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("families/", views.family_list, name="family_list"),
]
