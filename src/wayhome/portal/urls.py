from django.urls import path

from wayhome.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.start, name="start"),
    path("code/", views.code, name="code"),
    path("request/", views.status, name="status"),
    path("request/send/", views.send, name="send"),
    path("end/", views.end, name="end"),
]
