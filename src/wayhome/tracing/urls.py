from django.urls import path

from wayhome.tracing import views

app_name = "tracing"

urlpatterns = [
    path("requests/", views.request_list, name="request_list"),
    path("reports/", views.report_list, name="report_list"),
]
