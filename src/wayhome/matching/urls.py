from django.urls import path

from wayhome.matching import views

app_name = "matching"

urlpatterns = [
    path(
        "requests/<uuid:request_uuid>/candidates/",
        views.request_candidates,
        name="request_candidates",
    ),
]
