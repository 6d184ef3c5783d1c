from django.urls import URLPattern, URLResolver, path

from wayhome.jobs import views

app_name = "jobs"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.job_list, name="list"),
    path("<uuid:job_uuid>/", views.job_detail, name="detail"),
    path("<uuid:job_uuid>/progress/", views.job_progress, name="progress"),
]
