from django.urls import path

from wayhome.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("persons/<uuid:person_uuid>/", views.person_access, name="person_access"),
    path("users/<uuid:user_uuid>/", views.user_activity, name="user_activity"),
]
